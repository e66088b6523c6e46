"""In-memory image integration state with Central's service semantics.

The order of checks, the error codes and the error texts follow Central's
image integration service (central/imageintegration/service/service_impl.go
upstream): validate, reconcile stored credentials, validate again and test,
save, then build the registry/scanner object. Central wraps its errors with
the gRPC class name, which is why most messages end in ``: invalid arguments``.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
import threading
import uuid

from . import messages
from .credentials import ReconcileError, reconcile
from .defaults import default_integrations
from .messages import CATEGORIES, CONFIG_BLOCKS, config_block

# gRPC status codes used by Central and the HTTP status grpc-gateway maps them to.
OK, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED = 0, 3, 5, 6, 7
RESOURCE_EXHAUSTED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, UNAUTHENTICATED = 8, 12, 13, 14, 16
HTTP_STATUS = {
    INVALID_ARGUMENT: 400, NOT_FOUND: 404, ALREADY_EXISTS: 409, PERMISSION_DENIED: 403,
    RESOURCE_EXHAUSTED: 429, UNIMPLEMENTED: 501, INTERNAL: 500, UNAVAILABLE: 503,
    UNAUTHENTICATED: 401,
}

INVALID = "invalid arguments"      # message of Central's InvalidArgs error class
NOT_FOUND_MSG = "not found"        # message of Central's NotFound error class

SCANNER_V4 = "scannerv4"
GOOGLE = "google"

REGISTRY_TYPES = {"docker", "rhel", "artifactory", "nexus", "ghcr", "azure", "quay", "ecr",
                  "artifactregistry", "google", "ibm"}
SCANNER_TYPES = {"clairify", "clairV4", "clair", "google", "quay", "scannerv4"}
NODE_SCANNER_TYPES = {"clairify", "scannerv4"}
BLOCKS_FOR_TYPE = {
    "docker": ("docker",), "rhel": ("docker",), "artifactory": ("docker",), "nexus": ("docker",),
    "ghcr": ("docker",), "azure": ("azure", "docker"), "quay": ("quay",), "ecr": ("ecr",),
    "artifactregistry": ("google",), "google": ("google",), "ibm": ("ibm",),
    "clairify": ("clairify",), "clairV4": ("clairV4",), "clair": ("clair",), "scannerv4": ("scannerV4",),
}
ENDPOINT_FIELDS = ("endpoint", "grpcEndpoint", "indexerEndpoint", "matcherEndpoint")


class ApiError(Exception):
    """An error Central answers with a gRPC status (and the mapped HTTP status)."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 500)


def invalid(message: str) -> ApiError:
    return ApiError(INVALID_ARGUMENT, f"{message}: {INVALID}")


def go_quote(text: str) -> str:
    """Roughly Go's %q: a double-quoted string with escapes."""
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------- endpoints

def endpoint_hostname(endpoint: str) -> str:
    """Host part of an endpoint the way Central parses it (scheme optional).

    Raises ValueError with a Go-like parse message when the endpoint cannot
    be parsed as ``http://<endpoint>``.
    """
    rest = endpoint
    for prefix in ("http://", "https://"):
        if rest.startswith(prefix):
            rest = rest[len(prefix):]
    netloc = re.split(r"[/?#]", rest, maxsplit=1)[0]
    netloc = netloc.rpartition("@")[2]
    if any(ch.isspace() or ord(ch) < 0x20 for ch in netloc):
        raise ValueError(f'parse "http://{rest}": invalid character in host name')
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise ValueError(f'parse "http://{rest}": missing \']\' in host')
        return netloc[1:end]
    host, sep, port = netloc.rpartition(":")
    if not sep:
        return netloc
    if ":" in host or not port.isdigit() and port != "":
        raise ValueError(f'parse "http://{rest}": invalid port ":{port}" after host')
    return host


def check_endpoint(endpoint: str) -> str | None:
    """Central's no-local-endpoint rule; returns an error text or None."""
    try:
        host = endpoint_hostname(endpoint)
    except ValueError as exc:
        return str(exc)
    if not endpoint:
        return None
    if host == "localhost":
        return "endpoint cannot reference localhost"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            return "endpoint cannot reference localhost"
        if ip == ipaddress.IPv4Address("169.254.169.254"):
            return "endpoint cannot reference the cluster metadata service"
        # central-behaviour.md: link-local addresses are refused as well.
        if ip.is_link_local:
            return "endpoint cannot reference a link-local address"
    if host == "metadata.google.internal":
        return "endpoint cannot reference the cluster metadata service"
    return None


# ---------------------------------------------------- registry/scanner stand-in

_CATEGORY_TYPES = {"REGISTRY": REGISTRY_TYPES, "SCANNER": SCANNER_TYPES, "NODE_SCANNER": NODE_SCANNER_TYPES}
_CATEGORY_WORD = {"REGISTRY": "registry", "SCANNER": "scanner", "NODE_SCANNER": "node scanner"}


def build_error(integration: dict, category: str) -> str | None:
    """Why Central could not build the registry/scanner object, or None."""
    type_ = integration["type"]
    if type_ not in _CATEGORY_TYPES[category]:
        if category == "NODE_SCANNER":
            return f"unsupported integration type: {go_quote(type_)}."
        return f"{_CATEGORY_WORD[category]} of type {go_quote(type_)} is not supported"
    block_name, block = config_block(integration)
    if block_name not in BLOCKS_FOR_TYPE.get(type_, ()):
        wanted = BLOCKS_FOR_TYPE.get(type_, ("?",))[0]
        return f"integration of type {go_quote(type_)} needs a {go_quote(wanted)} configuration"
    if block_name == "quay":
        return _quay_build_error(block, integration["categories"], category)
    return None


def _quay_build_error(quay: dict, categories: list[str], category: str) -> str | None:
    robot = quay.get("registryRobotCredentials")
    token = quay.get("oauthToken", "")
    if not quay.get("endpoint"):
        return "the Quay endpoint is required"
    if categories == ["SCANNER"] and robot is not None:
        return "a Quay scanner integration cannot authenticate with robot credentials"
    if categories == ["REGISTRY"] and robot is not None and token:
        return "a Quay registry integration takes robot credentials or an OAuth token, not both"
    if len(categories) != 1 and not token and robot is not None:
        return "a Quay scanner integration cannot authenticate with robot credentials"
    if robot is not None and (not robot.get("username") or not robot.get("password")):
        return "Quay robot credentials need both a username and a password"
    if category == "SCANNER" and not token:
        return "a Quay scanner integration needs an OAuth token"
    return None


def ping_error(integration: dict, category: str) -> str | None:
    """The emulator's deterministic stand-in for contacting the registry/scanner.

    Fails when an endpoint host ends in ``.invalid`` (RFC 2606) or when any
    credential value starts with ``invalid``.
    """
    block_name, block = config_block(integration)
    what = _CATEGORY_WORD[category]
    if block is None:
        return None
    for key in ENDPOINT_FIELDS:
        value = block.get(key) or ""
        if not value:
            continue
        try:
            host = endpoint_hostname(value).lower().rstrip(".")
        except ValueError:
            continue
        if host == "invalid" or host.endswith(".invalid"):
            return f"emulated {what} test failed: could not reach {host} (reserved .invalid domain)"
    message_name = CONFIG_BLOCKS[block_name][0]
    for secret in messages.secret_values(message_name, block):
        if secret.startswith("invalid"):
            return f"emulated {what} test failed: the {what} rejected the credentials"
    return None


def test_error(integration: dict) -> str | None:
    """Run one test per category, in request order, like Central; None when all pass."""
    for category in integration["categories"]:
        label = {"REGISTRY": "registry integration", "SCANNER": "image scanner integration",
                 "NODE_SCANNER": "node scanner integration"}[category]
        if category == "NODE_SCANNER" and integration["type"] not in NODE_SCANNER_TYPES:
            return f"{label}: {build_error(integration, category)}: {INVALID}"
        err = build_error(integration, category) or ping_error(integration, category)
        if err:
            return f"{label}: {err}: {INVALID}: {INVALID}"
    return None


def upsert_error(integration: dict) -> str | None:
    """Building the live registry/scanner objects after a save (Central's integration manager)."""
    for category in integration["categories"]:
        err = build_error(integration, category)
        if err:
            return err
    return None


# --------------------------------------------------------------------- store

class Store:
    """Thread-safe in-memory image integrations."""

    def __init__(self):
        self._lock = threading.RLock()
        self._items: dict[str, dict] = {}
        self.reset()

    # -- test support
    def reset(self) -> None:
        with self._lock:
            self._items = {i["id"]: i for i in default_integrations()}

    def raw(self) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self._items.values()))

    def seed(self, integrations: list) -> list[dict]:
        stored = []
        with self._lock:
            for item in integrations:
                obj = messages.normalize("ImageIntegration", item)
                if not obj["id"]:
                    obj["id"] = str(uuid.uuid4())
                self._items[obj["id"]] = obj
                stored.append(copy.deepcopy(obj))
        return stored

    # -- reads
    def list(self, name: str = "", cluster: str = "") -> dict:
        with self._lock:
            if cluster:
                return {"integrations": []}
            found = [i for i in self._items.values() if not name or i["name"] == name]
            return {"integrations": [messages.mask("ImageIntegration", i) for i in found]}

    def get(self, id_: str) -> dict:
        with self._lock:
            if not id_:
                raise invalid("image integration id must be provided")
            item = self._items.get(id_)
            if item is None:
                raise ApiError(NOT_FOUND, f"image integration {id_} not found: {NOT_FOUND_MSG}")
            return messages.mask("ImageIntegration", item)

    # -- writes
    def create(self, request: dict) -> dict:
        config = copy.deepcopy(request)
        with self._lock:
            if config["id"]:
                raise invalid("id field should be empty when posting a new image integration")
            if config["type"] == SCANNER_V4:
                raise invalid("scanner V4 integration cannot be manually created")
            if config["type"] == GOOGLE:
                raise invalid('Google Container Registry (GCR) is deprecated: new integrations of type '
                              '"google" cannot be created, use Google Artifact Registry '
                              '(type "artifactregistry")')
            self._validate_test_and_normalize(config)
            config["id"] = str(uuid.uuid4())
            self._items[config["id"]] = copy.deepcopy(config)
            err = upsert_error(config)
            if err:
                del self._items[config["id"]]
                raise ApiError(INTERNAL, err)
            return config

    def update(self, request: dict) -> dict:
        """PATCH (and PUT as ``updatePassword: true``)."""
        request = copy.deepcopy(request)
        config = request.get("config")
        with self._lock:
            self._raise_validation(config)
            self._reconcile_request(request)
            self._validate_test_and_normalize(config)
            self._items[config["id"]] = copy.deepcopy(config)
            err = upsert_error(config)
            if err:
                raise ApiError(INTERNAL, err)  # the bad config stays stored, as in Central
            return {}

    def put(self, config: dict) -> dict:
        return self.update({"config": config, "updatePassword": True})

    def delete(self, id_: str) -> dict:
        with self._lock:
            if not id_:
                raise invalid("image integration id must be provided")
            item = self._items.get(id_)
            if item is not None and item["type"] == SCANNER_V4:
                raise invalid("scanner V4 integration cannot be deleted")
            self._items.pop(id_, None)
            return {}

    def test(self, config: dict) -> dict:
        return self.test_updated({"config": config, "updatePassword": True})

    def test_updated(self, request: dict) -> dict:
        request = copy.deepcopy(request)
        config = request.get("config")
        with self._lock:
            self._raise_validation(config)
            self._reconcile_request(request)
        err = test_error(config)
        if err:
            raise ApiError(INVALID_ARGUMENT, err)
        return {}

    # -- Central's steps
    def _validation_errors(self, config: dict) -> list[str]:
        errors = []
        for value in messages.endpoint_values("ImageIntegration", config):
            if value:
                problem = check_endpoint(value)
                if problem:
                    errors.append(f"invalid endpoint: {problem}")
                    break
        if not config["categories"]:
            errors.append("integrations require a category")
        if not config["name"]:
            errors.append("name for integration is required")
            return errors
        same_name = [i for i in self._items.values() if i["name"] == config["name"]]
        if same_name and same_name[0]["id"] != config["id"]:
            errors.append(f"integration with name {go_quote(config['name'])} already exists")
        return errors

    def _validation_message(self, config: dict | None) -> str | None:
        if config is None:
            return "empty integration"
        errors = self._validation_errors(config)
        if not errors:
            return None
        if len(errors) == 1:
            return f"Validation error: {errors[0]}"
        return "Validation errors: [" + ", ".join(errors) + "]"

    def _raise_validation(self, config: dict | None) -> None:
        message = self._validation_message(config)
        if message:
            raise invalid(message)

    def _validate_test_and_normalize(self, config: dict) -> None:
        self._raise_validation(config)
        if not config["skipTestIntegration"]:
            err = test_error(config)
            if err:
                raise invalid(err)
        config["categories"] = sorted(config["categories"], key=CATEGORIES.index)

    def _reconcile_request(self, request: dict) -> None:
        config = request.get("config")
        existing = None
        if config is not None and config["id"]:
            existing = self._items.get(config["id"])
            if existing is None:
                raise ApiError(NOT_FOUND, f"image integration {go_quote(config['id'])} not found: {NOT_FOUND_MSG}")
            existing = copy.deepcopy(existing)
            if config["type"] != existing["type"] and SCANNER_V4 in (config["type"], existing["type"]):
                raise invalid("cannot change integration type to/from scanner V4")
            if config["type"] == "azure" and config.get("azure") is not None and existing.get("docker"):
                # Central migrates a stored azure integration that still uses the docker block.
                docker = existing["docker"]
                existing["docker"] = None
                existing["azure"] = messages.normalize("AzureConfig", {
                    "endpoint": docker["endpoint"], "username": docker["username"],
                    "password": docker["password"]})
        if request.get("updatePassword"):
            return
        if config is None:
            raise invalid("request is missing image integration config")
        if not config["id"]:
            raise invalid("id required for stored credential reconciliation")
        if config_block(config)[0] is None:
            raise invalid("the request doesn't have a valid integration config type")
        try:
            reconcile(config, existing)
        except ReconcileError as exc:
            raise invalid(str(exc)) from None
