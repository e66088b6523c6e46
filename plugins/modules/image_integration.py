#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: image_integration
short_description: Manage a registry or scanner integration of StackRox / RHACS Central
version_added: 1.0.0
description:
  - Create, update, rename and delete one image integration (registry or scanner) of Central
    through C(/v1/imageintegrations).
  - Idempotent. Central never shows a stored credential (it answers V(******) even for an empty one), so the module
    compares every other field and sends credentials only when O(update_password) says so, or when Central requires
    them because a credential-dependent field (an endpoint, a user name, O(ecr.use_iam), O(azure.wif_enabled)) changes.
  - A stored credential the task did not supply is never overwritten. A change that Central would only accept
    together with credentials the task lacks fails before any write and names them.
  - A no-op run sends one GET; a create, update or delete adds exactly one write.
author:
  - StackRox contributors (@stackrox)
extends_documentation_fragment:
  - stackrox.central.connection
  - stackrox.central.attributes
  - stackrox.central.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Nothing is written. The result reports what a real run would do. With O(skip_test_integration=false),
        Central tests the candidate configuration without saving it, so wrong credentials show up in check mode too.
  diff_mode:
    support: full
    details:
      - C(before) and C(after) are the integration as Central shows it, every credential masked. On update, a
        credential the run sends shows as V(****** (updated\)).
options:
  name:
    description:
      - Name of the integration; Central keeps names unique.
    type: str
    required: true
  new_name:
    description:
      - Rename the integration called O(name) to this name.
      - When O(name) no longer exists but O(new_name) does, the rename is taken as done.
        When neither exists, the integration is created as O(new_name).
    type: str
  state:
    description:
      - V(present) creates or updates the integration, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - Integration type. Required to create; an existing integration cannot change its type.
      - V(docker), V(rhel), V(artifactory), V(nexus) and V(ghcr) take the O(docker) block; V(azure) takes O(azure)
        (older ones O(docker)); V(quay) takes O(quay); V(ecr) takes O(ecr); V(artifactregistry) and V(google) take
        O(google); V(ibm) takes O(ibm); V(clairify) takes O(clairify), V(clairV4) takes O(clair_v4), V(clair) takes
        O(clair) and V(scannerv4) takes O(scanner_v4).
      - Central no longer creates V(google) (GCR) integrations; use V(artifactregistry).
        The built-in V(scannerv4) integration can be updated but neither created nor deleted.
    type: str
    choices: [artifactory, artifactregistry, azure, clair, clairV4, clairify, docker, ecr, ghcr, google, ibm, nexus,
              quay, rhel, scannerv4]
  categories:
    description:
      - What Central uses the integration for. Stored in the order V(REGISTRY), V(SCANNER), V(NODE_SCANNER).
      - Registries take V(REGISTRY); V(quay) and V(google) also V(SCANNER); V(clairify) and V(scannerv4) take
        V(SCANNER) and V(NODE_SCANNER); V(clairV4) and V(clair) take V(SCANNER).
      - When creating without it, registries get V(REGISTRY), V(clairify) gets V(SCANNER) and V(NODE_SCANNER),
        other scanners V(SCANNER). When updating without it, the categories stay as they are.
    type: list
    elements: str
    choices: [REGISTRY, SCANNER, NODE_SCANNER]
  skip_test_integration:
    description:
      - Stored with the integration. When V(false), Central tests the integration against the registry or scanner
        before every create and update (and, in check mode, tests the candidate), and refuses a failing one.
    type: bool
    default: true
  update_password:
    description:
      - V(always) sends the credentials the task supplies on every run, so the task reports a change each time.
      - V(on_create) sends them only when creating the integration, or when Central requires them because a
        credential-dependent field changes; otherwise a task that carries credentials is idempotent.
      - A task that supplies no credential never makes Central replace the stored ones.
    type: str
    choices: [always, on_create]
    default: always
  docker:
    description:
      - Settings of a Docker-compatible registry (types V(docker), V(rhel), V(artifactory), V(nexus), V(ghcr),
        and older V(azure) integrations).
    type: dict
    suboptions:
      endpoint:
        description:
          - Registry address, for example V(registry.example.com) or V(https://registry.example.com:5000).
          - Credential-dependent.
        type: str
      username:
        description:
          - User name for the registry. Credential-dependent.
        type: str
      password:
        description:
          - Password or token for the registry. Never shown by Central.
        type: str
      insecure:
        description:
          - Skip TLS verification and allow plain HTTP towards the registry.
        type: bool
  azure:
    description:
      - Settings of an Azure container registry (type V(azure)).
    type: dict
    suboptions:
      endpoint:
        description:
          - Registry address, for example V(myregistry.azurecr.io). Credential-dependent.
        type: str
      username:
        description:
          - User name. Credential-dependent.
        type: str
      password:
        description:
          - Password. Never shown by Central.
        type: str
      wif_enabled:
        description:
          - Authenticate with workload identity instead of a password. Credential-dependent.
        type: bool
  quay:
    description:
      - Settings of a Quay registry or scanner (type V(quay)).
    type: dict
    suboptions:
      endpoint:
        description:
          - Quay address, for example V(quay.io). Credential-dependent.
        type: str
      oauth_token:
        description:
          - OAuth token; required for scanner use. Never shown by Central.
        type: str
      insecure:
        description:
          - Skip TLS verification and allow plain HTTP towards Quay.
        type: bool
      registry_robot_credentials:
        description:
          - Robot account for registry use.
        type: dict
        suboptions:
          username:
            description:
              - Robot account name.
            type: str
          password:
            description:
              - Robot account token. Never shown by Central.
            type: str
  ecr:
    description:
      - Settings of an Amazon ECR registry (type V(ecr)).
    type: dict
    suboptions:
      registry_id:
        description:
          - AWS account id of the registry.
        type: str
      access_key_id:
        description:
          - Access key id of static credentials. Never shown by Central.
        type: str
      secret_access_key:
        description:
          - Secret access key of static credentials. Never shown by Central.
        type: str
      region:
        description:
          - AWS region, for example V(us-east-1).
        type: str
      use_iam:
        description:
          - Use the IAM role of the nodes instead of static keys. Credential-dependent.
          - Switching to V(true) needs O(ecr.access_key_id) and O(ecr.secret_access_key); give them as empty strings.
        type: bool
      endpoint:
        description:
          - Registry endpoint, when not the default for the account and region. Credential-dependent.
        type: str
      use_assume_role:
        description:
          - Assume a role to reach the registry.
        type: bool
      assume_role_id:
        description:
          - Role to assume.
        type: str
      assume_role_external_id:
        description:
          - External id when assuming the role.
        type: str
  google:
    description:
      - Settings of Google Artifact Registry (type V(artifactregistry)) or an existing GCR integration.
    type: dict
    suboptions:
      endpoint:
        description:
          - Registry address, for example V(us-west1-docker.pkg.dev). Credential-dependent.
        type: str
      service_account:
        description:
          - Service account key as JSON. Never shown by Central.
        type: str
      project:
        description:
          - Google Cloud project.
        type: str
      wif_enabled:
        description:
          - Authenticate with workload identity federation.
        type: bool
  ibm:
    description:
      - Settings of IBM Cloud Container Registry (type V(ibm)).
    type: dict
    suboptions:
      endpoint:
        description:
          - Registry address, for example V(us.icr.io). Credential-dependent.
        type: str
      api_key:
        description:
          - IBM Cloud API key. Never shown by Central.
        type: str
  clairify:
    description:
      - Settings of the StackRox Scanner (type V(clairify)).
    type: dict
    suboptions:
      endpoint:
        description:
          - HTTP address of the scanner.
        type: str
      grpc_endpoint:
        description:
          - gRPC address of the scanner.
        type: str
      num_concurrent_scans:
        description:
          - Scans run at once; V(0) lets Central choose.
        type: int
  clair_v4:
    description:
      - Settings of a Clair v4 scanner (type V(clairV4)).
    type: dict
    suboptions:
      endpoint:
        description:
          - Address of Clair.
        type: str
      insecure:
        description:
          - Skip TLS verification towards Clair.
        type: bool
  clair:
    description:
      - Settings of a legacy Clair scanner (type V(clair)).
    type: dict
    suboptions:
      endpoint:
        description:
          - Address of Clair.
        type: str
      insecure:
        description:
          - Skip TLS verification towards Clair.
        type: bool
  scanner_v4:
    description:
      - Settings of the built-in Scanner V4 integration (type V(scannerv4)).
    type: dict
    suboptions:
      num_concurrent_scans:
        description:
          - Scans run at once; V(0) lets Central choose.
        type: int
      indexer_endpoint:
        description:
          - Address of the Scanner V4 indexer.
        type: str
      matcher_endpoint:
        description:
          - Address of the Scanner V4 matcher.
        type: str
notes:
  - Options left out of a task keep their current value on update; on create, Central's zero values apply.
  - Credentials have no environment fallback, so credentials an AWX job carries for other tasks never reach Central.
seealso:
  - module: stackrox.central.image_integration_info
"""

EXAMPLES = r"""
- name: Team registry, password sent only when the integration is created
  stackrox.central.image_integration:
    name: Team registry
    type: docker
    docker:
      endpoint: registry.example.com
      username: robot
      password: "{{ team_registry_password }}"
    update_password: on_create

- name: Quay registry and scanner with a robot account
  stackrox.central.image_integration:
    name: Quay
    type: quay
    categories: [REGISTRY, SCANNER]
    quay:
      endpoint: quay.io
      oauth_token: "{{ quay_token }}"
      registry_robot_credentials:
        username: myorg+ci
        password: "{{ quay_robot_token }}"
    update_password: on_create
    skip_test_integration: false

- name: ECR through the nodes' IAM role
  stackrox.central.image_integration:
    name: ECR production
    type: ecr
    ecr:
      registry_id: "123456789012"
      region: eu-west-1
      use_iam: true

- name: Rename an integration
  stackrox.central.image_integration:
    name: Team registry
    new_name: Platform registry

- name: Give the built-in Scanner V4 more concurrent scans
  stackrox.central.image_integration:
    name: Scanner V4
    scanner_v4:
      num_concurrent_scans: 20

- name: Remove an integration
  stackrox.central.image_integration:
    name: Old registry
    state: absent

- name: Set the connection once for several tasks
  module_defaults:
    group/stackrox.central.central:
      central_url: central.example.com
      central_api_token: "{{ lookup('ansible.builtin.env', 'ROX_API_TOKEN') }}"
  block:
    - name: Artifact Registry
      stackrox.central.image_integration:
        name: Artifact Registry
        type: artifactregistry
        google:
          endpoint: europe-docker.pkg.dev
          project: my-project
          service_account: "{{ lookup('ansible.builtin.file', 'sa.json') }}"
        update_password: on_create
"""

RETURN = r"""
id:
  description:
    - Id of the integration (of the deleted one for O(state=absent)).
    - V(null) when there is none, as when creating in check mode or when O(state=absent) found nothing.
  returned: always
  type: str
  sample: 0ea0a0c6-1d5d-4d4c-bb84-6a2a9e4b3c1f
integration:
  description:
    - The integration as Central holds it after the run, in Central's own field names, every credential masked as
      V(******). Empty after a delete.
  returned: always
  type: dict
  sample:
    id: 0ea0a0c6-1d5d-4d4c-bb84-6a2a9e4b3c1f
    name: Team registry
    type: docker
    categories: [REGISTRY]
    docker:
      endpoint: registry.example.com
      username: robot
      password: "******"
      insecure: false
    autogenerated: false
    clusterId: ""
    skipTestIntegration: true
    source: null
diff:
  description: C(before) and C(after) in the shape of RV(integration), credentials masked.
  returned: in diff mode
  type: dict
"""

from ansible_collections.stackrox.central.plugins.module_utils._central_module import CentralModule
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import read_task, task_argument_spec
from ansible_collections.stackrox.central.plugins.module_utils._reconcile import reconcile


def run(module):
    desired = read_task(module.params)
    client = module.client()
    return reconcile(client, desired, check_mode=module.check_mode).result(module.diff_mode)


def main():
    CentralModule(task_argument_spec(), supports_check_mode=True).run(run)


if __name__ == "__main__":
    main()
