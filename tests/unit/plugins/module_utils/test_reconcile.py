# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""reconcile() against an in-memory Central: the requests it sends and what it reports."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralAPIError, OutcomeUnknown
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import TaskError, read_task
from ansible_collections.stackrox.central.plugins.module_utils._reconcile import find_current, index_by_name, reconcile
from ansible_collections.stackrox.central.tests.unit.central_objects import (
    ALL_TYPES,
    CREATABLE_TYPES,
    INTEGRATION_ID,
    MASK,
    TYPES_WITH_SECRETS,
    block_options,
    canary,
    central_integration,
    central_mask,
    find_canaries,
    secret_options,
    task_params,
)
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import TYPES

NAME = "Team integration"


def desired_for(type_name, update_password="on_create", **options):
    options.setdefault("name", NAME)
    block = TYPES[type_name].block.option
    options.setdefault(block, block_options(type_name))
    return read_task(task_params(type=type_name, update_password=update_password, **options))


def stored_unmasked(type_name, name=NAME):
    """What Central holds for the task of desired_for(): the canaries as the real credentials."""
    return central_integration(type_name, name=name, options=block_options(type_name), masked=False)


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_noop_sends_one_get_and_no_write(fake_central, type_name):
    central = fake_central([stored_unmasked(type_name)])
    outcome = reconcile(central, desired_for(type_name))

    assert central.calls == [("list_integrations", (NAME,))]
    assert outcome.changed is False
    assert outcome.id == INTEGRATION_ID
    assert outcome.integration == central_mask(stored_unmasked(type_name))


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_sends_one_post_and_masks_its_answer(fake_central, type_name):
    central = fake_central()
    outcome = reconcile(central, desired_for(type_name))

    assert central.methods() == ["list_integrations", "create_integration"]
    created = list(central.store.values())[0]
    assert outcome.changed is True
    assert outcome.id == created["id"]
    assert outcome.integration == central_mask(created)
    result = outcome.result(True)
    assert result["integration"]["id"] == created["id"]
    assert find_canaries(result) == []
    for dotted in secret_options(type_name):
        assert canary(type_name, dotted) in str(created)  # Central holds the real credentials
    assert str(result["integration"]).count(MASK) == len(secret_options(type_name))


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_second_run_after_create_is_a_noop(fake_central, type_name):
    central = fake_central()
    reconcile(central, desired_for(type_name))
    del central.calls[:]
    outcome = reconcile(central, desired_for(type_name))
    assert outcome.changed is False
    assert central.methods() == ["list_integrations"]


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_update_sends_one_patch_and_keeps_stored_credentials(fake_central, type_name):
    central = fake_central([stored_unmasked(type_name)])
    outcome = reconcile(central, desired_for(type_name, skip_test_integration=False))

    assert central.methods() == ["list_integrations", "update_integration"]
    _method, (integration_id, _payload, update_password) = central.calls[1]
    assert integration_id == INTEGRATION_ID
    assert update_password is False
    assert central.store[INTEGRATION_ID] == dict(stored_unmasked(type_name), skipTestIntegration=False)
    assert outcome.changed is True
    assert outcome.integration == central_mask(central.store[INTEGRATION_ID])


@pytest.mark.parametrize("type_name", sorted(set(ALL_TYPES) - {"scannerv4"}))
def test_delete_sends_one_delete(fake_central, type_name):
    central = fake_central([stored_unmasked(type_name)])
    outcome = reconcile(central, read_task(task_params(name=NAME, state="absent")))
    assert central.calls[1:] == [("delete_integration", (INTEGRATION_ID, NAME))]
    assert central.store == {}
    assert outcome.changed is True
    assert outcome.result(False) == {"changed": True, "id": INTEGRATION_ID, "integration": {}}


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_unknown_create_outcome_is_read_back_and_not_sent_again(fake_central, type_name):
    central = fake_central()
    central.fail("create_integration", OutcomeUnknown("creating: connection reset"), after_effect=True)
    outcome = reconcile(central, desired_for(type_name))

    assert central.methods() == ["list_integrations", "create_integration", "list_integrations"]
    created = list(central.store.values())[0]
    assert len(central.store) == 1
    assert outcome.changed is True
    assert outcome.id == created["id"]
    assert outcome.integration == central_mask(created)
    assert find_canaries(outcome.result(True)) == []


def test_unknown_create_outcome_with_update_password_always_posts_only_once(fake_central):
    central = fake_central()
    central.fail("create_integration", OutcomeUnknown("creating: HTTP 502"), after_effect=True)
    reconcile(central, desired_for("docker", update_password="always"))
    assert central.methods().count("create_integration") == 1
    assert len(central.store) == 1


def test_create_that_did_not_happen_is_sent_again_after_reading_back(fake_central):
    central = fake_central()
    central.fail("create_integration", OutcomeUnknown("creating: connection refused"), after_effect=False)
    outcome = reconcile(central, desired_for("docker"))
    assert central.methods() == ["list_integrations", "create_integration", "list_integrations", "create_integration"]
    assert len(central.store) == 1
    assert outcome.changed is True


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_that_lost_the_race_converges_without_writing(fake_central, type_name):
    central = fake_central([stored_unmasked(type_name)])  # another run created it after our read
    outcome = reconcile(central, desired_for(type_name), current=None, known=True)

    assert central.methods() == ["create_integration", "list_integrations"]
    assert outcome.changed is False
    assert outcome.integration == central_mask(stored_unmasked(type_name))


def test_create_that_lost_the_race_updates_what_the_other_run_created(fake_central):
    other = stored_unmasked("docker")
    other["docker"]["insecure"] = False
    central = fake_central([other])
    outcome = reconcile(central, desired_for("docker"), current=None, known=True)

    assert central.methods() == ["create_integration", "list_integrations", "update_integration"]
    assert central.calls[2][1][2] is False
    assert central.store[INTEGRATION_ID]["docker"]["insecure"] is True
    assert outcome.changed is True


def test_other_create_errors_are_raised(fake_central):
    central = fake_central()
    central.fail("create_integration", CentralAPIError("creating: HTTP 400: test failed", 400, "test failed"))
    with pytest.raises(CentralAPIError):
        reconcile(central, desired_for("docker"))
    assert central.methods() == ["list_integrations", "create_integration"]


def test_unknown_update_outcome_is_raised(fake_central):
    central = fake_central([stored_unmasked("docker")])
    central.fail("update_integration", OutcomeUnknown("updating: connection reset"))
    with pytest.raises(OutcomeUnknown):
        reconcile(central, desired_for("docker", skip_test_integration=False))


@pytest.mark.parametrize("skip_test,tested", [(True, False), (False, True)])
@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_check_mode_create_writes_nothing_and_tests_only_when_asked(fake_central, type_name, skip_test, tested):
    central = fake_central()
    outcome = reconcile(central, desired_for(type_name, skip_test_integration=skip_test), check_mode=True)

    expected = ["list_integrations"] + (["test_integration"] if tested else [])
    assert central.methods() == expected
    assert central.store == {}
    assert outcome.changed is True
    if tested:
        _method, (payload, update_password) = central.calls[1]
        assert payload["name"] == NAME
        assert update_password is True
    assert find_canaries(outcome.result(True)) == []


@pytest.mark.parametrize("skip_test,tested", [(True, False), (False, True)])
def test_check_mode_update_writes_nothing_and_tests_only_when_asked(fake_central, skip_test, tested):
    current = stored_unmasked("quay")
    current["skipTestIntegration"] = skip_test
    central = fake_central([current])
    outcome = reconcile(central, desired_for("quay", skip_test_integration=skip_test, categories=["REGISTRY", "SCANNER"]),
                        check_mode=True)

    assert central.methods() == ["list_integrations"] + (["test_integration"] if tested else [])
    assert central.writes() == []
    assert central.store[INTEGRATION_ID] == current
    assert outcome.changed is True
    assert outcome.integration["categories"] == ["REGISTRY", "SCANNER"]


def test_check_mode_noop_sends_only_the_get(fake_central):
    central = fake_central([stored_unmasked("docker")])
    outcome = reconcile(central, desired_for("docker", skip_test_integration=True), check_mode=True)
    assert central.methods() == ["list_integrations"]
    assert outcome.changed is False


def test_rename_reads_the_whole_listing_once(fake_central):
    central = fake_central([stored_unmasked("docker")])
    outcome = reconcile(central, desired_for("docker", new_name="Renamed"))
    assert central.calls[0] == ("list_integrations", (None,))
    assert central.methods() == ["list_integrations", "update_integration"]
    assert central.store[INTEGRATION_ID]["name"] == "Renamed"
    assert outcome.changed is True


def test_rename_already_done_is_a_noop(fake_central):
    central = fake_central([stored_unmasked("docker", name="Renamed")])
    outcome = reconcile(central, desired_for("docker", new_name="Renamed"))
    assert central.methods() == ["list_integrations"]
    assert outcome.changed is False


def test_rename_onto_a_taken_name_fails(fake_central):
    taken = stored_unmasked("docker", name="Renamed")
    taken["id"] = "other"
    central = fake_central([stored_unmasked("docker"), taken])
    with pytest.raises(TaskError, match="an integration with that name already exists"):
        reconcile(central, desired_for("docker", new_name="Renamed"))
    assert central.writes() == []


def test_rename_of_a_missing_integration_creates_it_under_the_new_name(fake_central):
    central = fake_central()
    reconcile(central, desired_for("docker", new_name="Renamed"))
    assert [item["name"] for item in central.store.values()] == ["Renamed"]


def test_find_current_uses_a_given_listing_without_requests(fake_central, fixture_loader):
    central = fake_central()
    listing = fixture_loader("list_fresh_central.json")["integrations"]
    found = find_current(central, read_task(task_params(name="Public Quay.io")), by_name=index_by_name(listing))
    assert found["id"] == "e50087f1-6840-4d15-aeca-21ba636f0878"
    assert central.calls == []


def test_built_in_scanner_v4_can_be_updated(fake_central, fixture_loader):
    listing = fixture_loader("list_fresh_central.json")["integrations"]
    central = fake_central(listing)
    outcome = reconcile(central, read_task(task_params(name="Scanner V4", scanner_v4={"num_concurrent_scans": 20})))
    assert central.methods() == ["list_integrations", "update_integration"]
    assert central.store["a87471e6-9678-4e66-8348-91e302b6de07"]["scannerV4"]["numConcurrentScans"] == 20
    assert outcome.changed is True


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_update_password_always_replaces_the_stored_credentials(fake_central, type_name):
    central = fake_central([stored_unmasked(type_name)])  # the canaries are the stored credentials
    options = block_options(type_name)
    for dotted in secret_options(type_name):
        parts = dotted.split(".")[1:]
        target = options
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = "new-" + target[parts[-1]]
    outcome = reconcile(central, desired_for(type_name, update_password="always", **{TYPES[type_name].block.option: options}))
    assert central.calls[1][1][2] is True
    stored = str(central.store[INTEGRATION_ID])
    assert stored.count("new-CANARY") == len(secret_options(type_name))
    assert find_canaries(outcome.result(True)) == []
