"""Every integration type through its whole life in one playbook run per type and ansible-core version.

Each step runs in check mode and then for real (``--diff``): create, create
again, change one field, change again, delete, delete again. Check mode must
predict the real outcome and send nothing but the one GET; a no-op sends one
GET; a create, update or delete exactly one write more.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest

from .playbook_runner import (CREATE, DELETE, LIST, MASK, SENT, TEST, UPDATE, Play, check_then_real, expect_ok)


@dataclass
class Case:
    """How one type is created and which single field then changes."""

    type: str
    block: str  # option name of the config block
    api_block: str  # Central's name of it
    values: dict  # non-secret options at creation, in option names
    secrets: dict  # secret option -> canary label (nested with dots)
    change: tuple  # (option path, api path, old value, new value)
    categories: list | None = None
    skip_test: bool | None = None
    seeded: bool = False  # exists already (google, scannerv4)
    deletable: bool = True
    extra_args: dict = field(default_factory=dict)


def _docker_like(type_name):
    return Case(type_name, "docker", "docker",
                {"endpoint": "%s.registry.example.com" % type_name, "username": "robot-%s" % type_name},
                {"password": "password"},
                ("insecure", "insecure", False, True))


CASES = [
    _docker_like("docker"),
    _docker_like("rhel"),
    _docker_like("artifactory"),
    _docker_like("nexus"),
    _docker_like("ghcr"),
    # Every non-secret azure field is credential-dependent: the change goes out with the password.
    Case("azure", "azure", "azure", {"endpoint": "team.azurecr.io", "username": "team"}, {"password": "password"},
         ("endpoint", "endpoint", "team.azurecr.io", "platform.azurecr.io")),
    Case("quay", "quay", "quay", {"endpoint": "quay.example.com"},
         {"oauth_token": "oauth", "registry_robot_credentials.password": "robot"},
         ("insecure", "insecure", False, True), categories=["REGISTRY", "SCANNER"],
         extra_args={"registry_robot_credentials": {"username": "org+robot"}}),
    Case("ecr", "ecr", "ecr", {"registry_id": "123456789012", "region": "us-east-1", "use_iam": False},
         {"access_key_id": "access-key", "secret_access_key": "secret-key"},
         ("region", "region", "us-east-1", "eu-west-1")),
    Case("artifactregistry", "google", "google", {"endpoint": "us-west1-docker.pkg.dev", "project": "proj-a"},
         {"service_account": "service-account"}, ("project", "project", "proj-a", "proj-b")),
    Case("ibm", "ibm", "ibm", {"endpoint": "us.icr.io"}, {"api_key": "api-key"},
         ("endpoint", "endpoint", "us.icr.io", "de.icr.io")),
    Case("clairify", "clairify", "clairify",
         {"endpoint": "https://scanner.stackrox.example:8080", "grpc_endpoint": "scanner.stackrox.example:8443",
          "num_concurrent_scans": 10},
         {}, ("num_concurrent_scans", "numConcurrentScans", 10, 20)),
    Case("clairV4", "clair_v4", "clairV4", {"endpoint": "https://clairv4.example.com"}, {},
         ("insecure", "insecure", False, True)),
    Case("clair", "clair", "clair", {"endpoint": "https://clair.example.com"}, {},
         ("insecure", "insecure", False, True)),
    # GCR integrations can no longer be created: an existing one is seeded, then updated and deleted.
    Case("google", "google", "google", {"endpoint": "gcr.io", "project": "legacy-project"},
         {"service_account": "gcr-service-account"}, ("project", "project", "legacy-project", "new-project"),
         categories=["REGISTRY", "SCANNER"], seeded=True),
    # The built-in Scanner V4 integration exists on every Central and can only be updated.
    Case("scannerv4", "scanner_v4", "scannerV4",
         {"indexer_endpoint": "scanner-v4-indexer.stackrox.svc:8443",
          "matcher_endpoint": "scanner-v4-matcher.stackrox.svc:8443"},
         {}, ("num_concurrent_scans", "numConcurrentScans", 0, 20), seeded=True, deletable=False,
         skip_test=False),
]

OPTION_TO_API = {
    "registry_id": "registryId", "use_iam": "useIam", "grpc_endpoint": "grpcEndpoint",
    "num_concurrent_scans": "numConcurrentScans", "indexer_endpoint": "indexerEndpoint",
    "matcher_endpoint": "matcherEndpoint", "oauth_token": "oauthToken",
    "registry_robot_credentials": "registryRobotCredentials", "access_key_id": "accessKeyId",
    "secret_access_key": "secretAccessKey", "service_account": "serviceAccount", "api_key": "apiKey",
}


def _api(option_path):
    return [OPTION_TO_API.get(part, part) for part in option_path.split(".")]


def _set(target, dotted, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def _get(source, keys):
    for key in keys:
        source = source[key]
    return source


def _seed_object(case, name, secrets):
    config = {}
    for option, value in case.values.items():
        _set(config, ".".join(_api(option)), value)
    for option, value in secrets.items():
        _set(config, ".".join(_api(option)), value)
    return {"name": name, "type": case.type, "categories": case.categories or ["REGISTRY"],
            "skipTestIntegration": True, case.api_block: config}


def _comparable(value):
    """A diff side without the id (only a real create knows it) and without null fields."""
    if isinstance(value, dict):
        return dict((k, _comparable(v)) for k, v in value.items() if v is not None and k != "id")
    return value


def _without_id(diff):
    return dict((side, _comparable(diff[side])) for side in ("before", "after"))


@pytest.mark.parametrize("case", CASES, ids=[c.type for c in CASES])
def test_type_lifecycle(case, ansible, emulator, connection, canaries):
    name = "Lifecycle %s" % case.type if case.type != "scannerv4" else "Scanner V4"
    secrets = dict((option, canaries.new("%s-%s" % (case.type, label))) for option, label in case.secrets.items())
    block = copy.deepcopy(case.values)
    for option, value in case.extra_args.items():
        block[option] = copy.deepcopy(value)
    for option, value in secrets.items():
        _set(block, option, value)
    args = {"name": name, "type": case.type, case.block: block}
    if case.secrets:
        args["update_password"] = "on_create"
    if case.categories:
        args["categories"] = case.categories
    if case.skip_test is not None:
        args["skip_test_integration"] = case.skip_test
    changed_args = copy.deepcopy(args)
    option, api_field, old, new = case.change
    changed_args[case.block][option] = new
    absent = {"name": name, "state": "absent"}

    if case.type == "google":
        emulator.seed(_seed_object(case, name, secrets))
    tasks = []
    if not case.seeded:
        tasks += check_then_real("create", args)
    tasks += check_then_real("unchanged", args)
    tasks += check_then_real("change", changed_args)
    tasks += check_then_real("change again", changed_args)
    if case.deletable:
        tasks += check_then_real("delete", absent)
        tasks += check_then_real("delete again", absent)
    before_ids = set(i["id"] for i in emulator.integrations())

    run = ansible.playbook(connection, Play(tasks))

    def step(step_name, changed, write=None):
        check, real = run[step_name + " (check)"], run[step_name]
        expect_ok(check, changed)
        expect_ok(real, changed)
        expected_check = {LIST: 1}
        if changed and case.skip_test is False:
            expected_check[TEST] = 1  # Central tests the candidate without saving it
        assert run.requests(step_name + " (check)") == expected_check, "check mode must only read (and test)"
        expected = {LIST: 1}
        if write:
            expected[write] = 1
        assert run.requests(step_name) == expected
        # Check mode predicts the real diff (a real create also knows the new id).
        assert _without_id(check["diff"]) == _without_id(real["diff"])
        return real

    api_path = [case.api_block, api_field]
    if not case.seeded:
        created = step("create", True, CREATE)
        assert created["diff"]["before"] == {}
        after = created["diff"]["after"]
        assert after["name"] == name and after["type"] == case.type
        for option, value in case.values.items():
            assert _get(after, [case.api_block] + _api(option)) == value, option
        for option in secrets:
            assert _get(after, [case.api_block] + _api(option)).startswith(MASK), option
        assert not run["create (check)"].get("id")
        assert created["id"] and created["id"] not in before_ids
        assert created["integration"]["id"] == created["id"]
        for option in secrets:
            # Masked by the module itself (Central's mask), not only by Ansible's no_log filter.
            assert _get(created["integration"], [case.api_block] + _api(option)) == MASK, option
        if case.categories:
            assert created["integration"]["categories"] == case.categories

    unchanged = step("unchanged", False)
    assert unchanged["diff"]["before"] == unchanged["diff"]["after"]
    assert _get(unchanged["integration"], api_path) == old

    changed = step("change", True, UPDATE)
    assert _get(changed["diff"]["before"], api_path) == old
    assert _get(changed["diff"]["after"], api_path) == new
    assert _get(changed["integration"], api_path) == new
    dependent = case.type in ("azure", "ibm")
    for option in secrets:
        shown = _get(changed["diff"]["after"], [case.api_block] + _api(option))
        # A dependent-field change carries the credentials (shown as sent); otherwise none go out.
        assert shown == (SENT if dependent else MASK), option
    step("change again", False)

    if case.deletable:
        deleted = step("delete", True, DELETE)
        assert deleted["diff"]["after"] == {}
        assert deleted["diff"]["before"]["name"] == name
        assert _get(deleted["diff"]["before"], api_path) == new
        step("delete again", False)
        assert emulator.by_name(name) is None
    else:
        stored = emulator.by_name(name)
        assert _get(stored, api_path) == new
