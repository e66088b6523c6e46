"""Two runs that create the same name at once end with one integration, and both succeed."""

from __future__ import annotations

import threading

from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import read_task, task_argument_spec
from ansible_collections.stackrox.central.plugins.module_utils._reconcile import reconcile


def registry(name, password):
    params = dict((key, spec.get("default")) for key, spec in task_argument_spec().items())
    params.update(name=name, type="docker", update_password="on_create",
                  docker=dict(endpoint="registry.example.com", username="robot", password=password))
    return read_task(params)


def test_concurrent_creates_of_one_name_converge(inspector, make_client):
    # Both reads are held back until both runs have asked, so both see "absent" and both POST.
    inspector.fault(kind="slow", method="GET", route="/v1/imageintegrations", count=2, delay=0.5)
    barrier = threading.Barrier(2)
    outcomes, errors = {}, {}

    def run(label, password):
        client = make_client(timeout=5)
        barrier.wait()
        try:
            outcomes[label] = reconcile(client, registry("raced", password))
        except Exception as exc:  # pylint: disable=broad-except
            errors[label] = exc

    threads = [threading.Thread(target=run, args=(label, "race-password-%s" % label)) for label in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == {}
    assert sorted(outcomes) == ["a", "b"]
    counts = inspector.counts()
    assert counts.get("POST /v1/imageintegrations") == 2, counts  # both tried; Central refused one
    matches = [i for i in inspector.stored() if i["name"] == "raced"]
    assert len(matches) == 1
    # The winner's secret is stored; the loser did not overwrite it (on_create).
    winner = [label for label, outcome in outcomes.items() if outcome.plan.action == "create"
              and outcome.integration.get("id")]
    assert matches[0]["docker"]["password"] in ("race-password-a", "race-password-b")
    assert winner, "one run must report the create"
    assert all(o.id == matches[0]["id"] for o in outcomes.values())
