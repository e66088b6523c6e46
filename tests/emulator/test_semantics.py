"""Create, update, put, delete, validation, registry tests and build failures."""

from __future__ import annotations

import uuid

import pytest

from emulator_api import docker_body

DOCKERHUB = "10d3b4dc-8295-41bc-bb50-6da5484cdb1a"
SCANNER_V4 = "a87471e6-9678-4e66-8348-91e302b6de07"


def error(resp, status):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["error"] == body["message"] and body["details"] == []
    return body


# ------------------------------------------------------------------ POST

def test_post_answers_created_object_unmasked_with_uuid(api):
    created = api.create(docker_body())
    assert str(uuid.UUID(created["id"])) == created["id"]
    assert created["docker"]["password"] == "s3cret"  # the real Central leaks it here too
    assert api.get(f"/v1/imageintegrations/{created['id']}").json()["docker"]["password"] == "******"
    assert api.stored(id_=created["id"])["docker"]["password"] == "s3cret"


def test_post_with_id_fails(api):
    body = error(api.post("/v1/imageintegrations", json=docker_body(id=str(uuid.uuid4()))), 400)
    assert "id field should be empty" in body["message"]
    assert "team registry" not in api.stored_names()


def test_name_is_required_and_unique(api):
    body = error(api.post("/v1/imageintegrations", json=docker_body(name="")), 400)
    assert "name for integration is required" in body["message"]
    api.create(docker_body("dup"))
    body = error(api.post("/v1/imageintegrations", json=docker_body("dup")), 400)
    assert body["code"] == 3
    assert 'integration with name "dup" already exists' in body["message"]
    assert api.stored_names().count("dup") == 1
    assert api.post("/v1/imageintegrations", json=docker_body("Dup")).status_code == 200  # exact match only


def test_category_is_required(api):
    body = error(api.post("/v1/imageintegrations", json=docker_body(categories=[])), 400)
    assert "integrations require a category" in body["message"]


def test_several_validation_errors_are_listed(api):
    body = error(api.post("/v1/imageintegrations", json=docker_body(name="", categories=[])), 400)
    assert body["message"].startswith("Validation errors: [")
    assert "integrations require a category" in body["message"] and "name for integration is required" in body["message"]


@pytest.mark.parametrize("endpoint,reason", [
    ("localhost:5000", "localhost"),
    ("https://localhost", "localhost"),
    ("127.0.0.1", "localhost"),
    ("http://127.1.2.3:5000/v2", "localhost"),
    ("[::1]:5000", "localhost"),
    ("169.254.169.254", "metadata"),
    ("http://metadata.google.internal/computeMetadata", "metadata"),
])
def test_local_endpoints_are_refused(api, endpoint, reason):
    body = docker_body(docker={"endpoint": endpoint, "username": "u", "password": "p"})
    resp = error(api.post("/v1/imageintegrations", json=body), 400)
    assert "invalid endpoint" in resp["message"] and reason in resp["message"]


def test_endpoint_validation_on_scanner_endpoints(api):
    body = {"name": "clairify", "type": "clairify", "categories": ["SCANNER"],
            "clairify": {"endpoint": "scanner.example.com", "grpcEndpoint": "127.0.0.1:8443"}}
    assert "invalid endpoint" in error(api.post("/v1/imageintegrations", json=body), 400)["message"]


@pytest.mark.parametrize("endpoint", ["169.254.10.10:5000", "[fe80::1]:5000"])
def test_link_local_addresses_are_refused(api, endpoint):
    # central-behaviour.md lists link-local addresses with localhost, loopback and the metadata address.
    body = docker_body(docker={"endpoint": endpoint, "username": "u", "password": "p"})
    assert "link-local" in error(api.post("/v1/imageintegrations", json=body), 400)["message"]


def test_scannerv4_cannot_be_created_or_deleted(api):
    body = {"name": "my v4", "type": "scannerv4", "categories": ["SCANNER"], "scannerV4": {}}
    assert "scanner V4" in error(api.post("/v1/imageintegrations", json=body), 400)["message"]
    assert "scanner V4" in error(api.delete(f"/v1/imageintegrations/{SCANNER_V4}"), 400)["message"]
    assert "Scanner V4" in api.stored_names()


def test_type_change_to_or_from_scannerv4_is_refused(api):
    v4 = api.get(f"/v1/imageintegrations/{SCANNER_V4}").json()
    v4.update(type="clairify", scannerV4=None, clairify={"endpoint": "scanner.example.com"})
    resp = api.put(f"/v1/imageintegrations/{SCANNER_V4}", json=v4)
    assert "to/from scanner V4" in error(resp, 400)["message"]
    created = api.create(docker_body())
    to_v4 = dict(created, type="scannerv4", docker=None, scannerV4={})
    assert "to/from scanner V4" in error(api.put(f"/v1/imageintegrations/{created['id']}", json=to_v4), 400)["message"]
    assert api.stored(id_=SCANNER_V4)["type"] == "scannerv4"


def test_scannerv4_can_be_updated(api):
    v4 = api.stored(id_=SCANNER_V4)
    v4["scannerV4"]["numConcurrentScans"] = 5
    v4["skipTestIntegration"] = True
    assert api.put(f"/v1/imageintegrations/{SCANNER_V4}", json=v4).status_code == 200
    assert api.stored(id_=SCANNER_V4)["scannerV4"]["numConcurrentScans"] == 5


def test_new_google_integrations_are_refused(api):
    body = {"name": "gcr", "type": "google", "categories": ["REGISTRY"],
            "google": {"endpoint": "gcr.io", "project": "p", "serviceAccount": "{}"}}
    assert "artifactregistry" in error(api.post("/v1/imageintegrations", json=body), 400)["message"]
    body["type"] = "artifactregistry"
    body["google"]["endpoint"] = "us-docker.pkg.dev"
    assert api.post("/v1/imageintegrations", json=body).status_code == 200


def test_existing_google_integration_can_be_updated(api):
    seeded = api.post("/_emulator/seed", json={"integrations": [{
        "name": "old gcr", "type": "google", "categories": ["REGISTRY"],
        "google": {"endpoint": "gcr.io", "project": "p", "serviceAccount": "sa"}}]}).json()["integrations"][0]
    update = dict(seeded, google=dict(seeded["google"], project="p2", serviceAccount="******"))
    resp = api.patch(f"/v1/imageintegrations/{seeded['id']}", json={"config": update, "updatePassword": False})
    assert resp.status_code == 200, resp.text
    assert api.stored(id_=seeded["id"])["google"] == {"endpoint": "gcr.io", "serviceAccount": "sa",
                                                       "project": "p2", "wifEnabled": False}


# -------------------------------------------------------------- registry test

@pytest.mark.parametrize("overrides", [
    {"docker": {"endpoint": "registry.invalid", "password": "p"}},
    {"docker": {"endpoint": "https://team.registry.invalid:5000/v2", "password": "p"}},
    {"docker": {"endpoint": "registry.example.com", "password": "invalid-password"}},
])
def test_failed_registry_test_is_400_and_saves_nothing(api, overrides):
    resp = error(api.post("/v1/imageintegrations", json=docker_body(**overrides)), 400)
    assert resp["message"].startswith("registry integration: ")
    assert "team registry" not in api.stored_names()


def test_skip_test_integration_skips_the_test(api):
    created = api.create(docker_body(skipTestIntegration=True, docker={"endpoint": "registry.invalid"}))
    assert api.stored(id_=created["id"])["docker"]["endpoint"] == "registry.invalid"


def test_one_test_per_category_scanner_failure(api):
    body = {"name": "quay", "type": "quay", "categories": ["REGISTRY", "SCANNER"],
            "quay": {"endpoint": "quay.example.com", "oauthToken": "invalid-token"}}
    message = error(api.post("/v1/imageintegrations", json=body), 400)["message"]
    assert message.startswith("registry integration: ")
    body["categories"] = ["SCANNER", "REGISTRY"]
    message = error(api.post("/v1/imageintegrations", json=body), 400)["message"]
    assert message.startswith("image scanner integration: ")


def test_node_scanner_needs_a_node_scanner_type(api):
    body = docker_body(categories=["NODE_SCANNER"])
    message = error(api.post("/v1/imageintegrations", json=body), 400)["message"]
    assert message.startswith("node scanner integration: ")


def test_update_runs_the_test_too(api):
    created = api.create(docker_body())
    update = dict(created, docker=dict(created["docker"], password="invalid-now"))
    assert api.put(f"/v1/imageintegrations/{created['id']}", json=update).status_code == 400
    assert api.stored(id_=created["id"])["docker"]["password"] == "s3cret"


def test_test_endpoint(api):
    assert api.post("/v1/imageintegrations/test", json=docker_body()).status_code == 200
    assert api.get("/v1/imageintegrations/test").status_code == 404  # a GET by id "test"
    bad = error(api.post("/v1/imageintegrations/test", json=docker_body(docker={"endpoint": "r.invalid"})), 400)
    assert "registry integration" in bad["message"]
    assert "team registry" not in api.stored_names()


def test_test_ignores_skip_test_integration(api):
    body = docker_body(skipTestIntegration=True, docker={"endpoint": "r.invalid"})
    assert api.post("/v1/imageintegrations/test", json=body).status_code == 400


def test_test_of_unknown_id_is_404(api):
    body = docker_body(id=str(uuid.uuid4()))
    assert error(api.post("/v1/imageintegrations/test", json=body), 404)["code"] == 5


# ------------------------------------------------------------------ PUT / DELETE

def test_put_stores_as_sent_and_answers_empty(api):
    created = api.create(docker_body())
    update = dict(created, name="renamed", docker=dict(created["docker"], password="new-secret"))
    resp = api.put(f"/v1/imageintegrations/{created['id']}", json=update)
    assert resp.status_code == 200 and resp.json() == {}
    stored = api.stored(id_=created["id"])
    assert stored["name"] == "renamed" and stored["docker"]["password"] == "new-secret"


def test_put_with_masked_secret_overwrites_it(api):
    created = api.create(docker_body())
    masked = api.get(f"/v1/imageintegrations/{created['id']}").json()
    assert api.put(f"/v1/imageintegrations/{created['id']}", json=masked).status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == "******"


def test_put_takes_the_id_from_the_path(api):
    created = api.create(docker_body())
    other = api.create(docker_body("other"))
    update = dict(created, id=other["id"], docker=dict(created["docker"], password="x"))
    assert api.put(f"/v1/imageintegrations/{created['id']}", json=update).status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == "x"
    assert api.stored(id_=other["id"])["docker"]["password"] == "s3cret"


def test_put_and_patch_of_unknown_id_are_404(api):
    missing = str(uuid.uuid4())
    assert error(api.put(f"/v1/imageintegrations/{missing}", json=docker_body()), 404)["code"] == 5
    body = {"config": docker_body(), "updatePassword": True}
    assert error(api.patch(f"/v1/imageintegrations/{missing}", json=body), 404)["code"] == 5


def test_put_cannot_take_another_integrations_name(api):
    created = api.create(docker_body())
    update = dict(created, name="Public DockerHub")
    assert "already exists" in error(api.put(f"/v1/imageintegrations/{created['id']}", json=update), 400)["message"]


def test_delete_and_delete_unknown(api):
    created = api.create(docker_body())
    resp = api.delete(f"/v1/imageintegrations/{created['id']}")
    assert resp.status_code == 200 and resp.json() == {}
    assert "team registry" not in api.stored_names()
    assert api.delete(f"/v1/imageintegrations/{uuid.uuid4()}").status_code == 200
    assert api.delete(f"/v1/imageintegrations/{DOCKERHUB}").status_code == 200
    assert "Public DockerHub" not in api.stored_names()


# ------------------------------------------------------------- build failures

def quay_registry(name="quay reg"):
    return {"name": name, "type": "quay", "categories": ["REGISTRY"],
            "quay": {"endpoint": "quay.example.com", "oauthToken": ""}}


def test_patch_build_failure_is_500_and_keeps_the_bad_config(api):
    created = api.create(quay_registry())
    config = dict(api.get(f"/v1/imageintegrations/{created['id']}").json(),
                  categories=["REGISTRY", "SCANNER"], skipTestIntegration=True)
    resp = api.patch(f"/v1/imageintegrations/{created['id']}", json={"config": config, "updatePassword": False})
    body = error(resp, 500)
    assert body["code"] == 13
    stored = api.stored(id_=created["id"])
    assert stored["categories"] == ["REGISTRY", "SCANNER"] and stored["skipTestIntegration"] is True


def test_same_change_with_the_test_is_a_400_and_saves_nothing(api):
    created = api.create(quay_registry())
    config = dict(api.get(f"/v1/imageintegrations/{created['id']}").json(), categories=["REGISTRY", "SCANNER"])
    resp = api.patch(f"/v1/imageintegrations/{created['id']}", json={"config": config, "updatePassword": False})
    assert resp.status_code == 400
    assert api.stored(id_=created["id"])["categories"] == ["REGISTRY"]


def test_post_build_failure_is_500_and_removes_the_object(api):
    body = {"name": "quay scanner", "type": "quay", "categories": ["SCANNER"], "skipTestIntegration": True,
            "quay": {"endpoint": "quay.example.com", "oauthToken": ""}}
    assert error(api.post("/v1/imageintegrations", json=body), 500)["code"] == 13
    assert "quay scanner" not in api.stored_names()
    body["quay"]["oauthToken"] = "token"
    assert api.post("/v1/imageintegrations", json=body).status_code == 200
