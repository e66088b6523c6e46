# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module documentation agrees with the argument specs and the type table."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib

import pytest
import yaml

from ansible_collections.stackrox.central.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.stackrox.central.plugins.module_utils._central_module import CONNECTION_ARGUMENT_SPEC
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, TYPES, leaves
from ansible_collections.stackrox.central.plugins.modules import image_integration, image_integration_info, image_integrations
from ansible_collections.stackrox.central.tests.unit.central_objects import (
    image_integration_info_spec,
    image_integration_spec,
    module_argument_spec,
)

COMPARED = ("type", "required", "default", "choices", "elements")


def documented(module):
    """The module's options with those of its own doc fragments merged in (the connection fragment aside)."""
    doc = yaml.safe_load(module.DOCUMENTATION)
    options = dict(doc.get("options") or {})
    for fragment in doc.get("extends_documentation_fragment", []):
        parts = fragment.split(".")
        if parts[:2] != ["stackrox", "central"] or parts[2] == "connection":
            continue
        fragments = importlib.import_module("ansible_collections.stackrox.central.plugins.doc_fragments." + parts[2])
        text = getattr(fragments.ModuleDocFragment, parts[3].upper() if len(parts) > 3 else "DOCUMENTATION")
        for name, entry in (yaml.safe_load(text).get("options") or {}).items():
            assert name not in options, "%s documented twice" % name
            options[name] = entry
    return options


def normalized(entry, doc):
    """The attributes both sides declare, with Ansible's defaults filled in."""
    result = {
        "type": entry.get("type", "str"),
        "required": bool(entry.get("required", False)),
        "default": entry.get("default"),
        "choices": entry.get("choices"),
        "elements": entry.get("elements"),
    }
    children = entry.get("suboptions" if doc else "options")
    return result, children or {}


def disagreements(docs, spec, prefix=""):
    problems = []
    for name in sorted(set(docs) | set(spec)):
        where = prefix + name
        if name not in docs:
            problems.append("%s: in the argument spec, not documented" % where)
            continue
        if name not in spec:
            problems.append("%s: documented, not in the argument spec" % where)
            continue
        doc_attrs, doc_children = normalized(docs[name], True)
        spec_attrs, spec_children = normalized(spec[name], False)
        for attr in COMPARED:
            if doc_attrs[attr] != spec_attrs[attr]:
                problems.append("%s: %s is %r in the docs, %r in the spec" % (where, attr, doc_attrs[attr], spec_attrs[attr]))
        problems.extend(disagreements(doc_children, spec_children, where + "."))
    return problems


def flatten(spec, prefix=""):
    for name, entry in spec.items():
        yield prefix + name, entry
        yield from flatten(entry.get("options") or {}, prefix + name + ".")


def test_the_comparison_can_fail():
    docs = {"a": {"type": "str", "suboptions": {"b": {"type": "int"}}}}
    assert disagreements(docs, {"a": {"type": "dict", "options": {"c": {"type": "int"}}}}) == [
        "a: type is 'str' in the docs, 'dict' in the spec",
        "a.b: documented, not in the argument spec",
        "a.c: in the argument spec, not documented",
    ]


def test_image_integration_docs_match_the_argument_spec():
    assert disagreements(documented(image_integration), image_integration_spec()) == []


def test_image_integrations_docs_match_the_argument_spec():
    assert disagreements(documented(image_integrations), module_argument_spec(image_integrations)) == []


def test_bulk_items_take_the_options_of_image_integration():
    items = documented(image_integrations)["integrations"]["suboptions"]
    assert disagreements(items, image_integration_spec()) == []


def test_image_integration_info_docs_match_the_argument_spec():
    assert disagreements(documented(image_integration_info), image_integration_info_spec()) == []


def test_type_choices_are_the_table_types():
    assert documented(image_integration)["type"]["choices"] == sorted(TYPES)
    assert image_integration_spec()["type"]["choices"] == sorted(TYPES)


def test_every_table_block_is_a_documented_option():
    docs = documented(image_integration)
    for block in BLOCKS.values():
        assert docs[block.option]["type"] == "dict"
        documented_fields = set(docs[block.option]["suboptions"])
        assert documented_fields == set(f.option for f in block.fields)


def _secret_and_dependent_options():
    for block in BLOCKS.values():
        for path, field in leaves(block.fields):
            yield ".".join([block.option] + [f.option for f in path]), field


@pytest.mark.parametrize("dotted,field", list(_secret_and_dependent_options()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_log_follows_the_table(dotted, field):
    spec = dict(flatten(image_integration_spec()))
    assert spec[dotted].get("no_log") is field.secret


def test_only_table_secrets_are_no_log():
    secrets = set(dotted for dotted, field in _secret_and_dependent_options() if field.secret)
    no_log = set(name for name, entry in flatten(image_integration_spec()) if entry.get("no_log"))
    assert no_log == secrets


@pytest.mark.parametrize("dotted,field", [(d, f) for d, f in _secret_and_dependent_options() if f.secret or f.dependent],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_docs_say_which_options_are_credentials_or_credential_dependent(dotted, field):
    entry = {"suboptions": documented(image_integration)}
    for part in dotted.split("."):
        entry = entry["suboptions"][part]
    text = " ".join(entry["description"])
    if field.secret:
        assert "Never shown by Central" in text
    else:
        assert "Credential-dependent" in text


def test_connection_fragment_matches_the_connection_spec():
    fragment = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert sorted(fragment) == sorted(CONNECTION_ARGUMENT_SPEC)
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        doc = fragment[name]
        assert doc.get("type", "str") == spec.get("type", "str"), name
        assert doc.get("default") == spec.get("default"), name
        assert type(doc.get("default")) in (type(spec.get("default")), int), name


def test_connection_secrets_are_no_log():
    assert sorted(n for n, s in CONNECTION_ARGUMENT_SPEC.items() if s.get("no_log")) == ["central_api_token", "central_password"]


@pytest.mark.parametrize("module", [image_integration, image_integration_info, image_integrations])
def test_modules_use_the_connection_fragment_and_parse(module):
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert "stackrox.central.connection" in doc["extends_documentation_fragment"]
    assert yaml.safe_load(module.EXAMPLES)
    assert yaml.safe_load(module.RETURN)
    assert not set(documented(module)) & set(CONNECTION_ARGUMENT_SPEC)
