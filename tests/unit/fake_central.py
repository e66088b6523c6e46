# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory stand-in for CentralClient: same methods, records every call.

Reads answer with credentials masked, a create answers with the object as
sent (credentials in clear text), as Central does. ``fail`` queues an
exception for the next call of a method, raised before or after the call
takes effect.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralAPIError
from ansible_collections.stackrox.central.tests.unit.central_objects import CENTRAL_SECRETS, MASK, central_mask

WRITES = ("create_integration", "update_integration", "delete_integration")


class FakeCentralClient(object):
    """Records calls as (method, args) and keeps integrations by id, unmasked."""

    def __init__(self, integrations=()):
        self.store = dict((item["id"], copy.deepcopy(item)) for item in integrations)
        self.calls = []
        self._failures = {}
        self._next_id = 0

    # -- test controls -------------------------------------------------------------

    def fail(self, method, exc, after_effect=False):
        """Raise ``exc`` from the next call of ``method``; with ``after_effect`` the call takes effect first."""
        self._failures.setdefault(method, []).append((exc, after_effect))

    def methods(self):
        return [name for name, _args in self.calls]

    def writes(self):
        return [call for call in self.calls if call[0] in WRITES]

    def _call(self, method, action, *args):
        self.calls.append((method, copy.deepcopy(args)))
        queued = self._failures.get(method)
        if queued:
            exc, after_effect = queued.pop(0)
            if after_effect:
                action()
            raise exc
        return action()

    # -- the client's API ----------------------------------------------------------

    def list_integrations(self, name=None):
        def action():
            return [central_mask(item) for item in self.store.values() if name is None or item["name"] == name]
        return self._call("list_integrations", action, name)

    def get_integration(self, integration_id):
        def action():
            if integration_id not in self.store:
                raise CentralAPIError("reading image integration %s: HTTP 404: not found" % integration_id, 404, "not found")
            return central_mask(self.store[integration_id])
        return self._call("get_integration", action, integration_id)

    def create_integration(self, payload):
        def action():
            if any(item["name"] == payload["name"] for item in self.store.values()):
                message = 'integration with name "%s" already exists' % payload["name"]
                raise CentralAPIError("creating image integration: HTTP 409: " + message, 409, message)
            self._next_id += 1
            created = copy.deepcopy(payload)
            created["id"] = "created-%d" % self._next_id
            self.store[created["id"]] = created
            return copy.deepcopy(created)  # Central answers a POST unmasked
        return self._call("create_integration", action, payload)

    def update_integration(self, integration_id, payload, update_password):
        def action():
            stored = copy.deepcopy(payload)
            if not update_password:
                _keep_stored_secrets(stored, self.store.get(integration_id) or {})
            self.store[integration_id] = stored
            return {}
        return self._call("update_integration", action, integration_id, payload, update_password)

    def delete_integration(self, integration_id, name):
        def action():
            self.store.pop(integration_id, None)
            return {}
        return self._call("delete_integration", action, integration_id, name)

    def test_integration(self, payload, update_password):
        return self._call("test_integration", lambda: {}, payload, update_password)


def _keep_stored_secrets(updated, existing):
    """What Central does for updatePassword=false: a masked or empty credential keeps the stored one."""
    for block_api, paths in CENTRAL_SECRETS.items():
        for path in paths:
            new, old = updated.get(block_api), existing.get(block_api)
            for key in path[:-1]:
                new = new.get(key) if isinstance(new, dict) else None
                old = old.get(key) if isinstance(old, dict) else None
            if isinstance(new, dict) and isinstance(old, dict) and new.get(path[-1]) in (MASK, ""):
                new[path[-1]] = old.get(path[-1])
