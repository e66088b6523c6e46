# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The type table against Central's API description and scrub tags."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._integration_types import (
    BLOCKS,
    CATEGORY_ORDER,
    TYPES,
    block_argument_spec,
    leaves,
    sort_categories,
)
from ansible_collections.stackrox.central.tests.unit.central_objects import CENTRAL_DEPENDENT, CENTRAL_SECRETS, load_fixture

JSON_TYPES = {"str": "string", "bool": "boolean", "int": "integer"}


def api_fields(fields):
    result = {}
    for field in fields:
        result[field.api] = api_fields(field.fields) if field.kind == "dict" else JSON_TYPES[field.kind]
    return result


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_block_fields_match_the_api(block):
    reference = load_fixture("central_config_blocks.json")["blocks"]
    block = BLOCKS[block]
    expected = dict(reference[block.api])
    for sub in block.server_managed:
        expected.pop(sub)
    assert api_fields(block.fields) == expected


def test_every_config_block_of_the_api_is_in_the_table():
    reference = load_fixture("central_config_blocks.json")["blocks"]
    assert sorted(b.api for b in BLOCKS.values()) == sorted(reference)


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_secrets_are_centrals_scrub_always_fields(block):
    block = BLOCKS[block]
    table = [tuple(f.api for f in path) for path, field in leaves(block.fields) if field.secret]
    table += [(sub,) + tuple(names) for sub, names in block.server_managed.items()]
    assert sorted(table) == sorted(CENTRAL_SECRETS.get(block.api, []))


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_dependent_fields_are_centrals_scrub_dependent_fields(block):
    block = BLOCKS[block]
    table = [".".join(f.api for f in path) for path, field in leaves(block.fields) if field.dependent]
    assert sorted(table) == sorted(CENTRAL_DEPENDENT.get(block.api, []))


def test_types_and_their_blocks():
    assert dict((name, t.blocks) for name, t in TYPES.items()) == {
        "docker": ("docker",), "rhel": ("docker",), "artifactory": ("docker",), "nexus": ("docker",),
        "ghcr": ("docker",), "azure": ("azure", "docker"), "quay": ("quay",), "ecr": ("ecr",),
        "artifactregistry": ("google",), "google": ("google",), "ibm": ("ibm",), "clairify": ("clairify",),
        "clairV4": ("clair_v4",), "clair": ("clair",), "scannerv4": ("scanner_v4",),
    }


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_default_categories_are_supported_and_in_enum_order(type_name):
    itype = TYPES[type_name]
    assert itype.default_categories
    assert list(itype.default_categories) == sort_categories(itype.default_categories)
    assert set(itype.default_categories) <= set(itype.categories)
    assert set(itype.categories) <= set(CATEGORY_ORDER)


def test_only_google_and_scannerv4_refuse_create_and_only_scannerv4_refuses_delete():
    assert sorted(n for n, t in TYPES.items() if t.create_error) == ["google", "scannerv4"]
    assert sorted(n for n, t in TYPES.items() if t.delete_error) == ["scannerv4"]


def test_sort_categories_drops_duplicates():
    assert sort_categories(["NODE_SCANNER", "REGISTRY", "NODE_SCANNER", "SCANNER"]) == list(CATEGORY_ORDER)


def _no_log(spec, prefix=""):
    for option, entry in spec.items():
        if entry.get("options"):
            yield from _no_log(entry["options"], prefix + option + ".")
        else:
            yield prefix + option, entry.get("no_log")


def test_block_argument_spec_marks_exactly_the_secrets_no_log():
    secrets = set(".".join([b.option] + [f.option for f in path]) for b in BLOCKS.values()
                  for path, field in leaves(b.fields) if field.secret)
    flags = dict(_no_log(block_argument_spec()))
    assert set(name for name, no_log in flags.items() if no_log) == secrets
    assert all(no_log is False for name, no_log in flags.items() if name not in secrets)
