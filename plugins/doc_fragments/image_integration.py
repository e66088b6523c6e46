# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options of one integration, as image_integration takes them.
    DOCUMENTATION = r"""
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
      - The config block follows the type.
        V(docker), V(rhel), V(artifactory), V(nexus), V(ghcr) take O(docker).
        V(azure) takes O(azure) (older ones O(docker)).
        V(quay) takes O(quay). V(ecr) takes O(ecr).
        V(artifactregistry) and V(google) take O(google). V(ibm) takes O(ibm).
        V(clairify) takes O(clairify), V(clairV4) takes O(clair_v4), V(clair) takes O(clair),
        V(scannerv4) takes O(scanner_v4).
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
"""

    # The same options for each item of image_integrations' list. Generated from DOCUMENTATION by
    # scripts/render_doc_fragment.py; tests/unit checks that it is up to date. Do not edit by hand.
    BULK = r"""
options:
  integrations:
    description:
      - The integrations, each with the options of M(stackrox.central.image_integration); the connection
        options are this module's own.
      - Names must be unique within the list.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description:
          - Name of the integration; Central keeps names unique.
        type: str
        required: true
      new_name:
        description:
          - Rename the integration called O(integrations[].name) to this name.
          - When O(integrations[].name) no longer exists but O(integrations[].new_name) does, the rename is taken as done.
            When neither exists, the integration is created as O(integrations[].new_name).
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
          - The config block follows the type.
            V(docker), V(rhel), V(artifactory), V(nexus), V(ghcr) take O(integrations[].docker).
            V(azure) takes O(integrations[].azure) (older ones O(integrations[].docker)).
            V(quay) takes O(integrations[].quay). V(ecr) takes O(integrations[].ecr).
            V(artifactregistry) and V(google) take O(integrations[].google). V(ibm) takes O(integrations[].ibm).
            V(clairify) takes O(integrations[].clairify), V(clairV4) takes O(integrations[].clair_v4), V(clair) takes O(integrations[].clair),
            V(scannerv4) takes O(integrations[].scanner_v4).
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
              - Switching to V(true) needs O(integrations[].ecr.access_key_id) and O(integrations[].ecr.secret_access_key); give them as empty strings.
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
"""
