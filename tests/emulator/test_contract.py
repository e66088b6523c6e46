"""Contract test: the emulator's responses against Central's swagger (schemathesis).

The swagger lives outside this repository: ``<repo>/../shared/reference/
image_integration_service.swagger.json`` unless ``CENTRAL_SWAGGER`` points
elsewhere. The test is skipped with a reason when the file or schemathesis is
missing. It is bounded: a few examples per operation, no example database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from emulator_api import ADMIN_TOKEN, REPO_ROOT

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")
from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, response_schema_conformance, status_code_conformance)

SWAGGER = Path(os.environ.get("CENTRAL_SWAGGER")
               or REPO_ROOT.parent / "shared" / "reference" / "image_integration_service.swagger.json")
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
# Message-typed fields that Central (protojson with EmitUnpopulated) writes as JSON null when unset.
# Swagger 2.0 cannot say "nullable"; grpc-gateway's generator marks nothing, so we add x-nullable here.
NULLABLE_MESSAGES = {
    "ECRConfigAuthorizationData", "QuayConfigRobotAccount", "storageAzureConfig", "storageClairConfig",
    "storageClairV4Config", "storageClairifyConfig", "storageDockerConfig", "storageECRConfig",
    "storageGoogleConfig", "storageIBMRegistryConfig", "storageImageIntegrationSource",
    "storageQuayConfig", "storageScannerV4Config",
}


def swagger_with_nullable_messages(path: Path) -> dict:
    import json

    spec = json.loads(path.read_text())
    for name in NULLABLE_MESSAGES:
        spec["definitions"][name]["x-nullable"] = True
    spec["definitions"]["ECRConfigAuthorizationData"]["properties"]["expiresAt"]["x-nullable"] = True
    # schemathesis formats paths with str.format, which reads "{config.id}" as attribute access;
    # the same URL with the placeholder renamed to "{config_id}".
    paths = spec["paths"]
    patch_item = paths.pop("/v1/imageintegrations/{config.id}")
    for param in patch_item["patch"]["parameters"]:
        if param["name"] == "config.id":
            param["name"] = "config_id"
    paths["/v1/imageintegrations/{config_id}"] = patch_item
    return spec

if SWAGGER.is_file():
    # Only the hypothesis-driven phases: the exhaustive "coverage" phase is unbounded in time.
    _config = schemathesis.config.SchemathesisConfig.from_dict({
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False},
                   "examples": {"enabled": False}, "fuzzing": {"enabled": True}},
    })
    schema = schemathesis.openapi.from_dict(swagger_with_nullable_messages(SWAGGER), config=_config)

    @schema.parametrize()
    @settings(max_examples=8, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    def test_responses_match_the_swagger(case, server):
        response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                             timeout=10)
        assert response.status_code < 500 or response.status_code == 500 and response.json()["code"] == 13
        assert response.headers["content-type"] == ["application/json"]
        case.validate_response(response, checks=CHECKS)
else:
    def test_responses_match_the_swagger():
        pytest.skip(f"Central swagger not found at {SWAGGER}; set CENTRAL_SWAGGER to its path")


def test_error_body_matches_the_swagger_status_definition(server):
    """A fixed request whose error body must validate against googleRpcStatus (plus Central's 'error')."""
    if not SWAGGER.is_file():
        pytest.skip(f"Central swagger not found at {SWAGGER}")
    import json

    import jsonschema_rs  # shipped with schemathesis
    import requests

    spec = swagger_with_nullable_messages(SWAGGER)
    for definition in spec["definitions"].values():  # plain JSON Schema spelling of x-nullable
        if definition.get("x-nullable"):
            definition["type"] = [definition["type"], "null"]
    spec["definitions"]["ECRConfigAuthorizationData"]["properties"]["expiresAt"]["type"] = ["string", "null"]
    status_schema = dict(spec["definitions"]["googleRpcStatus"], definitions=spec["definitions"])
    resp = requests.get(server.url + "/v1/imageintegrations/does-not-exist", timeout=10,
                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert resp.status_code == 404
    jsonschema_rs.validate(status_schema, resp.json())
    integration_schema = dict(spec["definitions"]["storageImageIntegration"], definitions=spec["definitions"])
    listed = requests.get(server.url + "/v1/imageintegrations", timeout=10,
                          headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()["integrations"]
    for item in listed:
        jsonschema_rs.validate(integration_schema, item)
        assert set(item) == set(spec["definitions"]["storageImageIntegration"]["properties"])
