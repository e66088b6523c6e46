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
    # Both runs read before either writes, so both see "absent" and both POST.
    both_read = threading.Barrier(2, timeout=10)
    outcomes, errors = {}, {}

    def run(label, password):
        client = make_client(timeout=5)
        first_read = client.list_integrations

        def list_then_wait(*args, **kwargs):
            found = first_read(*args, **kwargs)
            client.list_integrations = first_read
            both_read.wait()
            return found

        client.list_integrations = list_then_wait
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
    counts = inspector.counts()
    # Both tried; Central refused the second; the loser read again and found the winner's.
    assert counts.get("POST /v1/imageintegrations") == 2, counts
    assert counts.get("GET /v1/imageintegrations") == 3, counts
    matches = [i for i in inspector.stored() if i["name"] == "raced"]
    assert len(matches) == 1
    assert sorted(o.changed for o in outcomes.values()) == [False, True]
    winner = [label for label, o in outcomes.items() if o.changed][0]
    # The winner's secret is stored; the loser did not overwrite it (on_create).
    assert matches[0]["docker"]["password"] == "race-password-%s" % winner
    assert all(o.id == matches[0]["id"] for o in outcomes.values())
