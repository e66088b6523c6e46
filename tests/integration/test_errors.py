"""Every error a task can run into: the message names the option or the cause, and nothing is written."""

from __future__ import annotations

from .playbook_runner import (CREATE, LIST, TEST, UPDATE, WRITE_ROUTES, Play, Task, check_then_real, expect_failed,
                              secret_fields)

DOCKER = {"endpoint": "errors.example.com", "username": "robot"}

# (task name, module args, fragments the message must hold, requests the task may send)
# Options that can be judged without Central fail before any request; the others after the one read.
NO_REQUEST = {}
ONE_READ = {LIST: 1}
CASES = [
    ("type change", {"name": "Existing docker", "type": "quay", "quay": {"endpoint": "quay.example.com"}},
     ["Existing docker", "type", "docker", "quay"], ONE_READ),
    ("type change without a block", {"name": "Existing docker", "type": "ecr"},
     ["Existing docker", "type", "docker", "ecr"], ONE_READ),
    ("google create", {"name": "New GCR", "type": "google", "google": {"endpoint": "gcr.io", "project": "p"}},
     ["New GCR", "google", "artifactregistry"], ONE_READ),
    ("scannerv4 create", {"name": "Another Scanner V4", "type": "scannerv4",
                          "scanner_v4": {"num_concurrent_scans": 2}},
     ["Another Scanner V4", "Scanner V4", "created"], ONE_READ),
    ("scannerv4 delete", {"name": "Scanner V4", "state": "absent"}, ["Scanner V4", "deleted"], ONE_READ),
    ("wrong block for type", {"name": "Blocky", "type": "docker", "quay": {"endpoint": "quay.example.com"}},
     ["docker", "quay", "block"], NO_REQUEST),
    ("wrong block for an existing integration", {"name": "Existing docker", "ecr": {"region": "us-east-1"}},
     ["Existing docker", "docker", "ecr"], ONE_READ),
    ("two blocks", {"name": "Two blocks", "type": "docker", "docker": DOCKER, "quay": {"endpoint": "q.example.com"}},
     ["docker", "quay"], NO_REQUEST),
    ("unknown category", {"name": "Cats", "type": "docker", "docker": DOCKER, "categories": ["REGISTRY", "FOO"]},
     ["categories", "FOO"], NO_REQUEST),
    ("category not for the type", {"name": "Cats", "type": "docker", "docker": DOCKER,
                                   "categories": ["REGISTRY", "NODE_SCANNER"]},
     ["docker", "categories", "NODE_SCANNER"], NO_REQUEST),
    ("scanner category for a clair scanner", {"name": "Cats", "type": "clair", "clair": {"endpoint": "c.example.com"},
                                               "categories": ["REGISTRY"]},
     ["clair", "categories", "REGISTRY"], NO_REQUEST),
    ("empty categories", {"name": "Cats", "type": "docker", "docker": DOCKER, "categories": []},
     ["categories", "empty"], NO_REQUEST),
    ("unknown type", {"name": "Typo", "type": "dockr", "docker": DOCKER}, ["type", "dockr"], NO_REQUEST),
    ("negative num_concurrent_scans", {"name": "Negative", "type": "clairify",
                                       "clairify": {"endpoint": "https://scanner.example.com",
                                                    "num_concurrent_scans": -1}},
     ["clairify.num_concurrent_scans", "negative"], NO_REQUEST),
    ("negative scanner v4 scans", {"name": "Scanner V4", "scanner_v4": {"num_concurrent_scans": -5}},
     ["scanner_v4.num_concurrent_scans", "negative"], NO_REQUEST),
    ("localhost endpoint", {"name": "Local", "type": "docker", "docker": {"endpoint": "localhost:5000"}},
     ["docker.endpoint", "localhost"], NO_REQUEST),
    ("loopback endpoint", {"name": "Local", "type": "nexus", "docker": {"endpoint": "https://127.0.0.1:8443"}},
     ["docker.endpoint", "localhost"], NO_REQUEST),
    ("metadata endpoint", {"name": "Metadata", "type": "clairV4",
                           "clair_v4": {"endpoint": "http://169.254.169.254/latest"}},
     ["clair_v4.endpoint", "metadata"], NO_REQUEST),
    ("metadata host endpoint", {"name": "Metadata", "type": "artifactregistry",
                                "google": {"endpoint": "metadata.google.internal", "project": "p"}},
     ["google.endpoint", "metadata"], NO_REQUEST),
    ("missing type on create", {"name": "Typeless", "docker": DOCKER}, ["Typeless", "type", "required"], ONE_READ),
    ("missing block on create", {"name": "Blockless", "type": "ibm"}, ["Blockless", "ibm"], ONE_READ),
]


def _assert_nothing_written(run, step):
    writes = run.writes(step)
    assert not writes, "%s sent %s" % (step, writes)


def test_errors_fail_before_any_write(ansible, emulator, connection, canaries):
    emulator.seed({"name": "Existing docker", "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
                   "docker": {"endpoint": "existing.example.com", "username": "robot",
                              "password": canaries.new("existing")}})
    stored_before = emulator.integrations()
    tasks = []
    for name, args, _, _ in CASES:
        tasks += check_then_real(name, args)
    run = ansible.playbook(connection, Play(tasks))

    for name, _, fragments, expected in CASES:
        for step in (name + " (check)", name):
            expect_failed(run[step], *fragments)
            assert run.requests(step) == expected, step
    assert emulator.integrations() == stored_before


def test_central_errors(ansible, emulator, connection, tokens, canaries):
    """Errors only Central can tell: a failing registry test, a bad token, a token without write access."""
    failing_password = canaries.new("rejected", prefix="invalid")
    failing = {"name": "Tested registry", "type": "docker", "skip_test_integration": False,
               "docker": {"endpoint": "tested.example.com", "username": "robot", "password": failing_password}}
    passing = dict(failing, name="Tested registry ok",
                   docker=dict(failing["docker"], password=canaries.new("accepted")))
    unreachable = dict(failing, name="Unreachable registry",
                       docker=dict(failing["docker"], endpoint="registry.example.invalid",
                                   password=canaries.new("unreachable")))
    kept_password = canaries.new("kept-on-failed-update")
    emulator.seed({"name": "Tested existing", "type": "docker", "categories": ["REGISTRY"],
                   "skipTestIntegration": True,
                   "docker": {"endpoint": "existing.example.com", "username": "robot", "password": kept_password}})
    failing_update = {"name": "Tested existing", "skip_test_integration": False,
                      "docker": {"password": canaries.new("rejected-update", prefix="invalid")}}
    created = {"name": "Read-only create", "type": "docker", "docker": DOCKER}
    bad_token = canaries.new("bad-token", prefix="token")
    tasks = (check_then_real("central test fails", failing)
             + check_then_real("central test passes", passing)
             + check_then_real("central test cannot reach", unreachable)
             + check_then_real("central test fails on update", failing_update)
             # Tokens as module options: Ansible prints the environment keyword at -vvv.
             + check_then_real("bad token", dict(created, central_api_token=bad_token))
             # Check mode writes nothing, so only a Central test (which needs write access) can be refused.
             + [Task("read-only token (check)", dict(created, skip_test_integration=False,
                                                     central_api_token=tokens["read_only"]), check=True),
                Task("read-only token", dict(created, central_api_token=tokens["read_only"]))]
             + [Task("read-only token can read", {"name": "Public DockerHub", "central_api_token": tokens["read_only"]},
                     module="stackrox.central.image_integration_info")])
    run = ansible.playbook(connection, Play(tasks))

    # Check mode asks Central to test the candidate without saving it; the test's failure is reported.
    expect_failed(run["central test fails (check)"], "Tested registry", "test failed")
    assert run.requests("central test fails (check)") == {LIST: 1, TEST: 1}
    # The real run: Central tests before saving and refuses.
    expect_failed(run["central test fails"], "Tested registry", "test failed")
    assert run.requests("central test fails") == {LIST: 1, CREATE: 1}
    for step in ("central test cannot reach (check)", "central test cannot reach"):
        expect_failed(run[step], "Unreachable registry", "registry.example.invalid")
    assert run.requests("central test cannot reach (check)") == {LIST: 1, TEST: 1}
    expect_failed(run["central test fails on update (check)"], "Tested existing", "test failed")
    assert run.requests("central test fails on update (check)") == {LIST: 1, TEST: 1}
    expect_failed(run["central test fails on update"], "Tested existing", "test failed")
    assert run.requests("central test fails on update") == {LIST: 1, UPDATE: 1}
    # A passing test: check mode reports the change, the real run creates.
    assert run["central test passes (check)"]["changed"] is True
    assert run.requests("central test passes (check)") == {LIST: 1, TEST: 1}
    assert run["central test passes"]["changed"] is True
    assert run.requests("central test passes") == {LIST: 1, CREATE: 1}

    for step in ("bad token (check)", "bad token"):
        expect_failed(run[step], "401", "central_api_token")
        assert run.requests(step) == {LIST: 1}
    expect_failed(run["read-only token (check)"], "403", "permission", "Read-only create")
    assert run.requests("read-only token (check)") == {LIST: 1, TEST: 1}
    for step in ("read-only token (check)", "read-only token"):
        assert "integration" in run[step]["msg"].lower()
    expect_failed(run["read-only token"], "403", "permission", "Read-only create")
    assert run.requests("read-only token") == {LIST: 1, CREATE: 1}
    read = run["read-only token can read"]
    assert read["_status"] == "ok" and [i["name"] for i in read["integrations"]] == ["Public DockerHub"]

    log = emulator.requests()["log"]
    refused = [e["status"] for e in log if e["method"] == "POST" and e["route"] == "/v1/imageintegrations"]
    assert refused == [400, 200, 400, 403], refused
    stored = emulator.integrations()
    names = [i["name"] for i in stored]
    assert "Tested registry" not in names and "Unreachable registry" not in names
    assert "Read-only create" not in names
    ok = emulator.by_name("Tested registry ok")
    assert ok["skipTestIntegration"] is False
    assert secret_fields(ok) == {"docker.password": passing["docker"]["password"]}
    existing = emulator.by_name("Tested existing")
    assert existing["skipTestIntegration"] is True
    assert secret_fields(existing) == {"docker.password": kept_password}
    patched = [e["status"] for e in log if e["method"] == "PATCH"]
    assert patched == [400], patched
    assert all(k not in WRITE_ROUTES or k in (CREATE, UPDATE) for k in emulator.requests()["counts"])
