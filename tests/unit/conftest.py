# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures of the unit tests; the builders live in central_objects.py, the fake client in fake_central.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stackrox.central.tests.unit.central_objects import load_fixture
from ansible_collections.stackrox.central.tests.unit.fake_central import FakeCentralClient


@pytest.fixture
def fixture_loader():
    """Load a JSON file from tests/unit/fixtures (a fresh copy each call)."""
    return load_fixture


@pytest.fixture
def fake_central():
    """A factory for an in-memory Central holding the given integrations (unmasked, as stored)."""
    return FakeCentralClient


ROX_ENVIRONMENT = ("ROX_ENDPOINT", "ROX_API_TOKEN", "ROX_API_TOKEN_FILE", "ROX_ADMIN_PASSWORD", "ROX_CA_CERT_FILE",
                   "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY")


@pytest.fixture(autouse=True)
def clean_rox_environment(monkeypatch):
    """The connection options fall back to ROX_* variables; a developer's shell must not change the tests."""
    for name in ROX_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
