"""The storage.ImageIntegration message as Central's JSON gateway sees it.

Each message is declared once as an ordered tuple of fields. A field knows its
JSON (camelCase) name, its proto (snake_case) name, the Go struct field name
that Central's reflection-based secret handling puts into error paths, its kind
and its tags (``scrub`` always/dependent, ``validate`` nolocalendpoint).

The in-memory form of an integration is the *full* wire form: a dict holding
every field of the message in declaration order, zero values included and
``None`` for absent sub-messages. Decoding a request produces that form;
encoding a response is a deep copy of it (plus masking).
"""

from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field as _field

MASK = "******"

CATEGORIES = ("REGISTRY", "SCANNER", "NODE_SCANNER")

STRING, BOOL, INT32, ENUM_LIST, MESSAGE, TIMESTAMP = (
    "string", "bool", "int32", "enum_list", "message", "timestamp")


class DecodeError(ValueError):
    """A request body that Central's JSON decoder would refuse (HTTP 400)."""


@dataclass(frozen=True)
class Field:
    json: str
    proto: str
    go: str
    kind: str
    message: str | None = None      # name of the sub-message for MESSAGE kind
    scrub: str | None = None        # "always" | "dependent" | None
    validate_endpoint: bool = False
    oneof: str | None = None        # Go name of the oneof interface field


@dataclass(frozen=True)
class Message:
    go_name: str
    fields: tuple[Field, ...]
    by_name: dict = _field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        for f in self.fields:
            self.by_name[f.json] = f
            self.by_name[f.proto] = f


def _f(json, proto, go, kind, **kw):
    return Field(json, proto, go, kind, **kw)


MESSAGES: dict[str, Message] = {}


def _msg(name, go_name, *fields):
    MESSAGES[name] = Message(go_name, tuple(fields))


_msg("Timestamp", "Timestamp")  # handled as TIMESTAMP scalar; listed for completeness

_msg("ClairifyConfig", "ClairifyConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, validate_endpoint=True),
     _f("grpcEndpoint", "grpc_endpoint", "GrpcEndpoint", STRING, validate_endpoint=True),
     _f("numConcurrentScans", "num_concurrent_scans", "NumConcurrentScans", INT32))
_msg("ScannerV4Config", "ScannerV4Config",
     _f("numConcurrentScans", "num_concurrent_scans", "NumConcurrentScans", INT32),
     _f("indexerEndpoint", "indexer_endpoint", "IndexerEndpoint", STRING),
     _f("matcherEndpoint", "matcher_endpoint", "MatcherEndpoint", STRING))
_msg("DockerConfig", "DockerConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("username", "username", "Username", STRING, scrub="dependent"),
     _f("password", "password", "Password", STRING, scrub="always"),
     _f("insecure", "insecure", "Insecure", BOOL))
_msg("RobotAccount", "QuayConfig_RobotAccount",
     _f("username", "username", "Username", STRING),
     _f("password", "password", "Password", STRING, scrub="always"))
_msg("QuayConfig", "QuayConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("oauthToken", "oauthToken", "OauthToken", STRING, scrub="always"),
     _f("insecure", "insecure", "Insecure", BOOL),
     _f("registryRobotCredentials", "registry_robot_credentials", "RegistryRobotCredentials",
        MESSAGE, message="RobotAccount"))
_msg("AuthorizationData", "ECRConfig_AuthorizationData",
     _f("username", "username", "Username", STRING),
     _f("password", "password", "Password", STRING, scrub="always"),
     _f("expiresAt", "expires_at", "ExpiresAt", TIMESTAMP))
_msg("ECRConfig", "ECRConfig",
     _f("registryId", "registry_id", "RegistryId", STRING),
     _f("accessKeyId", "access_key_id", "AccessKeyId", STRING, scrub="always"),
     _f("secretAccessKey", "secret_access_key", "SecretAccessKey", STRING, scrub="always"),
     _f("region", "region", "Region", STRING),
     _f("useIam", "use_iam", "UseIam", BOOL, scrub="dependent"),
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("useAssumeRole", "use_assume_role", "UseAssumeRole", BOOL),
     _f("assumeRoleId", "assume_role_id", "AssumeRoleId", STRING),
     _f("assumeRoleExternalId", "assume_role_external_id", "AssumeRoleExternalId", STRING),
     _f("authorizationData", "authorization_data", "AuthorizationData", MESSAGE,
        message="AuthorizationData"))
_msg("GoogleConfig", "GoogleConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("serviceAccount", "service_account", "ServiceAccount", STRING, scrub="always"),
     _f("project", "project", "Project", STRING),
     _f("wifEnabled", "wif_enabled", "WifEnabled", BOOL))
_msg("ClairConfig", "ClairConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, validate_endpoint=True),
     _f("insecure", "insecure", "Insecure", BOOL))
_msg("ClairV4Config", "ClairV4Config",
     _f("endpoint", "endpoint", "Endpoint", STRING, validate_endpoint=True),
     _f("insecure", "insecure", "Insecure", BOOL))
_msg("IBMRegistryConfig", "IBMRegistryConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("apiKey", "api_key", "ApiKey", STRING, scrub="always"))
_msg("AzureConfig", "AzureConfig",
     _f("endpoint", "endpoint", "Endpoint", STRING, scrub="dependent", validate_endpoint=True),
     _f("username", "username", "Username", STRING, scrub="dependent"),
     _f("password", "password", "Password", STRING, scrub="always"),
     _f("wifEnabled", "wif_enabled", "WifEnabled", BOOL, scrub="dependent"))
_msg("Source", "ImageIntegration_Source",
     _f("clusterId", "cluster_id", "ClusterId", STRING),
     _f("namespace", "namespace", "Namespace", STRING),
     _f("imagePullSecretName", "image_pull_secret_name", "ImagePullSecretName", STRING))

# The oneof IntegrationConfig: JSON name -> (sub-message, Go wrapper type name).
CONFIG_BLOCKS = {
    "clairify": ("ClairifyConfig", "ImageIntegration_Clairify"),
    "scannerV4": ("ScannerV4Config", "ImageIntegration_ScannerV4"),
    "docker": ("DockerConfig", "ImageIntegration_Docker"),
    "quay": ("QuayConfig", "ImageIntegration_Quay"),
    "ecr": ("ECRConfig", "ImageIntegration_Ecr"),
    "google": ("GoogleConfig", "ImageIntegration_Google"),
    "clair": ("ClairConfig", "ImageIntegration_Clair"),
    "clairV4": ("ClairV4Config", "ImageIntegration_ClairV4"),
    "ibm": ("IBMRegistryConfig", "ImageIntegration_Ibm"),
    "azure": ("AzureConfig", "ImageIntegration_Azure"),
}

_msg("ImageIntegration", "ImageIntegration",
     _f("id", "id", "Id", STRING),
     _f("name", "name", "Name", STRING),
     _f("type", "type", "Type", STRING),
     _f("categories", "categories", "Categories", ENUM_LIST),
     *[_f(j, {"scannerV4": "scanner_v4", "clairV4": "clair_v4"}.get(j, j), j[0].upper() + j[1:],
          MESSAGE, message=m, oneof="IntegrationConfig") for j, (m, _w) in CONFIG_BLOCKS.items()],
     _f("autogenerated", "autogenerated", "Autogenerated", BOOL),
     _f("clusterId", "cluster_id", "ClusterId", STRING),
     _f("skipTestIntegration", "skip_test_integration", "SkipTestIntegration", BOOL),
     _f("source", "source", "Source", MESSAGE, message="Source"))

_msg("UpdateImageIntegrationRequest", "UpdateImageIntegrationRequest",
     _f("config", "config", "Config", MESSAGE, message="ImageIntegration"),
     _f("updatePassword", "update_password", "UpdatePassword", BOOL))

_ZERO = {STRING: "", BOOL: False, INT32: 0, ENUM_LIST: None, MESSAGE: None, TIMESTAMP: None}


def empty(message_name: str) -> dict:
    """The full wire form of a message with every field at its zero value."""
    out = {}
    for f in MESSAGES[message_name].fields:
        out[f.json] = [] if f.kind == ENUM_LIST else _ZERO[f.kind]
    return out


def _describe(value) -> str:
    import json
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _decode_scalar(f: Field, value, path: str):
    if f.kind == STRING:
        if not isinstance(value, str):
            raise DecodeError(f"proto: invalid value for string field {path}: {_describe(value)}")
        return value
    if f.kind == BOOL:
        if not isinstance(value, bool):
            raise DecodeError(f"proto: invalid value for bool field {path}: {_describe(value)}")
        return value
    if f.kind == INT32:
        number = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            try:
                number = int(value.strip()) if value.strip() == value else None
            except ValueError:
                number = None
        if number is None or not (-2**31 <= number < 2**31):
            raise DecodeError(f"proto: invalid value for int32 field {path}: {_describe(value)}")
        return number
    if f.kind == TIMESTAMP:
        if not isinstance(value, str):
            raise DecodeError(f"proto: invalid value for Timestamp field {path}: {_describe(value)}")
        return format_timestamp(value, path)
    raise AssertionError(f.kind)


def format_timestamp(value: str, path: str = "timestamp") -> str:
    """Parse an RFC 3339 timestamp and render it the way protojson does."""
    try:
        text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        if "T" not in text and "t" not in text:
            raise ValueError
        parsed = _dt.datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            raise ValueError
    except ValueError:
        raise DecodeError(f"proto: invalid value for Timestamp field {path}: {_describe(value)}") from None
    parsed = parsed.astimezone(_dt.timezone.utc)
    base = parsed.strftime("%Y-%m-%dT%H:%M:%S")
    micros = parsed.microsecond
    if micros == 0:
        return base + "Z"
    if micros % 1000 == 0:
        return f"{base}.{micros // 1000:03d}Z"
    return f"{base}.{micros:06d}Z"


def decode(message_name: str, data, path: str = "") -> dict:
    """Decode a JSON value into the full wire form of ``message_name``.

    Accepts camelCase and proto snake_case names, drops unknown fields, treats
    JSON null as "unset", refuses wrongly-typed values, duplicate names and a
    second member of a oneof, like protojson with DiscardUnknown.
    """
    msg = MESSAGES[message_name]
    if not isinstance(data, dict):
        raise DecodeError(f"proto: syntax error: expected object for {path or message_name}, got {_describe(data)}")
    out = empty(message_name)
    seen: set[str] = set()
    oneof_set: dict[str, str] = {}
    for key, value in data.items():
        f = msg.by_name.get(key)
        if f is None:
            continue  # unknown fields are discarded
        where = f"{path}.{f.json}" if path else f.json
        if f.json in seen:
            raise DecodeError(f"proto: duplicate field {where}")
        seen.add(f.json)
        if value is None:
            continue
        if f.kind == MESSAGE:
            if f.oneof:
                if f.oneof in oneof_set:
                    raise DecodeError(
                        f"proto: error parsing {where}, oneof {msg.go_name}.{f.oneof} is already set")
                oneof_set[f.oneof] = f.json
            out[f.json] = decode(f.message, value, where)
        elif f.kind == ENUM_LIST:
            if not isinstance(value, list):
                raise DecodeError(f"proto: invalid value for enum field {where}: {_describe(value)}")
            items = []
            for item in value:
                if isinstance(item, str) and item in CATEGORIES:
                    items.append(item)
                elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(CATEGORIES):
                    items.append(CATEGORIES[item])
                else:
                    raise DecodeError(f"proto: invalid value for enum field {where}: {_describe(item)}")
            out[f.json] = items
        else:
            out[f.json] = _decode_scalar(f, value, where)
    return out


def normalize(message_name: str, data) -> dict:
    """Fill a stored object (seeded or built in code) up to the full wire form."""
    return decode(message_name, data)


def config_block(integration: dict) -> tuple[str | None, dict | None]:
    """The JSON name and value of the integration's oneof config block."""
    for name in CONFIG_BLOCKS:
        if integration.get(name) is not None:
            return name, integration[name]
    return None, None


def mask(message_name: str, data: dict) -> dict:
    """A deep copy with every scrub:"always" field replaced by the mask, even empty ones."""
    out = copy.deepcopy(data)
    _mask_in_place(message_name, out)
    return out


def _mask_in_place(message_name: str, data: dict) -> None:
    for f in MESSAGES[message_name].fields:
        if f.kind == MESSAGE and data.get(f.json) is not None:
            _mask_in_place(f.message, data[f.json])
        elif f.scrub == "always":
            data[f.json] = MASK


def secret_values(message_name: str, data: dict | None):
    """Yield every scrub:"always" value in ``data`` (recursively)."""
    if data is None:
        return
    for f in MESSAGES[message_name].fields:
        if f.kind == MESSAGE:
            yield from secret_values(f.message, data.get(f.json))
        elif f.scrub == "always":
            yield data.get(f.json, "")


def endpoint_values(message_name: str, data: dict | None):
    """Yield every value tagged validate:"nolocalendpoint" in ``data``."""
    if data is None:
        return
    for f in MESSAGES[message_name].fields:
        if f.kind == MESSAGE:
            yield from endpoint_values(f.message, data.get(f.json))
        elif f.validate_endpoint:
            yield data.get(f.json, "")
