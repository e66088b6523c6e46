"""Credentials: update_password, nothing lost on updates without secrets, dependent-field changes.

Stored secrets are read only through the emulator's inspection route, in the
test process, never through module output.
"""

from __future__ import annotations

from .playbook_runner import (CREATE, LIST, MASK, SENT, UPDATE, Play, Task, check_then_real, expect_failed, expect_ok,
                              secret_fields)


def _docker_task(name, password, update_password, endpoint="team.registry.example.com"):
    return {"name": name, "type": "docker", "update_password": update_password,
            "docker": {"endpoint": endpoint, "username": "robot", "password": password}}


def test_update_password_always_sends_the_password_every_run(ansible, emulator, connection, canaries):
    first, second = canaries.new("always-first"), canaries.new("always-second")
    name = "Always registry"
    run = ansible.playbook(connection, Play(
        [Task("create", _docker_task(name, first, "always"))]
        + check_then_real("again", _docker_task(name, first, "always"))))
    expect_ok(run["create"], True)
    expect_ok(run["again (check)"], True)
    again = expect_ok(run["again"], True)
    assert run.requests("again (check)") == {LIST: 1}
    assert run.requests("again") == {LIST: 1, UPDATE: 1}
    assert again["diff"]["after"]["docker"]["password"] == SENT
    assert again["diff"]["before"]["docker"]["password"] == MASK
    assert secret_fields(emulator.by_name(name)) == {"docker.password": first}

    run = ansible.playbook(connection, Play(check_then_real("new password", _docker_task(name, second, "always"))))
    expect_ok(run["new password (check)"], True)
    expect_ok(run["new password"], True)
    assert run.requests("new password (check)") == {LIST: 1}
    assert run.requests("new password") == {LIST: 1, UPDATE: 1}
    stored = emulator.by_name(name)
    assert secret_fields(stored) == {"docker.password": second}
    assert stored["docker"]["endpoint"] == "team.registry.example.com"


def test_update_password_on_create_keeps_the_stored_password(ansible, emulator, connection, canaries):
    first, second = canaries.new("on-create-first"), canaries.new("on-create-second")
    name = "On-create registry"
    run = ansible.playbook(connection, Play(
        [Task("create", _docker_task(name, first, "on_create"))]
        + check_then_real("again with another password", _docker_task(name, second, "on_create"))))
    created = expect_ok(run["create"], True)
    assert run.requests("create") == {LIST: 1, CREATE: 1}
    assert created["integration"]["docker"]["password"] == MASK
    for step in ("again with another password (check)", "again with another password"):
        expect_ok(run[step], False)
        assert run.requests(step) == {LIST: 1}
    assert secret_fields(emulator.by_name(name)) == {"docker.password": first}


def _seeds(canaries):
    """One integration of every type that holds credentials, all credentials set."""
    return [
        {"name": "Kept docker", "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "docker": {"endpoint": "docker.example.com", "username": "robot", "password": canaries.new("kept-docker")}},
        {"name": "Kept azure", "type": "azure", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "azure": {"endpoint": "kept.azurecr.io", "username": "kept", "password": canaries.new("kept-azure")}},
        {"name": "Kept quay", "type": "quay", "categories": ["REGISTRY", "SCANNER"], "skipTestIntegration": True,
         "quay": {"endpoint": "quay.example.com", "oauthToken": canaries.new("kept-quay-oauth"),
                  "registryRobotCredentials": {"username": "org+robot",
                                               "password": canaries.new("kept-quay-robot")}}},
        {"name": "Kept ecr", "type": "ecr", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "ecr": {"registryId": "123456789012", "region": "us-east-1", "accessKeyId": canaries.new("kept-ecr-id"),
                 "secretAccessKey": canaries.new("kept-ecr-key")}},
        {"name": "Kept artifactregistry", "type": "artifactregistry", "categories": ["REGISTRY"],
         "skipTestIntegration": True,
         "google": {"endpoint": "us-docker.pkg.dev", "project": "kept", "serviceAccount": canaries.new("kept-gar")}},
        {"name": "Kept google", "type": "google", "categories": ["REGISTRY", "SCANNER"], "skipTestIntegration": True,
         "google": {"endpoint": "gcr.io", "project": "kept", "serviceAccount": canaries.new("kept-gcr")}},
        {"name": "Kept ibm", "type": "ibm", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "ibm": {"endpoint": "us.icr.io", "apiKey": canaries.new("kept-ibm")}},
    ]


def _all_secrets(emulator):
    return dict((i["name"], secret_fields(i)) for i in emulator.integrations())


def test_changes_without_credentials_keep_every_stored_credential(ansible, emulator, connection, canaries):
    emulator.seed(*_seeds(canaries))
    before = _all_secrets(emulator)
    assert sum(len(s) for s in before.values()) >= 10
    # Non-secret changes, no credential given, update_password at its default (always).
    changes = [
        Task("docker insecure", {"name": "Kept docker", "docker": {"insecure": True}}),
        Task("azure test on save", {"name": "Kept azure", "skip_test_integration": False}),
        Task("quay insecure", {"name": "Kept quay", "quay": {"insecure": True}}),
        Task("quay robot user", {"name": "Kept quay", "quay": {"registry_robot_credentials": {"username": "org+ci"}}}),
        Task("ecr region", {"name": "Kept ecr", "type": "ecr", "ecr": {"region": "eu-west-1"}}),
        Task("artifactregistry project", {"name": "Kept artifactregistry", "google": {"project": "renamed"}}),
        Task("google project", {"name": "Kept google", "google": {"project": "renamed"}}),
        Task("ibm test on save", {"name": "Kept ibm", "skip_test_integration": False}),
        Task("docker rename", {"name": "Kept docker", "new_name": "Kept docker renamed"}),
    ]
    run = ansible.playbook(connection, Play(changes))
    for task in changes:
        expect_ok(run[task.name], True)
        assert set(run.writes(task.name)) == {UPDATE}, task.name
    patched = [e for e in emulator.requests()["log"] if e["method"] == "PATCH"]
    assert len(patched) == len(changes) and all(e["status"] == 200 for e in patched)

    after = _all_secrets(emulator)
    before["Kept docker renamed"] = before.pop("Kept docker")
    assert after == before
    stored = dict((i["name"], i) for i in emulator.integrations())
    assert stored["Kept docker renamed"]["docker"]["insecure"] is True
    assert stored["Kept azure"]["skipTestIntegration"] is False
    assert stored["Kept quay"]["quay"]["insecure"] is True
    assert stored["Kept quay"]["quay"]["registryRobotCredentials"]["username"] == "org+ci"
    assert stored["Kept ecr"]["ecr"]["region"] == "eu-west-1"
    assert stored["Kept artifactregistry"]["google"]["project"] == "renamed"
    assert stored["Kept google"]["google"]["project"] == "renamed"
    assert stored["Kept ibm"]["skipTestIntegration"] is False


def test_dependent_field_changes_need_the_credentials(ansible, emulator, connection, canaries):
    emulator.seed(
        {"name": "Dep docker", "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "docker": {"endpoint": "old.example.com", "username": "old-user", "password": canaries.new("dep-docker")}},
        {"name": "Dep ecr", "type": "ecr", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "ecr": {"registryId": "123456789012", "region": "us-east-1", "useIam": True}},
        {"name": "Dep azure", "type": "azure", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "azure": {"endpoint": "dep.azurecr.io", "username": "dep", "password": canaries.new("dep-azure")}},
        {"name": "Dep quay", "type": "quay", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "quay": {"endpoint": "quay.example.com", "oauthToken": canaries.new("dep-quay")}},
        # An older azure integration still in the docker block: moving it to the azure block needs the password.
        {"name": "Dep old azure", "type": "azure", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "docker": {"endpoint": "old.azurecr.io", "username": "old", "password": canaries.new("dep-old-azure")}},
        {"name": "Dep quay robot", "type": "quay", "categories": ["REGISTRY", "SCANNER"], "skipTestIntegration": True,
         "quay": {"endpoint": "quay.example.com", "oauthToken": canaries.new("dep-quay-robot-oauth"),
                  "registryRobotCredentials": {"username": "org+robot",
                                               "password": canaries.new("dep-quay-robot")}}},
    )
    before = _all_secrets(emulator)
    new_docker, new_azure, new_quay = canaries.new("new-docker"), canaries.new("new-azure"), canaries.new("new-quay")
    new_old_azure, new_robot = canaries.new("new-old-azure"), canaries.new("new-robot")
    new_key_id, new_key = canaries.new("new-ecr-id"), canaries.new("new-ecr-key")
    failing = [
        ("docker endpoint", {"name": "Dep docker", "docker": {"endpoint": "new.example.com"}},
         ["docker.endpoint", "docker.password"]),
        ("docker username", {"name": "Dep docker", "docker": {"username": "new-user"}},
         ["docker.username", "docker.password"]),
        ("ecr use_iam", {"name": "Dep ecr", "ecr": {"use_iam": False}},
         ["ecr.use_iam", "ecr.access_key_id", "ecr.secret_access_key"]),
        ("ecr use_iam with one key", {"name": "Dep ecr", "ecr": {"use_iam": False, "access_key_id": new_key_id}},
         ["ecr.use_iam", "ecr.secret_access_key"]),
        ("azure wif_enabled", {"name": "Dep azure", "azure": {"wif_enabled": True}},
         ["azure.wif_enabled", "azure.password"]),
        ("quay endpoint", {"name": "Dep quay", "quay": {"endpoint": "quay2.example.com"}},
         ["quay.endpoint", "quay.oauth_token"]),
        ("old azure to the azure block", {"name": "Dep old azure", "azure": {"endpoint": "old.azurecr.io"}},
         ["azure", "azure.password"]),
        # update_password=always sends credentials, and Central would then replace the OAuth token too.
        ("quay robot password alone", {"name": "Dep quay robot", "update_password": "always",
                                       "quay": {"registry_robot_credentials": {"password": new_robot}}},
         ["quay.oauth_token", "update_password"]),
    ]
    succeeding = [
        ("docker endpoint and username with password",
         {"name": "Dep docker", "update_password": "on_create",
          "docker": {"endpoint": "new.example.com", "username": "new-user", "password": new_docker}}),
        ("ecr use_iam with keys", {"name": "Dep ecr", "update_password": "on_create",
                                   "ecr": {"use_iam": False, "access_key_id": new_key_id,
                                           "secret_access_key": new_key}}),
        ("azure wif_enabled with password", {"name": "Dep azure", "update_password": "on_create",
                                             "azure": {"wif_enabled": True, "password": new_azure}}),
        ("quay endpoint with token", {"name": "Dep quay", "update_password": "on_create",
                                      "quay": {"endpoint": "quay2.example.com", "oauth_token": new_quay}}),
        ("old azure to the azure block with password",
         {"name": "Dep old azure", "update_password": "on_create",
          "azure": {"endpoint": "old.azurecr.io", "username": "old", "password": new_old_azure}}),
    ]
    tasks = []
    for name, args, _ in failing:
        tasks += check_then_real(name, args)
    for name, args in succeeding:
        tasks += check_then_real(name, args)
    run = ansible.playbook(connection, Play(tasks))

    for name, _, fragments in failing:
        for step in (name + " (check)", name):
            message = expect_failed(run[step], *fragments)
            assert "credential" in message.lower(), message
            # Refused before any write: only the read went out.
            assert run.requests(step) == {LIST: 1}, step
    for name, args in succeeding:
        expect_ok(run[name + " (check)"], True)
        assert run.requests(name + " (check)") == {LIST: 1}
        result = expect_ok(run[name], True)
        assert run.requests(name) == {LIST: 1, UPDATE: 1}, name
        block = [k for k in ("docker", "ecr", "azure", "quay") if k in args][0]
        assert result["integration"][block] is not None
        sent = [v for k, v in result["diff"]["after"][block].items() if v == SENT]
        assert sent, "the diff should mark the credentials sent: %s" % result["diff"]["after"][block]

    stored = dict((i["name"], i) for i in emulator.integrations())
    assert stored["Dep docker"]["docker"]["endpoint"] == "new.example.com"
    assert stored["Dep docker"]["docker"]["username"] == "new-user"
    assert secret_fields(stored["Dep docker"]) == {"docker.password": new_docker}
    assert stored["Dep ecr"]["ecr"]["useIam"] is False
    assert secret_fields(stored["Dep ecr"])["ecr.accessKeyId"] == new_key_id
    assert secret_fields(stored["Dep ecr"])["ecr.secretAccessKey"] == new_key
    assert stored["Dep azure"]["azure"]["wifEnabled"] is True
    assert secret_fields(stored["Dep azure"]) == {"azure.password": new_azure}
    assert stored["Dep quay"]["quay"]["endpoint"] == "quay2.example.com"
    assert secret_fields(stored["Dep quay"]) == {"quay.oauthToken": new_quay}
    assert stored["Dep old azure"]["docker"] is None
    assert stored["Dep old azure"]["azure"]["endpoint"] == "old.azurecr.io"
    assert secret_fields(stored["Dep old azure"]) == {"azure.password": new_old_azure}
    assert secret_fields(stored["Dep quay robot"]) == before["Dep quay robot"]
    # Nothing else changed.
    others = dict((k, v) for k, v in _all_secrets(emulator).items() if not k.startswith("Dep "))
    assert others == dict((k, v) for k, v in before.items() if not k.startswith("Dep "))
