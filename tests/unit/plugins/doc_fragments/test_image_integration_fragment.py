# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-item options of image_integrations are image_integration's options, written once.

ansible-test wants doc fragments as plain string literals, so BULK is generated from
DOCUMENTATION (scripts/render_doc_fragment.py) and this test keeps the two in step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.stackrox.central.plugins.doc_fragments.image_integration import ModuleDocFragment

BULK_HEAD = """
options:
  integrations:
    description:
      - The integrations, each with the options of M(stackrox.central.image_integration); the connection
        options are this module's own.
      - Names must be unique within the list.
    type: list
    elements: dict
    default: []
    suboptions:
"""


def render_bulk(documentation):
    """BULK from DOCUMENTATION: the options indented under integrations, O(x) as O(integrations[].x)."""
    options = documentation.split("options:\n", 1)[1]
    options = re.sub(r"O\((?![a-z0-9_]+\.[a-z0-9_]+#)", "O(integrations[].", options)
    return BULK_HEAD + "".join(("    " + line) if line.strip() else line for line in options.splitlines(True))


def test_bulk_fragment_is_generated_from_documentation():
    assert ModuleDocFragment.BULK == render_bulk(ModuleDocFragment.DOCUMENTATION), (
        "plugins/doc_fragments/image_integration.py is out of date: run scripts/render_doc_fragment.py")


def test_item_option_references_point_into_the_list():
    assert "O(name)" in ModuleDocFragment.DOCUMENTATION
    assert "O(name)" not in ModuleDocFragment.BULK
    assert "O(integrations[].name)" in ModuleDocFragment.BULK
