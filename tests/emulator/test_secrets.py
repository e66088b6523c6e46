"""Masking and stored-credential reconciliation (PATCH updatePassword false, test/updated)."""

from __future__ import annotations

import copy

import pytest

MASK = "******"

# type -> (create body, secret paths, dependent field changes)
TYPES = {
    "docker": (
        {"type": "docker", "categories": ["REGISTRY"],
         "docker": {"endpoint": "r.example.com", "username": "u", "password": "pw"}},
        [("docker", "password")],
        [("docker", "endpoint", "other.example.com", "DockerConfig.Endpoint"),
         ("docker", "username", "other-user", "DockerConfig.Username")],
    ),
    "azure": (
        {"type": "azure", "categories": ["REGISTRY"],
         "azure": {"endpoint": "team.azurecr.io", "username": "u", "password": "pw"}},
        [("azure", "password")],
        [("azure", "endpoint", "other.azurecr.io", "AzureConfig.Endpoint"),
         ("azure", "username", "other-user", "AzureConfig.Username"),
         ("azure", "wifEnabled", True, "AzureConfig.WifEnabled")],
    ),
    "quay": (
        {"type": "quay", "categories": ["REGISTRY"],
         "quay": {"endpoint": "quay.example.com", "registryRobotCredentials": {"username": "org+bot", "password": "pw"}}},
        [("quay", "oauthToken"), ("quay", "registryRobotCredentials", "password")],
        [("quay", "endpoint", "quay2.example.com", "QuayConfig.Endpoint")],
    ),
    "ecr": (
        {"type": "ecr", "categories": ["REGISTRY"],
         "ecr": {"registryId": "123", "region": "us-east-1", "accessKeyId": "AKIA", "secretAccessKey": "sk",
                 "endpoint": "123.dkr.ecr.us-east-1.amazonaws.com"}},
        [("ecr", "accessKeyId"), ("ecr", "secretAccessKey")],
        [("ecr", "useIam", True, "ECRConfig.UseIam"),
         ("ecr", "endpoint", "evil.example.com", "ECRConfig.Endpoint")],
    ),
    "artifactregistry": (
        {"type": "artifactregistry", "categories": ["REGISTRY"],
         "google": {"endpoint": "us-docker.pkg.dev", "project": "p", "serviceAccount": "{\"k\": 1}"}},
        [("google", "serviceAccount")],
        [("google", "endpoint", "europe-docker.pkg.dev", "GoogleConfig.Endpoint")],
    ),
    "ibm": (
        {"type": "ibm", "categories": ["REGISTRY"], "ibm": {"endpoint": "icr.io", "apiKey": "key"}},
        [("ibm", "apiKey")],
        [("ibm", "endpoint", "us.icr.io", "IBMRegistryConfig.Endpoint")],
    ),
}
WRAPPER = {"docker": "ImageIntegration_Docker", "azure": "ImageIntegration_Azure", "quay": "ImageIntegration_Quay",
           "ecr": "ImageIntegration_Ecr", "google": "ImageIntegration_Google", "ibm": "ImageIntegration_Ibm"}


def get_path(obj, path):
    for key in path:
        obj = obj[key]
    return obj


def set_path(obj, path, value):
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def create(api, type_):
    body = dict(copy.deepcopy(TYPES[type_][0]), name=f"{type_} integration")
    return api.create(body)


def masked(api, id_):
    return api.get(f"/v1/imageintegrations/{id_}").json()


def patch(api, config, update_password=False):
    return api.patch(f"/v1/imageintegrations/{config['id']}",
                     json={"config": config, "updatePassword": update_password})


@pytest.mark.parametrize("type_", TYPES)
def test_secrets_are_masked_on_every_read_even_when_empty(api, type_):
    created = create(api, type_)
    one = masked(api, created["id"])
    listed = next(i for i in api.get("/v1/imageintegrations").json()["integrations"] if i["id"] == created["id"])
    for path in TYPES[type_][1]:
        assert get_path(one, path) == MASK
        assert get_path(listed, path) == MASK
    stored = api.stored(id_=created["id"])
    assert stored == created  # inspection shows the real (unmasked) values


def test_empty_secret_of_a_default_is_masked(api):
    quay = api.get("/v1/imageintegrations/e50087f1-6840-4d15-aeca-21ba636f0878").json()
    assert quay["quay"]["oauthToken"] == MASK
    assert api.stored(id_=quay["id"])["quay"]["oauthToken"] == ""


@pytest.mark.parametrize("type_", TYPES)
def test_patch_with_masked_secrets_keeps_stored_secrets(api, type_):
    created = create(api, type_)
    config = masked(api, created["id"])
    config["name"] = "renamed " + type_
    resp = patch(api, config)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {}
    stored = api.stored(id_=created["id"])
    assert stored["name"] == "renamed " + type_
    for path in TYPES[type_][1]:
        assert get_path(stored, path) == get_path(created, path)


@pytest.mark.parametrize("type_", TYPES)
def test_patch_with_empty_secrets_keeps_stored_secrets(api, type_):
    created = create(api, type_)
    config = masked(api, created["id"])
    for path in TYPES[type_][1]:
        set_path(config, path, "")
    assert patch(api, config).status_code == 200
    stored = api.stored(id_=created["id"])
    for path in TYPES[type_][1]:
        assert get_path(stored, path) == get_path(created, path)


@pytest.mark.parametrize("type_,change", [(t, c) for t, spec in TYPES.items() for c in spec[2]],
                         ids=lambda v: v if isinstance(v, str) else v[1])
def test_dependent_field_change_needs_credentials(api, type_, change):
    created = create(api, type_)
    block, field, value, go_path = change
    config = masked(api, created["id"])
    config[block][field] = value
    resp = patch(api, config)
    assert resp.status_code == 400, resp.text
    expected = f"credentials required to update field 'ImageIntegration.{WRAPPER[block]}.{go_path}'"
    assert resp.json()["message"] == expected + ": invalid arguments"
    assert api.stored(id_=created["id"]) == created
    # the same change with the credentials and updatePassword true goes through
    config = copy.deepcopy(created)
    config[block][field] = value
    if type_ == "ecr" and field == "useIam":
        config["ecr"]["accessKeyId"] = config["ecr"]["secretAccessKey"] = ""
    assert patch(api, config, update_password=True).status_code == 200
    assert api.stored(id_=created["id"])[block][field] == value


@pytest.mark.parametrize("type_,path", [(t, p) for t, spec in TYPES.items() for p in spec[1]],
                         ids=lambda v: v if isinstance(v, str) else ".".join(v))
def test_new_secret_without_update_password_is_refused(api, type_, path):
    created = create(api, type_)
    config = masked(api, created["id"])
    set_path(config, path, "brand-new")
    resp = patch(api, config)
    assert resp.status_code == 400
    assert "non-zero or unmasked credential field 'ImageIntegration." in resp.json()["message"]
    assert api.stored(id_=created["id"]) == created


def test_error_path_of_nested_secret(api):
    created = create(api, "quay")
    config = masked(api, created["id"])
    config["quay"]["registryRobotCredentials"]["password"] = "new"
    message = patch(api, config).json()["message"]
    assert message == ("non-zero or unmasked credential field 'ImageIntegration.ImageIntegration_Quay."
                       "QuayConfig.QuayConfig_RobotAccount.Password': invalid arguments")


def test_missing_stored_sub_message_is_non_nil_existing_field(api):
    created = create(api, "quay")
    config = masked(api, created["id"])
    config["quay"]["registryRobotCredentials"] = None
    message = patch(api, config).json()["message"]
    assert message == ("non-nil existing field 'ImageIntegration.ImageIntegration_Quay.QuayConfig."
                       "RegistryRobotCredentials': invalid arguments")


def test_missing_source_of_autogenerated_integration(api):
    seeded = api.post("/_emulator/seed", json={"integrations": [{
        "name": "autogenerated", "type": "docker", "categories": ["REGISTRY"], "autogenerated": True,
        "clusterId": "c1", "source": {"clusterId": "c1", "namespace": "ns", "imagePullSecretName": "pull"},
        "docker": {"endpoint": "r.example.com", "username": "u", "password": "pw"}}]}).json()["integrations"][0]
    config = masked(api, seeded["id"])
    config["source"] = None
    resp = patch(api, config)
    assert resp.status_code == 400
    assert resp.json()["message"] == "non-nil existing field 'ImageIntegration.Source': invalid arguments"
    assert patch(api, masked(api, seeded["id"])).status_code == 200


def test_config_type_mismatch_fails(api):
    created = create(api, "docker")
    config = masked(api, created["id"])
    config["docker"] = None
    config["type"] = "quay"
    config["quay"] = {"endpoint": "r.example.com"}
    resp = patch(api, config)
    assert resp.status_code == 400
    assert "type not equal" in resp.json()["message"]


def test_request_without_config_block_fails(api):
    created = create(api, "docker")
    config = masked(api, created["id"])
    config["docker"] = None
    resp = patch(api, config)
    assert resp.status_code == 400
    assert "doesn't have a valid integration config type" in resp.json()["message"]


def test_update_password_true_overwrites_with_what_is_sent(api):
    created = create(api, "docker")
    config = masked(api, created["id"])
    assert patch(api, config, update_password=True).status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == MASK
    config["docker"]["password"] = ""
    assert patch(api, config, update_password=True).status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == ""
    config["docker"]["password"] = "rotated"
    assert patch(api, config, update_password=True).status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == "rotated"


def test_patch_accepts_snake_case_request(api):
    created = create(api, "docker")
    config = masked(api, created["id"])
    config["skip_test_integration"] = config.pop("skipTestIntegration")
    resp = api.patch(f"/v1/imageintegrations/{created['id']}", json={"config": config, "update_password": False})
    assert resp.status_code == 200
    assert api.stored(id_=created["id"])["docker"]["password"] == "pw"


def test_reconciled_secret_is_used_by_the_test(api):
    seeded = api.post("/_emulator/seed", json={"integrations": [{
        "name": "bad secret", "type": "docker", "categories": ["REGISTRY"],
        "docker": {"endpoint": "r.example.com", "password": "invalid-stored"}}]}).json()["integrations"][0]
    config = masked(api, seeded["id"])
    resp = patch(api, config)
    assert resp.status_code == 400 and "registry integration" in resp.json()["message"]


def test_test_updated_reconciles_and_saves_nothing(api):
    created = create(api, "docker")
    before = api.get("/_emulator/integrations").json()
    config = masked(api, created["id"])
    config["name"] = "would be renamed"
    config["docker"]["insecure"] = True
    resp = api.post("/v1/imageintegrations/test/updated", json={"config": config, "updatePassword": False})
    assert resp.status_code == 200 and resp.json() == {}
    assert api.get("/_emulator/integrations").json() == before
    config["docker"]["endpoint"] = "elsewhere.example.com"
    resp = api.post("/v1/imageintegrations/test/updated", json={"config": config, "updatePassword": False})
    assert resp.status_code == 400 and "credentials required" in resp.json()["message"]
    config["docker"]["password"] = "invalid-candidate"
    resp = api.post("/v1/imageintegrations/test/updated", json={"config": config, "updatePassword": True})
    assert resp.status_code == 400 and "registry integration" in resp.json()["message"]
    assert api.get("/_emulator/integrations").json() == before


def test_test_updated_without_id_needs_update_password(api):
    body = {"name": "new", "type": "docker", "categories": ["REGISTRY"], "docker": {"endpoint": "r.example.com"}}
    resp = api.post("/v1/imageintegrations/test/updated", json={"config": body, "updatePassword": False})
    assert resp.status_code == 400 and "id required" in resp.json()["message"]
    resp = api.post("/v1/imageintegrations/test/updated", json={"config": body, "updatePassword": True})
    assert resp.status_code == 200


def test_test_updated_without_config_fails(api):
    resp = api.post("/v1/imageintegrations/test/updated", json={"updatePassword": True})
    assert resp.status_code == 400 and "empty integration" in resp.json()["message"]
