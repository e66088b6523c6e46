# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine, per integration type: create, no-op, update, credentials, delete and the task checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import (
    SENT_SECRET,
    TaskError,
    mask,
    plan_integration,
    read_task,
)
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, CATEGORY_ORDER, TYPES, leaves
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
    changed_value,
    get_option,
    secret_options,
    set_option,
    task_params,
    without,
)

NAME = "Team integration"

# What the module documentation promises for a create without categories.
DOCUMENTED_DEFAULT_CATEGORIES = {
    "docker": ["REGISTRY"], "rhel": ["REGISTRY"], "artifactory": ["REGISTRY"], "nexus": ["REGISTRY"],
    "ghcr": ["REGISTRY"], "azure": ["REGISTRY"], "quay": ["REGISTRY"], "ecr": ["REGISTRY"],
    "artifactregistry": ["REGISTRY"], "ibm": ["REGISTRY"], "clairify": ["SCANNER", "NODE_SCANNER"],
    "clairV4": ["SCANNER"], "clair": ["SCANNER"],
}


def block_of_type(type_name):
    return TYPES[type_name].block


def plan_for(current, **options):
    options.setdefault("name", NAME)
    return plan_integration(current, read_task(task_params(**options)))


def task_error(current, **options):
    with pytest.raises(TaskError) as caught:
        plan_for(current, **options)
    message = str(caught.value)
    assert message.startswith("image integration '%s'" % options.get("name", NAME)), message
    return message


def options_of(type_name, options):
    """Task options for a type with its preferred block set to ``options``."""
    return {block_of_type(type_name).option: options}


def leaf_options(type_name, predicate):
    """Dotted option names of the type's block whose Field matches ``predicate``."""
    block = block_of_type(type_name)
    return [".".join([block.option] + [f.option for f in path]) for path, f in leaves(block.fields) if predicate(f)]


def cases(predicate, types=ALL_TYPES):
    return [(t, o) for t in types for o in leaf_options(t, predicate)]


def api_keys(dotted):
    """API key path for a dotted option name."""
    parts = dotted.split(".")
    block = BLOCKS[parts[0]]
    keys, fields = [block.api], block.fields
    for part in parts[1:]:
        field = [f for f in fields if f.option == part][0]
        keys.append(field.api)
        fields = field.fields
    return keys


def dig(obj, keys):
    for key in keys:
        obj = obj[key]
    return obj


def shown(integration):
    """An integration as the diff shows it: config blocks the integration does not use left out."""
    unused = set(b.api for b in BLOCKS.values())
    return dict((k, v) for k, v in integration.items() if not (k in unused and v is None))


def stored(type_name, name=NAME, **kwargs):
    """The integration with every sample value, as a GET returns it (credentials masked)."""
    return central_integration(type_name, name=name, options=block_options(type_name), **kwargs)


FREE_FIELDS = cases(lambda f: not f.secret and not f.dependent)
DEPENDENT_FIELDS = cases(lambda f: f.dependent)
SECRET_FIELDS = cases(lambda f: f.secret)


# ---------------------------------------------------------------------- create

@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_sends_zero_values_and_every_supplied_field(type_name):
    options = block_options(type_name)
    plan = plan_for(None, type=type_name, **options_of(type_name, options))

    expected = central_integration(type_name, name=NAME, options=options, masked=False)
    del expected["id"]
    assert plan.action == "create"
    assert plan.changed is True
    assert plan.update_password is True
    assert plan.payload == expected
    assert plan.payload["categories"] == DOCUMENTED_DEFAULT_CATEGORIES[type_name]


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_with_one_field_fills_the_rest_with_zero_values(type_name):
    block = block_of_type(type_name)
    first = [f for f in block.fields if not f.secret and f.kind != "dict"][0]
    value = block_options(type_name)[first.option]
    plan = plan_for(None, type=type_name, **options_of(type_name, {first.option: value}))

    expected = central_integration(type_name, name=NAME, options={first.option: value}, masked=False)
    assert plan.payload[block.api] == expected[block.api]
    for other in BLOCKS.values():
        if other is not block:
            assert plan.payload[other.api] is None


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_shows_every_credential_masked(type_name):
    options = block_options(type_name)
    plan = plan_for(None, type=type_name, **options_of(type_name, options))

    expected_after = central_integration(type_name, name=NAME, options=options, integration_id="")
    assert plan.after == expected_after
    assert plan.diff == {"before": {}, "after": shown(expected_after)}
    assert plan.result == expected_after
    for dotted in secret_options(type_name):
        assert dig(plan.after, api_keys(dotted)) == MASK
        assert dig(plan.payload, api_keys(dotted)) == canary(type_name, dotted)


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
@pytest.mark.parametrize("update_password", ["on_create", "always"])
def test_rerun_after_create_is_a_noop(type_name, update_password):
    options = block_options(type_name, secrets=update_password == "on_create")
    task = dict(type=type_name, update_password=update_password, **options_of(type_name, options))
    created = plan_for(None, **task)
    as_central_returns_it = central_mask(dict(created.payload, id=INTEGRATION_ID))

    plan = plan_for(as_central_returns_it, **task)

    assert plan.action == "noop"
    assert plan.changed is False
    assert plan.payload is None
    assert plan.diff["before"] == plan.diff["after"] == shown(as_central_returns_it)
    assert plan.result == as_central_returns_it


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_rerun_with_update_password_always_sends_the_credentials_again(type_name):
    plan = plan_for(stored(type_name), type=type_name, **options_of(type_name, block_options(type_name)))
    assert plan.action == "update"
    assert plan.update_password is True


@pytest.mark.parametrize("type_name", ["google", "scannerv4"])
def test_create_of_a_type_central_refuses_to_create_fails(type_name):
    message = task_error(None, type=type_name, **options_of(type_name, block_options(type_name)))
    assert TYPES[type_name].create_error in message


def test_create_without_type_fails():
    assert "type is required" in task_error(None, docker={"endpoint": "registry.example.com"})


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_create_without_config_block_fails(type_name):
    message = task_error(None, type=type_name)
    assert "the %s block is required" % block_of_type(type_name).option in message


# ---------------------------------------------------------------------- update

@pytest.mark.parametrize("type_name,dotted", FREE_FIELDS)
def test_one_field_change_reconciles_with_stored_credentials(type_name, dotted):
    current = stored(type_name)
    options = block_options(type_name, secrets=False)
    new_value = changed_value(get_option(options, dotted.split(".", 1)[1]))
    set_option(options, dotted.split(".", 1)[1], new_value)

    plan = plan_for(current, **options_of(type_name, options))

    assert plan.action == "update"
    assert plan.update_password is False
    assert plan.integration_id == INTEGRATION_ID
    assert plan.changes == [dotted]
    assert dig(plan.payload, api_keys(dotted)) == new_value
    for secret in secret_options(type_name):
        assert dig(plan.payload, api_keys(secret)) == MASK
    expected = copy.deepcopy(current)
    keys = api_keys(dotted)
    dig(expected, keys[:-1])[keys[-1]] = new_value
    assert plan.payload == expected
    assert plan.diff == {"before": shown(current), "after": shown(expected)}


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_top_level_change_keeps_credentials_masked(type_name):
    current = stored(type_name)
    plan = plan_for(current, skip_test_integration=False)
    assert plan.action == "update"
    assert plan.update_password is False
    assert plan.changes == ["skip_test_integration"]
    assert plan.payload == dict(current, skipTestIntegration=False)


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_task_with_only_a_name_is_a_noop(type_name):
    plan = plan_for(stored(type_name))
    assert plan.action == "noop"
    assert plan.payload is None


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_secret_only_change_with_always_sends_every_credential(type_name):
    current = stored(type_name)
    plan = plan_for(current, update_password="always", **options_of(type_name, block_options(type_name)))

    assert plan.action == "update"
    assert plan.update_password is True
    assert sorted(plan.changes) == sorted(secret_options(type_name))
    for dotted in secret_options(type_name):
        keys = api_keys(dotted)
        assert dig(plan.payload, keys) == canary(type_name, dotted)
        assert dig(plan.diff["before"], keys) == MASK
        assert dig(plan.diff["after"], keys) == SENT_SECRET
        assert dig(plan.result, keys) == MASK
    assert plan.result == current


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_secret_only_change_with_on_create_is_a_noop(type_name):
    plan = plan_for(stored(type_name), update_password="on_create", **options_of(type_name, block_options(type_name)))
    assert plan.action == "noop"
    assert plan.payload is None


@pytest.mark.parametrize("update_password", ["always", "on_create"])
@pytest.mark.parametrize("type_name,dotted", DEPENDENT_FIELDS)
def test_dependent_change_without_credentials_fails_and_names_them(type_name, dotted, update_password):
    options = block_options(type_name, secrets=False)
    local = dotted.split(".", 1)[1]
    set_option(options, local, changed_value(get_option(options, local)))

    message = task_error(stored(type_name), update_password=update_password, **options_of(type_name, options))

    assert "changing %s" % dotted in message
    for secret in secret_options(type_name):
        assert secret in message


@pytest.mark.parametrize("update_password", ["always", "on_create"])
@pytest.mark.parametrize("type_name,dotted", DEPENDENT_FIELDS)
def test_dependent_change_with_credentials_sends_them(type_name, dotted, update_password):
    options = block_options(type_name)
    local = dotted.split(".", 1)[1]
    new_value = changed_value(get_option(options, local))
    set_option(options, local, new_value)

    plan = plan_for(stored(type_name), update_password=update_password, **options_of(type_name, options))

    assert plan.action == "update"
    assert plan.update_password is True
    assert dotted in plan.changes
    assert dig(plan.payload, api_keys(dotted)) == new_value
    for secret in secret_options(type_name):
        assert dig(plan.payload, api_keys(secret)) == canary(type_name, secret)
        assert dig(plan.diff["after"], api_keys(secret)) == SENT_SECRET


PARTIAL_SECRETS = [
    ("ecr", ["ecr.secret_access_key"], ["ecr.access_key_id"]),
    ("ecr", ["ecr.access_key_id"], ["ecr.secret_access_key"]),
    ("quay", ["quay.oauth_token"], ["quay.registry_robot_credentials.password"]),
    ("quay", ["quay.registry_robot_credentials.password"], ["quay.oauth_token"]),
]


@pytest.mark.parametrize("type_name,supplied,missing", PARTIAL_SECRETS)
def test_partial_credentials_with_always_fail_and_name_the_missing_ones(type_name, supplied, missing):
    options = block_options(type_name)
    for dotted in secret_options(type_name):
        if dotted not in supplied:
            options = without(options, dotted.split(".", 1)[1])

    message = task_error(stored(type_name), update_password="always", **options_of(type_name, options))

    assert "supply %s as well" % ", ".join(missing) in message
    for dotted in supplied:
        assert "supply %s" % dotted not in message


@pytest.mark.parametrize("type_name,supplied,missing", PARTIAL_SECRETS)
def test_partial_credentials_with_on_create_are_a_noop(type_name, supplied, missing):
    options = block_options(type_name)
    for dotted in missing:
        options = without(options, dotted.split(".", 1)[1])
    plan = plan_for(stored(type_name), update_password="on_create", **options_of(type_name, options))
    assert plan.action == "noop"


def test_quay_oauth_token_alone_is_enough_when_no_robot_account_is_stored():
    current = central_integration("quay", name=NAME, options={"endpoint": "quay.io"})
    plan = plan_for(current, quay={"oauth_token": "new-token"})
    assert plan.action == "update"
    assert plan.update_password is True
    assert plan.payload["quay"]["oauthToken"] == "new-token"
    assert plan.payload["quay"]["registryRobotCredentials"] is None


def test_adding_a_robot_account_needs_the_oauth_token():
    current = central_integration("quay", name=NAME, options={"endpoint": "quay.io"})
    message = task_error(current, update_password="on_create",
                         quay={"registry_robot_credentials": {"username": "org+ci", "password": "robot"}})
    assert "adding quay.registry_robot_credentials" in message
    assert "quay.oauth_token" in message


def test_azure_integration_in_the_docker_block_moves_to_the_azure_block_with_its_password():
    current = central_integration("azure", name=NAME, block="docker", options={"endpoint": "a.azurecr.io", "username": "u"})
    message = task_error(current, azure={"endpoint": "a.azurecr.io", "username": "u"})
    assert "azure.password" in message
    plan = plan_for(current, azure={"endpoint": "a.azurecr.io", "username": "u", "password": "p"}, update_password="on_create")
    assert plan.update_password is True
    assert plan.payload["docker"] is None
    assert plan.payload["azure"] == {"endpoint": "a.azurecr.io", "username": "u", "password": "p", "wifEnabled": False}


def test_sensor_fields_are_sent_back_unchanged(fixture_loader):
    current = fixture_loader("get_autogenerated_docker.json")
    plan = plan_for(current, name=current["name"], docker={"insecure": True})
    assert plan.action == "update"
    for key in ("autogenerated", "clusterId", "source", "id"):
        assert plan.payload[key] == current[key]


def test_ecr_authorization_data_is_kept_masked_when_no_credentials_are_sent(fixture_loader):
    current = fixture_loader("get_ecr_with_authorization_data.json")
    plan = plan_for(current, name=current["name"], ecr={"region": "us-east-1"})
    assert plan.update_password is False
    assert plan.payload["ecr"]["authorizationData"] == current["ecr"]["authorizationData"]
    assert plan.payload["ecr"]["authorizationData"]["password"] == MASK


def test_ecr_authorization_data_is_dropped_when_credentials_are_sent(fixture_loader):
    current = fixture_loader("get_ecr_with_authorization_data.json")
    plan = plan_for(current, name=current["name"], ecr={"access_key_id": "AKIA", "secret_access_key": "s"})
    assert plan.update_password is True
    assert plan.payload["ecr"]["authorizationData"] is None
    assert plan.after["ecr"]["authorizationData"] is None


def test_ecr_switch_to_iam_with_empty_keys(fixture_loader):
    current = fixture_loader("get_ecr_with_authorization_data.json")
    plan = plan_for(current, name=current["name"], ecr={"use_iam": True, "access_key_id": "", "secret_access_key": ""},
                    update_password="on_create")
    assert plan.update_password is True
    assert plan.payload["ecr"]["useIam"] is True
    assert plan.payload["ecr"]["accessKeyId"] == ""
    assert plan.payload["ecr"]["secretAccessKey"] == ""


def test_update_password_defaults_to_always():
    assert read_task(task_params(name=NAME)).update_password == "always"


# ---------------------------------------------------------------------- delete, type, rename

@pytest.mark.parametrize("type_name", sorted(set(ALL_TYPES) - {"scannerv4"}))
def test_delete(type_name):
    current = stored(type_name)
    plan = plan_for(current, state="absent")
    assert plan.action == "delete"
    assert plan.integration_id == INTEGRATION_ID
    assert plan.payload is None
    assert plan.diff == {"before": shown(current), "after": {}}
    assert plan.result == {}


def test_delete_of_scanner_v4_fails():
    assert "cannot be deleted" in task_error(stored("scannerv4", name="Scanner V4"), name="Scanner V4", state="absent")


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_absent_when_missing_is_a_noop(type_name):
    plan = plan_for(None, state="absent", type=type_name)
    assert plan.action == "noop"
    assert plan.changed is False


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_type_cannot_change(type_name):
    other = [t for t in ALL_TYPES if t != type_name and TYPES[t].blocks[0] != TYPES[type_name].blocks[0]][0]
    message = task_error(stored(type_name), type=other)
    assert "cannot change from %s to %s" % (type_name, other) in message


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_rename_with_new_name(type_name):
    current = stored(type_name)
    plan = plan_for(current, new_name="Renamed")
    assert plan.action == "update"
    assert plan.name == "Renamed"
    assert plan.changes == ["new_name"]
    assert plan.update_password is False
    assert plan.payload == dict(current, name="Renamed")


def test_rename_already_done_is_a_noop():
    plan = plan_for(stored("docker", name="Renamed"), new_name="Renamed")
    assert plan.action == "noop"


def test_empty_new_name_fails():
    assert "new_name must not be empty" in task_error(None, new_name="")


# ---------------------------------------------------------------------- categories and blocks

@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_categories_are_sorted_into_enum_order(type_name):
    supported = list(TYPES[type_name].categories)
    desired = read_task(task_params(name=NAME, type=type_name, categories=list(reversed(supported)) * 2))
    assert desired.categories == [c for c in CATEGORY_ORDER if c in supported]


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_unsupported_categories_are_refused(type_name):
    for category in CATEGORY_ORDER:
        if category in TYPES[type_name].categories:
            continue
        message = task_error(None, type=type_name, categories=[category])
        assert "does not support categories %s" % category in message
        message = task_error(stored(type_name), categories=[category])
        assert "does not support categories %s" % category in message


def test_empty_and_unknown_categories_are_refused():
    assert "must not be empty" in task_error(None, type="docker", categories=[])
    params = task_params(name=NAME, type="docker")
    params["categories"] = ["REGISTRY", "IMAGE_SIGNATURE"]
    with pytest.raises(TaskError, match="unknown categories IMAGE_SIGNATURE"):
        read_task(params)


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_wrong_block_for_type_is_refused(type_name):
    wrong = [b for b in sorted(BLOCKS) if b not in TYPES[type_name].blocks][0]
    options = {wrong: block_options([t for t in ALL_TYPES if TYPES[t].blocks[0] == wrong][0], secrets=False)}
    message = task_error(None, type=type_name, **options)
    assert "takes the %s block, not %s" % (" or ".join(TYPES[type_name].blocks), wrong) in message
    message = task_error(stored(type_name), **options)
    assert "not %s" % wrong in message


def test_two_blocks_are_refused():
    message = task_error(None, type="docker", docker={"endpoint": "a.example.com"}, quay={"endpoint": "quay.io"})
    assert "only one config block" in message
    assert "docker, quay" in message


@pytest.mark.parametrize("block", ["clairify", "scanner_v4"])
def test_negative_num_concurrent_scans_is_refused(block):
    message = task_error(None, **{block: {"num_concurrent_scans": -1}})
    assert "%s.num_concurrent_scans must not be negative" % block in message
    desired = read_task(task_params(name=NAME, **{block: {"num_concurrent_scans": 0}}))
    assert [s.value for s in desired.settings] == [0]


# ---------------------------------------------------------------------- mask

@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_mask_hides_what_central_hides(type_name):
    unmasked = central_integration(type_name, options=block_options(type_name), masked=False)
    assert mask(unmasked) == central_mask(unmasked)
    assert mask(unmasked) == central_integration(type_name, options=block_options(type_name))


def test_mask_hides_ecr_authorization_data_password():
    unmasked = central_integration("ecr", options=block_options("ecr"), masked=False)
    unmasked["ecr"]["authorizationData"] = {"username": "AWS", "password": "CANARY-token", "expiresAt": ""}
    assert mask(unmasked)["ecr"]["authorizationData"]["password"] == MASK
