"""Every read and write path under every fault kind: each run succeeds or fails cleanly,
a rerun converges, and Central holds no duplicate and no damaged secret."""

from __future__ import annotations

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralError
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import read_task, task_argument_spec
from ansible_collections.stackrox.central.plugins.module_utils._reconcile import ItemFailure, reconcile, reconcile_all
from ansible_collections.stackrox.central.plugins.modules.image_integration_info import read_integrations

FAULT_KINDS = ("status500", "status502", "status503", "status429", "reset_before", "reset_after", "slow")
SECRET = "fault-matrix-password-0001"
NEW_SECRET = "fault-matrix-password-0002"


def task(name, **options):
    params = dict((key, spec.get("default")) for key, spec in task_argument_spec().items())
    params.update(name=name, **options)
    return read_task(params)


def registry(name, password=SECRET, update_password="on_create", **docker):
    config = dict(endpoint="registry.example.com", username="robot", password=password)
    config.update(docker)
    return task(name, type="docker", docker=config, update_password=update_password)


def fault_rule(kind, method, route):
    rule = dict(kind=kind, method=method, route=route, count=1)
    if kind == "status429":
        rule["retryAfter"] = 0.05
    if kind == "slow":
        rule["delay"] = 1.0  # past the client's 0.5 s timeout
    return rule


# path name -> (method and route the fault hits, set-up, the desired state, whether a rerun is a no-op)
PATHS = {
    "create": ("POST", "/v1/imageintegrations", False, lambda: registry("fm"), True),
    "update": ("PATCH", "/v1/imageintegrations/{config.id}", True, lambda: registry("fm", insecure=True), True),
    "update-secret": ("PATCH", "/v1/imageintegrations/{config.id}", True,
                      lambda: registry("fm", password=NEW_SECRET, update_password="always"), False),
    "delete": ("DELETE", "/v1/imageintegrations/{id}", True, lambda: task("fm", state="absent"), True),
    "read": ("GET", "/v1/imageintegrations", True, lambda: registry("fm"), True),
}


def expected_secret(path):
    return NEW_SECRET if path == "update-secret" else SECRET


def check_store(inspector, path, converged=True):
    """No duplicate, no damaged secret; once converged, the state the task asked for."""
    stored = inspector.stored()
    names = [item["name"] for item in stored]
    assert len(names) == len(set(names)), "duplicate names: %s" % names
    item = inspector.stored_by_name("fm")
    if converged:
        assert (item is None) == (path == "delete")
    if item is not None:
        assert item["docker"]["password"] in (SECRET, NEW_SECRET), "stored secret damaged"
    return item


@pytest.mark.parametrize("kind", FAULT_KINDS)
@pytest.mark.parametrize("path", sorted(PATHS))
def test_single_integration_paths(path, kind, inspector, make_client):
    method, route, set_up, desired_state, rerun_is_noop = PATHS[path]
    if set_up:
        reconcile(make_client(), registry("fm"))
    inspector.fault(**fault_rule(kind, method, route))

    try:
        reconcile(make_client(), desired_state())
    except CentralError as exc:
        # A clean failure says what was being done and carries no secret.
        assert "image integration" in str(exc)
        assert SECRET not in str(exc) and NEW_SECRET not in str(exc)
    item = check_store(inspector, path, converged=False)
    if item is not None and path != "update-secret":
        assert item["docker"]["password"] == SECRET

    inspector.clear_faults()
    reconcile(make_client(), desired_state())
    check_store(inspector, path)
    before = inspector.writes()
    outcome = reconcile(make_client(), desired_state())
    if rerun_is_noop:
        assert outcome.changed is False
        assert inspector.writes() == before
    item = check_store(inspector, path)
    if item is not None:
        assert item["docker"]["password"] == expected_secret(path)
        if path == "update":
            assert item["docker"]["insecure"] is True


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_info_read_path(kind, inspector, make_client):
    reconcile(make_client(), registry("fm"))
    inspector.fault(**fault_rule(kind, "GET", "/v1/imageintegrations"))
    try:
        found = read_integrations(make_client(), name="fm")
    except CentralError as exc:
        assert "image integration" in str(exc)
    else:
        assert [i["name"] for i in found] == ["fm"]
        assert found[0]["docker"]["password"] == "******"
    inspector.clear_faults()
    assert [i["name"] for i in read_integrations(make_client(), name="fm")] == ["fm"]


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_bulk_path(kind, inspector, make_client):
    items = [registry("bulk-%d" % i) for i in range(3)]
    inspector.fault(**fault_rule(kind, "POST", "/v1/imageintegrations"))
    outcomes = reconcile_all(make_client(), items, concurrency=2)
    assert len(outcomes) == 3
    for outcome in outcomes:
        if isinstance(outcome, ItemFailure):
            assert outcome.message.startswith("creating image integration") or "image integration" in outcome.message
            assert SECRET not in outcome.message
    inspector.clear_faults()
    reconcile_all(make_client(), items, concurrency=2)
    outcomes = reconcile_all(make_client(), items, concurrency=2)
    assert [o.changed for o in outcomes] == [False, False, False]
    stored = inspector.stored()
    names = [i["name"] for i in stored]
    assert len(names) == len(set(names))
    for i in range(3):
        assert inspector.stored_by_name("bulk-%d" % i)["docker"]["password"] == SECRET


def test_persistent_503_fails_cleanly_after_bounded_retries(inspector, make_client):
    inspector.fault(kind="status503", method="GET", route="/v1/imageintegrations", count=10, retryAfter=0.01)
    with pytest.raises(CentralError) as failure:
        reconcile(make_client(retries=2), registry("fm"))
    assert "HTTP 503" in str(failure.value)
    assert inspector.counts().get("GET /v1/imageintegrations") == 3
    assert inspector.writes() == 0


def test_post_with_unknown_outcome_is_not_resent_blindly(inspector, make_client):
    inspector.fault(kind="reset_after", method="POST", route="/v1/imageintegrations", count=1)
    outcome = reconcile(make_client(), registry("fm"))
    assert outcome.changed is True
    counts = inspector.counts()
    assert counts.get("POST /v1/imageintegrations") == 1, counts
    assert counts.get("GET /v1/imageintegrations") == 2, counts
    assert inspector.stored_by_name("fm")["docker"]["password"] == SECRET


def test_post_refused_before_it_was_applied_is_sent_again_after_a_read(inspector, make_client):
    inspector.fault(kind="reset_before", method="POST", route="/v1/imageintegrations", count=1)
    outcome = reconcile(make_client(), registry("fm"))
    assert outcome.changed is True
    counts = inspector.counts()
    assert counts.get("POST /v1/imageintegrations") == 2, counts
    assert inspector.stored_by_name("fm")["docker"]["password"] == SECRET


def test_retry_after_is_honoured(inspector, make_client):
    slept = []
    client = make_client()
    client.sleep = slept.append
    inspector.fault(kind="status429", method="GET", route="/v1/imageintegrations", count=1, retryAfter=2)
    reconcile(client, registry("fm"))
    assert slept == [2.0]
