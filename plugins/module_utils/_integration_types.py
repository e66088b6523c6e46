# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The type table: every image integration type of Central, declared once.

Everything type-specific lives here: which config block a type uses, how each
option maps onto Central's camelCase field, which fields are credentials
(``scrub:"always"`` in Central) or credential-dependent (``scrub:"dependent"``),
and which categories a type accepts. The argument spec, ``no_log`` flags, the
choices of ``type`` and the engine's masking and reconciliation rules are all
derived from it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

MASK = "******"

CATEGORY_ORDER = ("REGISTRY", "SCANNER", "NODE_SCANNER")


class Field(object):
    """One option of a config block and the API field behind it."""

    __slots__ = ("option", "api", "kind", "secret", "dependent", "endpoint", "fields")

    def __init__(self, option, api, kind="str", secret=False, dependent=False, endpoint=False, fields=None):
        self.option = option
        self.api = api
        self.kind = kind  # str, bool, int, or dict for a nested message
        self.secret = secret  # scrub:"always": masked on read, reconciled on update
        self.dependent = dependent  # scrub:"dependent": changing it needs the credentials
        self.endpoint = endpoint  # validate:"nolocalendpoint": no localhost or metadata address
        self.fields = tuple(fields or ())


class Block(object):
    """A config block: one sub-message of Central's ImageIntegration."""

    __slots__ = ("option", "api", "fields", "server_managed")

    def __init__(self, option, api, fields, server_managed=None):
        self.option = option
        self.api = api
        self.fields = tuple(fields)
        # Sub-messages Central fills itself, mapped to their credential fields:
        # masked on read, never sent along with new credentials.
        self.server_managed = dict(server_managed or {})


class IntegrationType(object):
    """A value of ImageIntegration.type."""

    __slots__ = ("name", "blocks", "categories", "default_categories", "create_error", "delete_error")

    def __init__(self, name, blocks, categories, default_categories=None, create_error=None, delete_error=None):
        self.name = name
        self.blocks = tuple(blocks)  # accepted blocks, preferred first
        self.categories = tuple(categories)
        self.default_categories = tuple(default_categories or categories[:1])
        self.create_error = create_error
        self.delete_error = delete_error

    @property
    def block(self):
        return BLOCKS[self.blocks[0]]


def _registry_login(extra=()):
    return [
        Field("endpoint", "endpoint", dependent=True, endpoint=True),
        Field("username", "username", dependent=True),
        Field("password", "password", secret=True),
    ] + list(extra)


BLOCKS = dict((b.option, b) for b in (
    Block("docker", "docker", _registry_login([Field("insecure", "insecure", "bool")])),
    Block("azure", "azure", _registry_login([Field("wif_enabled", "wifEnabled", "bool", dependent=True)])),
    Block("quay", "quay", [
        Field("endpoint", "endpoint", dependent=True, endpoint=True),
        Field("oauth_token", "oauthToken", secret=True),
        Field("insecure", "insecure", "bool"),
        Field("registry_robot_credentials", "registryRobotCredentials", "dict", fields=[
            Field("username", "username"),
            Field("password", "password", secret=True),
        ]),
    ]),
    Block("ecr", "ecr", [
        Field("registry_id", "registryId"),
        Field("access_key_id", "accessKeyId", secret=True),
        Field("secret_access_key", "secretAccessKey", secret=True),
        Field("region", "region"),
        Field("use_iam", "useIam", "bool", dependent=True),
        Field("endpoint", "endpoint", dependent=True, endpoint=True),
        Field("use_assume_role", "useAssumeRole", "bool"),
        Field("assume_role_id", "assumeRoleId"),
        Field("assume_role_external_id", "assumeRoleExternalId"),
    ], server_managed={"authorizationData": ("password",)}),
    Block("google", "google", [
        Field("endpoint", "endpoint", dependent=True, endpoint=True),
        Field("service_account", "serviceAccount", secret=True),
        Field("project", "project"),
        Field("wif_enabled", "wifEnabled", "bool"),
    ]),
    Block("ibm", "ibm", [
        Field("endpoint", "endpoint", dependent=True, endpoint=True),
        Field("api_key", "apiKey", secret=True),
    ]),
    Block("clairify", "clairify", [
        Field("endpoint", "endpoint", endpoint=True),
        Field("grpc_endpoint", "grpcEndpoint", endpoint=True),
        Field("num_concurrent_scans", "numConcurrentScans", "int"),
    ]),
    Block("clair_v4", "clairV4", [
        Field("endpoint", "endpoint", endpoint=True),
        Field("insecure", "insecure", "bool"),
    ]),
    Block("clair", "clair", [
        Field("endpoint", "endpoint", endpoint=True),
        Field("insecure", "insecure", "bool"),
    ]),
    Block("scanner_v4", "scannerV4", [
        Field("num_concurrent_scans", "numConcurrentScans", "int"),
        Field("indexer_endpoint", "indexerEndpoint"),
        Field("matcher_endpoint", "matcherEndpoint"),
    ]),
))

_REGISTRY = ("REGISTRY",)
_SCANNER = ("SCANNER",)

TYPES = dict((t.name, t) for t in (
    IntegrationType("docker", ["docker"], _REGISTRY),
    IntegrationType("rhel", ["docker"], _REGISTRY),
    IntegrationType("artifactory", ["docker"], _REGISTRY),
    IntegrationType("nexus", ["docker"], _REGISTRY),
    IntegrationType("ghcr", ["docker"], _REGISTRY),
    IntegrationType("azure", ["azure", "docker"], _REGISTRY),
    IntegrationType("quay", ["quay"], ("REGISTRY", "SCANNER")),
    IntegrationType("ecr", ["ecr"], _REGISTRY),
    IntegrationType("artifactregistry", ["google"], _REGISTRY),
    IntegrationType("google", ["google"], ("REGISTRY", "SCANNER"),
                    create_error="Central no longer creates integrations of type google (GCR); use type artifactregistry"),
    IntegrationType("ibm", ["ibm"], _REGISTRY),
    IntegrationType("clairify", ["clairify"], ("SCANNER", "NODE_SCANNER"), default_categories=("SCANNER", "NODE_SCANNER")),
    IntegrationType("clairV4", ["clair_v4"], _SCANNER),
    IntegrationType("clair", ["clair"], _SCANNER),
    IntegrationType("scannerv4", ["scanner_v4"], ("SCANNER", "NODE_SCANNER"), default_categories=("SCANNER", "NODE_SCANNER"),
                    create_error="the built-in Scanner V4 integration can only be updated, not created",
                    delete_error="the built-in Scanner V4 integration cannot be deleted"),
))

BLOCK_BY_API = dict((b.api, b) for b in BLOCKS.values())


def leaves(fields, prefix=()):
    """Yield (path, field) for every scalar field below ``fields``; path holds Field objects."""
    for field in fields:
        if field.kind == "dict":
            yield from leaves(field.fields, prefix + (field,))
        else:
            yield prefix + (field,), field


def option_name(block, path):
    """The dotted option name of a field path, as a task writes it: ``quay.registry_robot_credentials.password``."""
    return ".".join([block.option] + [f.option for f in path])


def api_name(block, path):
    """The dotted API name of a field path: ``quay.registryRobotCredentials.password``."""
    return ".".join([block.api] + [f.api for f in path])


def sort_categories(categories):
    """Categories in Central's enum order, without duplicates."""
    return [c for c in CATEGORY_ORDER if c in set(categories)]


def block_of(integration):
    """The Block whose sub-message is set in an integration as Central returns it, or None."""
    for api, block in BLOCK_BY_API.items():
        if integration.get(api) is not None:
            return block
    return None


def _argument_options(fields):
    options = {}
    for field in fields:
        if field.kind == "dict":
            options[field.option] = dict(type="dict", options=_argument_options(field.fields))
        else:
            options[field.option] = dict(type=field.kind, no_log=field.secret)
    return options


def block_argument_spec():
    """Argument spec entries for every config block, with no_log from the table."""
    return dict((b.option, dict(type="dict", options=_argument_options(b.fields))) for b in BLOCKS.values())


# The public registries a fresh Central holds (central/imageintegration/store/defaults.go),
# by their fixed ids; purging leaves them alone unless told otherwise.
BUILT_IN_REGISTRIES = {
    "10d3b4dc-8295-41bc-bb50-6da5484cdb1a": "Public DockerHub",
    "c6a1a26d-8947-4cb0-a50d-a018856f9390": "Public Kubernetes GCR (deprecated)",
    "f6ce8982-1a75-4430-96f3-9b22b4b66604": "Public Kubernetes Registry",
    "05fea766-e2f8-44b3-9959-eaa61a4f7466": "Public GCR",
    "6d7fc3f3-03d0-4b61-bf9f-34982a77bd56": "Public GKE GCR",
    "e50087f1-6840-4d15-aeca-21ba636f0878": "Public Quay.io",
    "4b36a1c3-2d6f-452e-a70f-6c388a0ff947": "Public Microsoft Container Registry",
    "5febb194-a21d-4109-9fad-6880dd632adc": "Public Amazon ECR",
    "54107745-5717-49c1-9073-a2b72f7a3b49": "registry.access.redhat.com",
    "48a1b014-fa42-4e3f-b45d-518c3b129f2e": "Public GitHub Container Registry",
}
