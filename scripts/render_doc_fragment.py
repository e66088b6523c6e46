#!/usr/bin/env python3
"""Rewrite the BULK literal of plugins/doc_fragments/image_integration.py from its DOCUMENTATION literal."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))

from ansible_collections.stackrox.central.plugins.doc_fragments.image_integration import ModuleDocFragment  # noqa: E402
from ansible_collections.stackrox.central.tests.unit.plugins.doc_fragments.test_image_integration_fragment import (  # noqa: E402
    render_bulk,
)

path = os.path.join(ROOT, "plugins", "doc_fragments", "image_integration.py")
with open(path) as handle:
    text = handle.read()
head, sep, _ = text.partition('    BULK = r"""')
assert sep, "no BULK literal in %s" % path
with open(path, "w") as handle:
    handle.write(head + sep + render_bulk(ModuleDocFragment.DOCUMENTATION) + '"""\n')
print("rewrote BULK in %s" % path)
