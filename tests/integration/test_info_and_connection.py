"""image_integration_info filters, the connection from module_defaults, an ad-hoc run, and TLS."""

from __future__ import annotations

from .playbook_runner import (CREATE, GET_ONE, INFO_MODULE, LIST, MASK, EmulatorInspector, Play, Task,
                              check_then_real, expect_failed, expect_ok, secret_fields)


def _seed(emulator, canaries):
    return emulator.seed(
        {"name": "Info docker A", "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "docker": {"endpoint": "a.example.com", "username": "a", "password": canaries.new("info-a")}},
        {"name": "Info docker B", "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
         "docker": {"endpoint": "b.example.com", "username": "b", "password": canaries.new("info-b")}},
        {"name": "Info quay", "type": "quay", "categories": ["REGISTRY", "SCANNER"], "skipTestIntegration": True,
         "quay": {"endpoint": "quay.example.com", "oauthToken": canaries.new("info-quay")}},
    )


def _info(task_name, **args):
    return Task(task_name, args, module=INFO_MODULE)


def test_info_filters(ansible, emulator, connection, canaries):
    docker_a, _, quay = _seed(emulator, canaries)
    run = ansible.playbook(connection, Play([
        _info("by name", name="Info docker A"),
        _info("by id", id=quay["id"]),
        _info("by type", type="quay"),
        _info("no filter"),
        _info("unknown name", name="No such integration"),
        _info("unknown id", id="00000000-0000-0000-0000-000000000000"),
        _info("name and other type", name="Info docker A", type="quay"),
        _info("in check mode", name="Info quay"),
    ]))
    by_name = expect_ok(run["by name"], False)["integrations"]
    assert [i["id"] for i in by_name] == [docker_a["id"]]
    assert by_name[0]["docker"] == {"endpoint": "a.example.com", "username": "a", "password": MASK,
                                    "insecure": False}
    assert run.requests("by name") == {LIST: 1}

    by_id = expect_ok(run["by id"], False)["integrations"]
    assert [i["name"] for i in by_id] == ["Info quay"]
    assert by_id[0]["quay"]["oauthToken"] == MASK
    assert run.requests("by id") == {GET_ONE: 1}

    by_type = expect_ok(run["by type"], False)["integrations"]
    assert sorted(i["name"] for i in by_type) == ["Info quay", "Public Quay.io"]

    everything = expect_ok(run["no filter"], False)["integrations"]
    stored = emulator.integrations()
    assert sorted(i["id"] for i in everything) == sorted(i["id"] for i in stored)
    assert "Scanner V4" in [i["name"] for i in everything]
    for item in everything:
        for path, value in secret_fields(item).items():
            assert value == MASK, "%s of %s not masked" % (path, item["name"])

    assert expect_ok(run["unknown name"], False)["integrations"] == []
    assert expect_ok(run["unknown id"], False)["integrations"] == []
    assert expect_ok(run["name and other type"], False)["integrations"] == []
    assert [i["name"] for i in expect_ok(run["in check mode"], False)["integrations"]] == ["Info quay"]
    assert not [k for k in emulator.requests()["counts"] if not k.startswith("GET ")]


def test_module_defaults_group_sets_the_connection(ansible, emulator, connection, tokens):
    """Connection options from module_defaults win over (here broken) ROX_* variables."""
    defaults = {"group/stackrox.central.central": {"central_url": connection["ROX_ENDPOINT"],
                                                    "central_api_token": tokens["admin"]}}
    play = Play([
        _info("info through module_defaults", name="Public DockerHub"),
        Task("create through module_defaults",
             {"name": "Defaults registry", "type": "ghcr", "docker": {"endpoint": "ghcr.example.com"}}),
    ], module_defaults=defaults,
        environment={"ROX_ENDPOINT": "http://127.0.0.1:9", "ROX_API_TOKEN": "wrong-token"})
    run = ansible.playbook(connection, play)
    info = expect_ok(run["info through module_defaults"], False)
    assert [i["name"] for i in info["integrations"]] == ["Public DockerHub"]
    expect_ok(run["create through module_defaults"], True)
    assert run.requests("create through module_defaults") == {LIST: 1, CREATE: 1}
    assert emulator.by_name("Defaults registry")["type"] == "ghcr"


def test_adhoc_info(ansible, emulator, connection, canaries):
    docker_a = _seed(emulator, canaries)[0]
    run, status, result = ansible.adhoc(connection, INFO_MODULE, "name='Info docker A'")
    assert run.returncode == 0, run.stdout + run.stderr
    assert status == "localhost | SUCCESS"
    assert result["changed"] is False
    assert [i["id"] for i in result["integrations"]] == [docker_a["id"]]
    assert result["integrations"][0]["docker"]["password"] == MASK
    assert emulator.requests()["counts"] == {LIST: 1}


def test_tls_with_ca_from_the_environment(ansible, tls_emulator_server, tokens, canaries):
    emulator = EmulatorInspector(tls_emulator_server.url, ca_path=tls_emulator_server.ca_path)
    emulator.reset()
    assert tls_emulator_server.url.startswith("https://")
    connection = {"ROX_ENDPOINT": tls_emulator_server.url, "ROX_API_TOKEN": tokens["admin"],
                  "ROX_CA_CERT_FILE": tls_emulator_server.ca_path}
    password = canaries.new("tls")
    args = {"name": "TLS registry", "type": "docker", "update_password": "on_create",
            "docker": {"endpoint": "tls.example.com", "username": "robot", "password": password}}
    run = ansible.playbook(connection, Play(
        check_then_real("create over TLS", args)
        + check_then_real("again over TLS", args)
        + [_info("info over TLS", name="TLS registry"),
           Task("without the CA", {"name": "TLS registry"}, module=INFO_MODULE,
                environment={"ROX_CA_CERT_FILE": ""}),
           Task("without the CA, verification off as with roxctl", {"name": "TLS registry"}, module=INFO_MODULE,
                environment={"ROX_CA_CERT_FILE": "", "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY": "true"}),
           Task("without the CA, validate_certs false", {"name": "TLS registry", "validate_certs": False},
                module=INFO_MODULE, environment={"ROX_CA_CERT_FILE": ""}),
           Task("a false ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY keeps verification on", {"name": "TLS registry"},
                module=INFO_MODULE,
                environment={"ROX_CA_CERT_FILE": "", "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY": "no"}),
           # The password as a module option: the environment keyword is printed by Ansible at -vvv.
           Task("admin password instead of a token",
                {"name": "TLS registry", "central_password": tokens["admin_password"]}, module=INFO_MODULE,
                environment={"ROX_API_TOKEN": ""})]))
    expect_ok(run["create over TLS (check)"], True)
    assert run.requests("create over TLS (check)") == {LIST: 1}
    expect_ok(run["create over TLS"], True)
    assert run.requests("create over TLS") == {LIST: 1, CREATE: 1}
    expect_ok(run["again over TLS"], False)
    assert run.requests("again over TLS") == {LIST: 1}
    assert [i["name"] for i in expect_ok(run["info over TLS"], False)["integrations"]] == ["TLS registry"]
    for step in ("without the CA", "a false ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY keeps verification on"):
        expect_failed(run[step], "TLS", "central_ca_path")
        assert run.requests(step) == {}
    for step in ("without the CA, verification off as with roxctl", "without the CA, validate_certs false",
                 "admin password instead of a token"):
        assert [i["name"] for i in expect_ok(run[step], False)["integrations"]] == ["TLS registry"]
        assert run.requests(step) == {LIST: 1}
    assert secret_fields(emulator.by_name("TLS registry")) == {"docker.password": password}
