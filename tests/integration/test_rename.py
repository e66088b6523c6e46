"""Renaming with new_name: done once, then idempotent; a name clash fails before any write."""

from __future__ import annotations

from .playbook_runner import LIST, UPDATE, Play, check_then_real, expect_failed, expect_ok, secret_fields


def _docker(name, canaries):
    return {"name": name, "type": "docker", "categories": ["REGISTRY"], "skipTestIntegration": True,
            "docker": {"endpoint": "%s.example.com" % name.lower().replace(" ", "-"), "username": "robot",
                       "password": canaries.new("rename")}}


def test_rename(ansible, emulator, connection, canaries):
    source, = emulator.seed(_docker("Rename source", canaries))
    emulator.seed(_docker("Clash A", canaries), _docker("Clash B", canaries))
    secrets_before = secret_fields(source)
    rename = {"name": "Rename source", "new_name": "Rename target"}
    clash = {"name": "Clash A", "new_name": "Clash B"}
    tasks = (check_then_real("rename", rename) + check_then_real("rename again", rename)
             + check_then_real("rename onto an existing name", clash))
    run = ansible.playbook(connection, Play(tasks))

    expect_ok(run["rename (check)"], True)
    renamed = expect_ok(run["rename"], True)
    assert run.requests("rename (check)") == {LIST: 1}
    assert run.requests("rename") == {LIST: 1, UPDATE: 1}
    assert renamed["diff"]["before"]["name"] == "Rename source"
    assert renamed["diff"]["after"]["name"] == "Rename target"
    assert renamed["id"] == source["id"]
    for step in ("rename again (check)", "rename again"):
        result = expect_ok(run[step], False)
        assert result["id"] == source["id"]
        assert run.requests(step) == {LIST: 1}
    for step in ("rename onto an existing name (check)", "rename onto an existing name"):
        expect_failed(run[step], "Clash B", "already exists")
        assert run.requests(step) == {LIST: 1}

    assert emulator.by_name("Rename source") is None
    target = emulator.by_name("Rename target")
    assert target["id"] == source["id"]
    assert secret_fields(target) == secrets_before
    assert emulator.by_name("Clash A") is not None and emulator.by_name("Clash B") is not None
