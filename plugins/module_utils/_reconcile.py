# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read, plan and apply one integration: the I/O around the engine.

``reconcile`` finds the integration on Central, plans with the engine and,
unless in check mode, sends the one write the plan calls for. A create whose
outcome is unknown (connection lost, proxy error) is never sent blindly again:
the integration is read back by name and the plan is made anew from what
Central holds. The same happens when another run created the name first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.stackrox.central.plugins.module_utils._central_client import (
    CentralAPIError,
    CentralError,
    OutcomeUnknown,
)
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import (
    Desired,
    TaskError,
    mask,
    plan_integration,
)
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BUILT_IN_REGISTRIES


class Outcome(object):
    """What happened to one integration."""

    def __init__(self, plan, integration, changed=None):
        self.plan = plan
        self.integration = integration
        self.changed = plan.changed if changed is None else changed

    @property
    def id(self):
        return self.integration.get("id") or self.plan.integration_id

    def result(self, diff_mode):
        result = {"changed": self.changed, "id": self.id, "integration": self.integration}
        if diff_mode:
            result["diff"] = self.plan.diff
        return result

    def summary(self, diff_mode):
        """One line of a bulk result."""
        result = {"name": self.plan.name, "action": self.plan.action if self.changed else "none",
                  "changed": self.changed, "failed": False, "id": self.id}
        if diff_mode and self.changed:
            result["diff"] = self.plan.diff
        return result


def index_by_name(listing):
    return dict((item.get("name"), item) for item in listing)


def find_current(client, desired, by_name=None):
    """The integration the task is about, as Central returns it, or None.

    ``by_name`` is a listing already read (see index_by_name). Otherwise a rename
    looks at the whole listing (one GET) to tell "already renamed" from "both
    names taken", and anything else uses the name filter to keep the answer small.
    """
    renaming = desired.state == "present" and desired.new_name and desired.new_name != desired.name
    if by_name is None:
        by_name = index_by_name(client.list_integrations() if renaming
                                else client.list_integrations(name=desired.name))
    old = by_name.get(desired.name)
    if not renaming:
        return old
    new = by_name.get(desired.new_name)
    if old is not None and new is not None:
        desired.fail("cannot rename it to '%s': an integration with that name already exists" % desired.new_name)
    return old if old is not None else new


def apply_plan(client, plan):
    """Send the plan's one write; return the resulting integration, secrets masked."""
    if plan.action == "create":
        # Central answers a create with the object as sent, credentials in clear text.
        plan.after = mask(client.create_integration(plan.payload))
        return plan.after
    if plan.action == "update":
        client.update_integration(plan.integration_id, plan.payload, plan.update_password)
    elif plan.action == "delete":
        client.delete_integration(plan.integration_id, plan.name)
    return plan.result


def check_plan(client, plan, desired):
    """In check mode, let Central test the candidate config (saving nothing) when the task asks for tests."""
    if plan.action in ("create", "update") and desired.skip_test is False:
        client.test_integration(plan.payload, plan.update_password)


def reconcile(client, desired, check_mode=False, current=None, known=False):
    """Bring one integration to the desired state; ``known`` says ``current`` was already read."""
    if not known:
        current = find_current(client, desired)
    plan = plan_integration(current, desired)
    if not plan.changed:
        return Outcome(plan, plan.result)
    if check_mode:
        check_plan(client, plan, desired)
        return Outcome(plan, plan.result)
    try:
        return Outcome(plan, apply_plan(client, plan))
    except OutcomeUnknown:
        if plan.action != "create":
            raise
        unknown = True
    except CentralAPIError as exc:
        # Central refuses a taken name (400 or 409, by version) with "already exists".
        if plan.action != "create" or "already exists" not in exc.central_message:
            raise
        unknown = False  # another run created the same name first
    # Continue from what Central holds now.
    retry = plan_integration(find_current(client, desired), desired)
    if retry.changed:
        return Outcome(retry, apply_plan(client, retry))
    # Nothing left to do: this run's create went through after all, or another run's did.
    return Outcome(plan if unknown else retry, retry.result, changed=unknown)


class ItemFailure(object):
    """An item that failed; the others go on."""

    changed = False

    def __init__(self, name, message):
        self.name = name
        self.message = message

    def summary(self, diff_mode):
        return {"name": self.name, "action": "none", "changed": False, "failed": True, "msg": self.message}


def purge_candidates(listing, claimed, exclude=(), purge_defaults=False):
    """Integrations a purge would delete: not claimed by the list and not protected.

    Protected: sensor-made ones (``autogenerated`` or with a ``source``), the built-in
    Scanner V4, names matching an ``exclude`` pattern (regular expressions, as text or
    compiled, matched against the whole name) and, unless ``purge_defaults``, the public registries of
    a fresh Central.
    """
    patterns = [re.compile(p) for p in exclude]
    for item in listing:
        name = item.get("name")
        if name in claimed or item.get("autogenerated") or item.get("source") or item.get("type") == "scannerv4":
            continue
        if any(p.fullmatch(name) for p in patterns):
            continue
        if not purge_defaults and (item.get("id") in BUILT_IN_REGISTRIES or name in BUILT_IN_REGISTRIES.values()):
            continue
        yield item


def reconcile_all(client, desired_items, check_mode=False, purge=False, exclude=(), purge_defaults=False,
                  concurrency=4):
    """Reconcile a whole list with one listing GET and one write per item that changes.

    Returns a list of Outcome or ItemFailure, in the order of ``desired_items``, then the purged ones.
    """
    listing = client.list_integrations()
    by_name = index_by_name(listing)
    work = []
    for desired in desired_items:
        try:
            work.append((desired, find_current(client, desired, by_name=by_name)))
        except TaskError as exc:
            work.append((ItemFailure(desired.name, str(exc)), None))
    if purge:
        claimed = set()
        for desired in desired_items:
            claimed.update(n for n in (desired.name, desired.new_name) if n)
        for item in purge_candidates(listing, claimed, exclude, purge_defaults):
            work.append((Desired(item["name"], state="absent"), item))

    def run(entry):
        desired, current = entry
        if isinstance(desired, ItemFailure):
            return desired
        try:
            return reconcile(client, desired, check_mode=check_mode, current=current, known=True)
        except (TaskError, CentralError) as exc:
            return ItemFailure(desired.name, str(exc))

    if concurrency <= 1 or len(work) <= 1:
        return [run(entry) for entry in work]
    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        return list(pool.map(run, work))
    finally:
        pool.shutdown(wait=True)
