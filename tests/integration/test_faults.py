"""Central faults seen through ansible-playbook: each run succeeds or fails cleanly (a message, no
traceback), a rerun converges, and Central holds no duplicate and no damaged secret.

The suite runs every playbook at -vvv with --diff and scans all output for the planted
secrets, so these failure paths are part of the leak check too.
"""

from __future__ import annotations

import pytest

from .playbook_runner import CREATE, LIST, UPDATE, Play, Task, expect_failed, expect_ok, secret_fields

FAST = {"retries": 2, "retry_backoff": 0.01, "request_timeout": 1}


def fault(kind, method, route, count=1, **extra):
    rule = dict(kind=kind, method=method, route=route, count=count, **extra)
    return {"name": "inject %s on %s %s" % (kind, method, route),
            "ansible.builtin.uri": {"url": "{{ lookup('ansible.builtin.env', 'ROX_ENDPOINT') }}/_emulator/faults",
                                    "method": "POST", "body_format": "json", "body": {"faults": [rule]},
                                    "validate_certs": False}}


def clear_faults():
    return {"name": "clear faults",
            "ansible.builtin.uri": {"url": "{{ lookup('ansible.builtin.env', 'ROX_ENDPOINT') }}/_emulator/faults",
                                    "method": "DELETE", "validate_certs": False}}


def item(name, password, **docker):
    """A docker integration as a bulk item (no connection options)."""
    return dict(name=name, type="docker", update_password="on_create",
                docker=dict({"endpoint": "faults.example.com", "username": "robot", "password": password}, **docker))


def registry(name, password, **docker):
    return dict(FAST, **item(name, password, **docker))


def expect_clean_failure(result, *fragments):
    expect_failed(result, *fragments)
    # ansible-core 2.19 and later add an "exception" entry to every failure at -vvv ("(traceback unavailable)"
    # when there is none); a crash would show a Python traceback or the module's stderr.
    assert "module_stderr" not in result, "the module crashed: %s" % result
    assert "Traceback (most recent call last)" not in str(result.get("exception", "")), result["exception"]


def test_faults_on_every_write_and_read(ansible, emulator, connection, canaries):
    password = canaries.new("faults")
    tasks = [
        fault("status503", "GET", "/v1/imageintegrations", count=10, retryAfter=0),
        Task("read keeps failing", registry("Faulty", password)),
        clear_faults(),
        fault("reset_after", "POST", "/v1/imageintegrations"),
        Task("create whose answer is lost", registry("Faulty", password)),
        fault("slow", "GET", "/v1/imageintegrations", delay=2),
        Task("slow read is retried", registry("Faulty", password)),
        fault("status500", "PATCH", "/v1/imageintegrations/{config.id}"),
        Task("update hits a server error", registry("Faulty", password, insecure=True)),
        Task("update again", registry("Faulty", password, insecure=True)),
        fault("status429", "PATCH", "/v1/imageintegrations/{config.id}", retryAfter=0.1),
        Task("rate limited update", registry("Faulty", password, username="robot2")),
        fault("reset_before", "DELETE", "/v1/imageintegrations/{id}"),
        Task("delete on a dropped connection", dict(FAST, name="Faulty", state="absent")),
        fault("status502", "POST", "/v1/imageintegrations"),
        Task("bulk create through a proxy error", dict(FAST, integrations=[
            item("Bulk %d" % i, canaries.new("bulk-%d" % i)) for i in range(3)]),
            module="stackrox.central.image_integrations"),
        fault("reset_before", "GET", "/v1/imageintegrations"),
        Task("info on a dropped connection", dict(FAST, name="Bulk 0"), module="stackrox.central.image_integration_info"),
    ]
    run = ansible.playbook(connection, Play(tasks))

    expect_clean_failure(run["read keeps failing"], "HTTP 503", "Faulty")
    assert run.requests("read keeps failing") == {LIST: 3}

    expect_ok(run["create whose answer is lost"], True)
    assert run.requests("create whose answer is lost") == {LIST: 2, CREATE: 1}

    expect_ok(run["slow read is retried"], False)

    expect_clean_failure(run["update hits a server error"], "HTTP 500")
    # (The slow read before it may still be counted here when its late answer arrives.)
    assert run.writes("update hits a server error") == {UPDATE: 1}
    expect_ok(run["update again"], True)

    expect_ok(run["rate limited update"], True)
    assert run.requests("rate limited update") == {LIST: 1, UPDATE: 2}

    expect_ok(run["delete on a dropped connection"], True)
    assert emulator.by_name("Faulty") is None

    bulk = expect_ok(run["bulk create through a proxy error"], True)
    assert [item["action"] for item in bulk["results"]] == ["create"] * 3
    assert run.requests("bulk create through a proxy error")[CREATE] == 4  # one lost to the proxy, read back, resent

    info = expect_ok(run["info on a dropped connection"], False)
    assert [i["name"] for i in info["integrations"]] == ["Bulk 0"]

    names = [i["name"] for i in emulator.integrations()]
    assert len(names) == len(set(names)), "duplicates: %s" % names
    for i in range(3):
        assert secret_fields(emulator.by_name("Bulk %d" % i))["docker.password"].startswith("canary-bulk-%d-" % i)


def test_the_leak_check_catches_a_planted_secret(ansible, emulator, connection, canaries):
    planted = canaries.new("planted")
    with pytest.raises(AssertionError, match="secrets in the output"):
        ansible.playbook(connection, Play([{"name": "print a secret", "ansible.builtin.debug": {"msg": planted}}]))
