# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine: turn a task and Central's current object into a plan.

Pure functions, no I/O. ``read_task`` checks a task's options and brings them
into one shape (``Desired``); ``plan_integration`` compares that with the
integration as Central returns it (secrets masked) and decides create, update,
delete or nothing, with the request payload, the ``updatePassword`` flag and a
diff in which every secret is masked. The single-integration module and the
bulk path both go through here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import ipaddress

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for import sanity
    from urlparse import urlsplit

from ansible_collections.stackrox.central.plugins.module_utils._integration_types import (
    BLOCKS,
    CATEGORY_ORDER,
    MASK,
    TYPES,
    block_argument_spec,
    block_of,
    leaves,
    option_name,
    sort_categories,
)


def task_argument_spec():
    """The options of one integration, as image_integration takes them and the bulk path takes each item."""
    spec = dict(
        name=dict(type="str", required=True),
        new_name=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        type=dict(type="str", choices=sorted(TYPES)),
        categories=dict(type="list", elements="str", choices=list(CATEGORY_ORDER)),
        skip_test_integration=dict(type="bool", default=True),
        update_password=dict(type="str", choices=["always", "on_create"], default="always", no_log=False),
    )
    spec.update(block_argument_spec())
    return spec


# How a secret that a plan sends appears in the diff: Central only ever shows
# MASK, so the diff marks that a new value goes out without showing it.
SENT_SECRET = MASK + " (updated)"


class TaskError(Exception):
    """A task that cannot be carried out; the message names the integration and the options."""


class Setting(object):
    """One option the task supplied: the block, the path of fields to it and its value."""

    __slots__ = ("block", "path", "value")

    def __init__(self, block, path, value):
        self.block = block
        self.path = path
        self.value = value

    @property
    def field(self):
        return self.path[-1]

    @property
    def keys(self):
        return (self.block.api,) + tuple(f.api for f in self.path)

    @property
    def option(self):
        return option_name(self.block, self.path)


class Desired(object):
    """A task's options in one normalized shape; unset options are left out."""

    def __init__(self, name, state="present", new_name=None, type_name=None, categories=None,
                 skip_test=True, update_password="always", block=None, settings=()):
        self.name = name
        self.state = state
        self.new_name = new_name
        self.type_name = type_name
        self.categories = categories
        self.skip_test = skip_test
        self.update_password = update_password
        self.block = block
        self.settings = list(settings)

    @property
    def target_name(self):
        return self.new_name or self.name

    @property
    def secrets(self):
        return [s for s in self.settings if s.field.secret]

    @property
    def values(self):
        return [s for s in self.settings if not s.field.secret]

    def fail(self, message):
        raise TaskError("image integration '%s': %s" % (self.name, message))


def endpoint_problem(value):
    """Why Central would refuse an endpoint (localhost, loopback, link-local, metadata), or None."""
    if not value:
        return None
    rest = value
    for prefix in ("https://", "http://"):
        if rest.startswith(prefix):
            rest = rest[len(prefix):]
    try:
        host = urlsplit("http://" + rest).hostname
    except ValueError:
        return "is not a valid endpoint"
    if not host:
        return None
    if host == "localhost":
        return "must not reference localhost"
    if host == "metadata.google.internal":
        return "must not reference the cloud metadata service"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    address = getattr(address, "ipv4_mapped", None) or address
    if address.is_loopback:
        return "must not reference localhost"
    if address == ipaddress.ip_address("169.254.169.254"):
        return "must not reference the cloud metadata service"
    if address.is_link_local:
        return "must not reference a link-local address"
    return None


def _dig(options, path):
    for field in path:
        if not isinstance(options, dict):
            return None
        options = options.get(field.option)
    return options


def read_task(params):
    """Check a task's options and return them as ``Desired``; raise TaskError before any request."""
    desired = Desired(
        name=params["name"],
        state=params.get("state") or "present",
        new_name=params.get("new_name"),
        type_name=params.get("type"),
        categories=params.get("categories"),
        skip_test=params.get("skip_test_integration", True),
        update_password=params.get("update_password") or "always",
    )
    if not desired.name:
        raise TaskError("image integration: name must not be empty")
    if desired.new_name is not None and not desired.new_name:
        desired.fail("new_name must not be empty")
    given = [b for b in BLOCKS.values() if params.get(b.option) is not None]
    if len(given) > 1:
        desired.fail("only one config block can be given, got %s" % ", ".join(sorted(b.option for b in given)))
    if desired.state == "absent":
        if desired.new_name:
            desired.fail("new_name cannot be used with state=absent")
        return desired
    if given:
        desired.block = given[0]
        for path, field in leaves(desired.block.fields):
            value = _dig(params[desired.block.option], path)
            if value is None:
                continue
            setting = Setting(desired.block, path, value)
            if field.kind == "int" and value < 0:
                desired.fail("%s must not be negative, got %s" % (setting.option, value))
            problem = field.endpoint and endpoint_problem(value)
            if problem:
                desired.fail("%s %s (Central refuses it), got '%s'" % (setting.option, problem, value))
            desired.settings.append(setting)
    if desired.categories is not None:
        unknown = [c for c in desired.categories if c not in CATEGORY_ORDER]
        if unknown:
            desired.fail("unknown categories %s; use %s" % (", ".join(map(str, unknown)), ", ".join(CATEGORY_ORDER)))
        if not desired.categories:
            desired.fail("categories must not be empty: Central needs at least one")
        desired.categories = sort_categories(desired.categories)
    if desired.type_name is not None:
        if desired.type_name not in TYPES:
            desired.fail("unknown type '%s'; use one of %s" % (desired.type_name, ", ".join(sorted(TYPES))))
        check_type(desired, TYPES[desired.type_name])
    return desired


def to_options(integration):
    """An integration as Central returns it, in the shape of a task's options, credentials left out.

    The inverse of ``read_task``: applying the result to the same Central changes nothing.
    """
    options = {"name": integration.get("name"), "type": integration.get("type"),
               "categories": sort_categories(integration.get("categories") or []),
               "skip_test_integration": bool(integration.get("skipTestIntegration"))}
    block = block_of(integration)
    if block is not None:
        options[block.option] = _visible_options(block.fields, integration[block.api])
    return options


def _visible_options(fields, config):
    options = {}
    for field in fields:
        value = config.get(field.api)
        if field.secret or value is None:
            continue
        if field.kind == "dict":
            value = _visible_options(field.fields, value)
        options[field.option] = value
    return options


def check_type(desired, itype):
    """Check the block and categories of a task against the type (given or found on Central)."""
    if desired.block is not None and desired.block.option not in itype.blocks:
        desired.fail("type %s takes the %s block, not %s" % (itype.name, " or ".join(itype.blocks), desired.block.option))
    wrong = [c for c in desired.categories or () if c not in itype.categories]
    if wrong:
        desired.fail("type %s does not support categories %s; it supports %s"
                     % (itype.name, ", ".join(wrong), ", ".join(itype.categories)))


class Plan(object):
    """What to do about one integration, and what the outcome looks like (secrets masked)."""

    def __init__(self, action, name, before=None, after=None, payload=None,
                 update_password=False, changes=(), integration_id=None):
        self.action = action  # create, update, delete or noop
        self.name = name
        self.before = before
        self.after = after
        self.payload = payload
        self.update_password = update_password
        self.changes = list(changes)
        self.integration_id = integration_id

    @property
    def changed(self):
        return self.action != "noop"

    @property
    def result(self):
        """The integration as Central will hold it, as a read would return it."""
        return unmark(self.after) if self.after is not None else {}

    @property
    def diff(self):
        """Before and after, leaving out the config blocks the integration does not use."""
        return {"before": _compact(self.before), "after": _compact(self.after)}


def _compact(integration):
    if not integration:
        return {}
    unused = set(b.api for b in BLOCKS.values())
    return dict((k, v) for k, v in integration.items() if not (k in unused and v is None))


def _get(obj, keys):
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _set(obj, keys, value):
    for key in keys[:-1]:
        if obj.get(key) is None:
            obj[key] = {}
        obj = obj[key]
    obj[keys[-1]] = value


def _zero(fields):
    return dict((f.api, None if f.kind == "dict" else {"str": "", "bool": False, "int": 0}[f.kind]) for f in fields)


def _put(obj, setting):
    """Set a task's setting in an integration; a missing sub-message is created with zero values.

    Returns True when the sub-message had to be created.
    """
    created = _get(obj, setting.keys[:-1]) is None
    if created:
        _set(obj, setting.keys[:-1], _zero(setting.path[-2].fields))
    _set(obj, setting.keys, setting.value)
    return created


def mask(integration):
    """A copy of an integration with every credential masked, as Central shows it (even when empty)."""
    if integration is None:
        return None
    masked = copy.deepcopy(integration)
    block = block_of(masked)
    if block is None:
        return masked
    config = masked[block.api]
    for path, field in leaves(block.fields):
        if field.secret:
            container = _get(config, [f.api for f in path[:-1]])
            if isinstance(container, dict):
                container[field.api] = MASK
    for sub, secret_fields in block.server_managed.items():
        if isinstance(config.get(sub), dict):
            for name in secret_fields:
                config[sub][name] = MASK
    return masked


def unmark(integration):
    """The diff's after-object without the marks of secrets being sent."""
    result = copy.deepcopy(integration)
    block = block_of(result)
    if block is not None:
        for path, field in leaves(block.fields):
            keys = [block.api] + [f.api for f in path]
            if field.secret and _get(result, keys) == SENT_SECRET:
                _set(result, keys, MASK)
    return result


def blank(itype, block):
    """A new integration of a type with the API's zero values."""
    obj = {"id": "", "name": "", "type": itype.name, "categories": [], "autogenerated": False,
           "clusterId": "", "skipTestIntegration": False, "source": None}
    for other in BLOCKS.values():
        obj[other.api] = None
    obj[block.api] = _zero(block.fields)
    obj[block.api].update((sub, None) for sub in block.server_managed)
    return obj


def _mark_sent(after, secrets):
    for setting in secrets:
        _set(after, setting.keys, SENT_SECRET)
    return after


def plan_integration(current, desired):
    """Decide what to do. ``current`` is the integration as Central returns it, or None."""
    if desired.state == "absent":
        return _plan_absent(current, desired)
    if current is None:
        return _plan_create(desired)
    return _plan_update(current, desired)


def _plan_absent(current, desired):
    if current is None:
        return Plan("noop", desired.name)
    itype = TYPES.get(current.get("type"))
    if itype is not None and itype.delete_error:
        desired.fail(itype.delete_error)
    return Plan("delete", current["name"], before=mask(current), integration_id=current["id"])


def _plan_create(desired):
    if desired.type_name is None:
        desired.fail("type is required to create it")
    itype = TYPES[desired.type_name]
    if itype.create_error:
        desired.fail(itype.create_error)
    if desired.block is None:
        desired.fail("the %s block is required to create an integration of type %s" % (itype.block.option, itype.name))
    payload = blank(itype, desired.block)
    del payload["id"]
    payload["name"] = desired.target_name
    payload["categories"] = list(desired.categories or itype.default_categories)
    payload["skipTestIntegration"] = desired.skip_test
    for setting in desired.settings:
        _put(payload, setting)
    after = mask(payload)
    after["id"] = ""
    return Plan("create", desired.target_name, after=after, payload=payload, update_password=True,
                changes=[s.option for s in desired.settings])


def _plan_update(current, desired):
    itype = TYPES.get(current.get("type"))
    if desired.type_name is not None and desired.type_name != current.get("type"):
        desired.fail("its type cannot change from %s to %s; delete it and create it anew"
                     % (current.get("type"), desired.type_name))
    if itype is None:
        desired.fail("Central holds it with type '%s', which this collection does not know" % current.get("type"))
    check_type(desired, itype)

    merged = copy.deepcopy(current)
    changes = []
    needs_credentials = []  # why Central would require the credentials to be sent
    required_secrets = []  # credentials Central holds that a credential-sending write would replace

    current_block = block_of(current)
    block = desired.block or current_block
    if desired.block is not None and desired.block is not current_block:
        changes.append(desired.block.option)
        needs_credentials.append("moving its configuration to the %s block" % desired.block.option)
        if current_block is not None:
            merged[current_block.api] = None
        merged[desired.block.api] = _zero(desired.block.fields)
        required_secrets = [option_name(block, path) for path, f in leaves(block.fields)
                            if f.secret and len(path) == 1]
    elif block is not None:
        required_secrets = [option_name(block, path) for path, f in leaves(block.fields)
                            if f.secret and isinstance(_get(current[block.api], [p.api for p in path[:-1]]), dict)]

    for setting in desired.values:
        if _get(merged, setting.keys) == setting.value:
            continue
        if _put(merged, setting):
            needs_credentials.append("adding %s" % option_name(block, setting.path[:-1]))
        changes.append(setting.option)
        if setting.field.dependent:
            needs_credentials.append("changing %s" % setting.option)
    for key, value in (("name", desired.target_name),
                       ("categories", desired.categories),
                       ("skipTestIntegration", desired.skip_test)):
        if value is not None and merged.get(key) != value:
            merged[key] = value
            changes.append({"name": "new_name", "categories": "categories",
                            "skipTestIntegration": "skip_test_integration"}[key])

    secrets = desired.secrets
    send = bool(needs_credentials) or (bool(secrets) and desired.update_password == "always")
    if send:
        supplied = set(s.option for s in secrets)
        missing = [name for name in required_secrets if name not in supplied]
        if missing:
            if needs_credentials:
                reason = "%s needs the credentials Central holds for it" % " and ".join(needs_credentials)
            else:
                reason = ("update_password=always sends the credentials, and Central then replaces every "
                          "credential of the integration")
            desired.fail("%s: supply %s as well (an empty string stores none), or leave the change out"
                         % (reason, ", ".join(missing)))
        for setting in secrets:
            _put(merged, setting)
        for sub in block.server_managed:
            if sub in merged[block.api]:
                merged[block.api][sub] = None
        changes.extend(s.option for s in secrets)

    if not changes:
        return Plan("noop", current["name"], before=mask(current), after=mask(current),
                    integration_id=current["id"])
    after = mask(merged)
    if send:
        _mark_sent(after, secrets)
    return Plan("update", merged["name"], before=mask(current), after=after, payload=merged,
                update_password=send, changes=changes, integration_id=current["id"])
