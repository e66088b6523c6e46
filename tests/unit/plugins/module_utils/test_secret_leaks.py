# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No credential a task supplies ever shows in a diff, a result or an error message.

Every secret option of every type carries a canary; every output is scanned for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralAPIError, OutcomeUnknown
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import TaskError, plan_integration, read_task
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, CATEGORY_ORDER, TYPES
from ansible_collections.stackrox.central.plugins.module_utils._reconcile import reconcile
from ansible_collections.stackrox.central.tests.unit.central_objects import (
    TYPES_WITH_SECRETS,
    block_options,
    central_integration,
    changed_value,
    find_canaries,
    secret_options,
    task_params,
    without,
)
from ansible_collections.stackrox.central.tests.unit.fake_central import FakeCentralClient

NAME = "Leaky"


def task(type_name, update_password="always", options=None, **extra):
    block = TYPES[type_name].block.option
    params = dict(name=NAME, update_password=update_password, **extra)
    params[block] = block_options(type_name) if options is None else options
    return read_task(task_params(**params))


def current(type_name, **kwargs):
    return central_integration(type_name, name=NAME, options=block_options(type_name), **kwargs)


def outputs_of(plan):
    return {"diff": plan.diff, "result": plan.result, "after": plan.after, "before": plan.before,
            "changes": plan.changes, "name": plan.name}


def assert_no_canary(output):
    assert find_canaries(output) == []


def test_canaries_are_found_when_present():
    # The scanner itself must be able to fail.
    assert find_canaries({"x": block_options("ecr")}) != []
    assert find_canaries(TaskError("image integration 'x': %s" % block_options("quay"))) != []


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
@pytest.mark.parametrize("update_password", ["always", "on_create"])
def test_plans_never_show_credentials(type_name, update_password):
    plans = []
    if not TYPES[type_name].create_error:
        plans.append(plan_integration(None, task(type_name, update_password, type=type_name)))
    plans.append(plan_integration(current(type_name), task(type_name, update_password)))
    plans.append(plan_integration(current(type_name, skip_test=False), task(type_name, update_password)))
    options = block_options(type_name)
    if "endpoint" in options:
        options["endpoint"] = changed_value(options["endpoint"])
        plans.append(plan_integration(current(type_name), task(type_name, update_password, options=options)))
    plans.append(plan_integration(current(type_name), task(type_name, update_password, new_name="Leaky 2")))
    assert any(p.payload and find_canaries(p.payload) for p in plans)  # the credentials did go out
    for plan in plans:
        assert_no_canary(outputs_of(plan))


def error_tasks(type_name):
    """(current, params) pairs that each end in a TaskError while every secret carries a canary."""
    itype = TYPES[type_name]
    block = itype.block.option
    full = block_options(type_name)
    base = dict(name=NAME, update_password="always")
    other_type = [t for t in sorted(TYPES) if TYPES[t].blocks[0] != itype.blocks[0]][0]
    wrong_category = [c for c in CATEGORY_ORDER if c not in itype.categories][0]
    other_block = [b for b in sorted(BLOCKS) if b not in itype.blocks][0]
    yield current(type_name), dict(base, type=other_type, **{block: full})
    yield current(type_name), dict(base, categories=[wrong_category], **{block: full})
    yield None, dict(base, type=type_name, categories=[wrong_category], **{block: full})
    yield None, dict(base, **{block: full, other_block: {}})
    if itype.create_error:
        yield None, dict(base, type=type_name, **{block: full})
    if "endpoint" in full:
        yield None, dict(base, type=type_name, **{block: dict(full, endpoint="localhost:5000")})
        changed = dict(without(full, secret_options(type_name)[0].split(".", 1)[1]), endpoint="other.example.com")
        yield current(type_name), dict(base, update_password="on_create", **{block: changed})
    for dotted in secret_options(type_name):
        if len(secret_options(type_name)) > 1:
            yield current(type_name), dict(base, **{block: without(full, dotted.split(".", 1)[1])})


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_task_errors_never_show_credentials(type_name):
    messages = []
    cases = list(error_tasks(type_name))
    assert sum(1 for _stored, params in cases if find_canaries(params)) >= 4
    for stored, params in cases:
        with pytest.raises(TaskError) as caught:
            plan_integration(stored, read_task(task_params(**params)))
        messages.append(str(caught.value))
        assert_no_canary(repr(caught.value))
    assert len(messages) >= 4
    assert_no_canary(messages)


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
@pytest.mark.parametrize("check_mode", [False, True])
def test_reconcile_results_never_show_credentials(type_name, check_mode):
    stored = central_integration(type_name, name=NAME, options=block_options(type_name), masked=False)
    scenarios = []
    if not TYPES[type_name].create_error:
        central = FakeCentralClient()
        scenarios.append(reconcile(central, task(type_name, type=type_name, skip_test_integration=False), check_mode=check_mode))
        central = FakeCentralClient()
        central.fail("create_integration", OutcomeUnknown("creating: connection reset"), after_effect=True)
        scenarios.append(reconcile(central, task(type_name, type=type_name), check_mode=check_mode))
        central = FakeCentralClient([stored])
        scenarios.append(reconcile(central, task(type_name, "on_create", type=type_name), check_mode=check_mode,
                                   current=None, known=True))
    scenarios.append(reconcile(FakeCentralClient([stored]), task(type_name, "always"), check_mode=check_mode))
    scenarios.append(reconcile(FakeCentralClient([stored]), task(type_name, "on_create"), check_mode=check_mode))
    scenarios.append(reconcile(FakeCentralClient([stored]), task(type_name, "on_create", new_name="Leaky 2"), check_mode=check_mode))
    for outcome in scenarios:
        assert_no_canary(outcome.result(True))
        assert_no_canary(outcome.result(False))


@pytest.mark.parametrize("type_name", TYPES_WITH_SECRETS)
def test_failed_write_keeps_credentials_out_of_the_error(type_name):
    central = FakeCentralClient([central_integration(type_name, name=NAME, options=block_options(type_name), masked=False)])
    central.fail("update_integration", CentralAPIError("updating image integration 'Leaky': HTTP 400: test failed", 400))
    with pytest.raises(CentralAPIError) as caught:
        reconcile(central, task(type_name, "always"))
    assert_no_canary(str(caught.value))
    assert find_canaries(central.calls[-1]) != []  # the canaries were in the request
