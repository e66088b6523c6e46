# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test data: task options for every integration type and integrations as Central returns them.

The secret paths below are written down from Central's ``scrub:"always"`` tags
(see ``central-behaviour.md``) rather than taken from the type table, so that
the tests mask the way Central does even if the table is wrong.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, TYPES, leaves
from ansible_collections.stackrox.central.plugins.modules import image_integration, image_integration_info

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")

MASK = "******"

# Central's scrub:"always" fields, per config block (API names).
CENTRAL_SECRETS = {
    "docker": [("password",)],
    "azure": [("password",)],
    "quay": [("oauthToken",), ("registryRobotCredentials", "password")],
    "ecr": [("accessKeyId",), ("secretAccessKey",), ("authorizationData", "password")],
    "google": [("serviceAccount",)],
    "ibm": [("apiKey",)],
}

# Central's scrub:"dependent" fields, per config block (API names).
CENTRAL_DEPENDENT = {
    "docker": ["endpoint", "username"],
    "azure": ["endpoint", "username", "wifEnabled"],
    "quay": ["endpoint"],
    "ecr": ["useIam", "endpoint"],
    "google": ["endpoint"],
    "ibm": ["endpoint"],
}

ALL_TYPES = sorted(TYPES)
CREATABLE_TYPES = sorted(t for t in TYPES if not TYPES[t].create_error)
TYPES_WITH_SECRETS = sorted(t for t in TYPES if any(f.secret for _p, f in leaves(TYPES[t].block.fields)))
TYPES_WITH_DEPENDENT = sorted(t for t in TYPES if any(f.dependent for _p, f in leaves(TYPES[t].block.fields)))

INTEGRATION_ID = "0ea0a0c6-1d5d-4d4c-bb84-6a2a9e4b3c1f"


def load_fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return json.load(handle)


def canary(type_name, option):
    """A distinctive secret value that must never show up in any output."""
    return "CANARY-%s-%s-7f3a9c" % (type_name, option.replace(".", "-"))


def sample_value(type_name, field, dotted):
    """A plausible value for one option; secrets get a canary."""
    if field.secret:
        return canary(type_name, dotted)
    if field.kind == "bool":
        return True
    if field.kind == "int":
        return 7
    if field.endpoint or field.option.endswith("endpoint"):
        return "%s-%s.example.com" % (type_name.lower(), field.option.replace("_", "-"))
    return "%s-%s" % (type_name, field.option)


def changed_value(value):
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if value.endswith(".example.com"):
        return "changed-" + value
    return value + "-changed"


def block_options(type_name, block=None, secrets=True, values=True):
    """Every option of the type's (preferred) block, as a task would write it."""
    block = BLOCKS[block or TYPES[type_name].blocks[0]]
    options = {}
    for path, field in leaves(block.fields):
        if field.secret and not secrets or not field.secret and not values:
            continue
        target = options
        for parent in path[:-1]:
            target = target.setdefault(parent.option, {})
        target[path[-1].option] = sample_value(type_name, field, ".".join([block.option] + [f.option for f in path]))
    return options


def secret_options(type_name):
    """Dotted option names (``quay.registry_robot_credentials.password``) of every secret of the type's block."""
    block = TYPES[type_name].block
    return [".".join([block.option] + [f.option for f in path]) for path, f in leaves(block.fields) if f.secret]


def get_option(options, dotted):
    for key in dotted.split("."):
        options = options[key]
    return options


def set_option(options, dotted, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        options = options.setdefault(key, {})
    options[keys[-1]] = value


def without(options, dotted):
    """A copy of nested options without one dotted key."""
    options = copy.deepcopy(options)
    keys = dotted.split(".")
    target = options
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    return options


class _SpecRecorder(object):
    """Stands in for CentralModule in a module's namespace and keeps the argument spec main() passes."""

    spec = None

    def __init__(self, argument_spec, **kwargs):
        _SpecRecorder.spec = (argument_spec, kwargs)

    def run(self, body):
        return body


def module_argument_spec(module):
    """The argument spec a module's main() hands to CentralModule (without the connection options)."""
    original = module.CentralModule
    module.CentralModule = _SpecRecorder
    try:
        module.main()
    finally:
        module.CentralModule = original
    return _SpecRecorder.spec[0]


def image_integration_spec():
    return module_argument_spec(image_integration)


def image_integration_info_spec():
    return module_argument_spec(image_integration_info)


def task_params(**options):
    """Module parameters as AnsibleModule hands them to the module: validated, defaults filled, unset options None."""
    result = ArgumentSpecValidator(image_integration_spec()).validate(options)
    errors = list(result.errors)
    if errors:
        raise AssertionError("invalid task options %r: %s" % (options, errors))
    return result.validated_parameters


def _config(fields, options, secrets):
    config = {}
    for field in fields:
        value = options.get(field.option)
        if field.kind == "dict":
            config[field.api] = None if value is None else _config(field.fields, value, secrets)
        elif field.secret and not secrets:
            config[field.api] = value if value is not None else ""
        elif field.secret:
            config[field.api] = MASK
        else:
            config[field.api] = {"str": "", "bool": False, "int": 0}[field.kind] if value is None else value
    return config


def central_integration(type_name, name="Team integration", options=None, block=None, categories=None,
                        integration_id=INTEGRATION_ID, skip_test=True, masked=True, **extra):
    """An integration as Central returns it from a GET: every field present, credentials "******".

    ``options`` are block options in the task's snake_case shape; ``masked=False``
    gives what Central stores (and what a POST answers with).
    """
    itype = TYPES[type_name]
    block = BLOCKS[block or itype.blocks[0]]
    integration = {
        "id": integration_id,
        "name": name,
        "type": type_name,
        "categories": list(categories or itype.default_categories),
        "autogenerated": False,
        "clusterId": "",
        "skipTestIntegration": skip_test,
        "source": None,
    }
    for other in BLOCKS.values():
        integration[other.api] = None
    integration[block.api] = _config(block.fields, options or {}, secrets=masked)
    # Central emits every field: a server-managed sub-message it has not filled is null.
    integration[block.api].update((sub, None) for sub in block.server_managed)
    integration.update(extra)
    return integration


def central_mask(integration):
    """Mask a stored integration the way Central does on every read (independent of the engine's mask)."""
    masked = copy.deepcopy(integration)
    for block_api, paths in CENTRAL_SECRETS.items():
        config = masked.get(block_api)
        if not isinstance(config, dict):
            continue
        for path in paths:
            container = config
            for key in path[:-1]:
                container = container.get(key) if isinstance(container, dict) else None
            if isinstance(container, dict):
                container[path[-1]] = MASK
    return masked


def find_canaries(output):
    """Every canary that occurs anywhere in the repr or JSON of ``output``."""
    text = repr(output)
    try:
        text += json.dumps(output, default=repr)
    except (TypeError, ValueError):
        pass
    return sorted(set(re.findall(r"CANARY-[A-Za-z0-9_-]*", text)))
