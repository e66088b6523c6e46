"""Fixtures for the reliability suite: an in-thread emulator and clients of the collection's own transport."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator.server import EmulatorServer  # noqa: E402

from ansible_collections.stackrox.central.plugins.module_utils._central_client import (  # noqa: E402
    CentralClient,
    Connection,
)

TOKEN = "reliability-admin-token"


class Inspector:
    """Reads the emulator's state only through its inspection routes."""

    def __init__(self, server):
        self.base = server.url
        self.verify = server.ca_path or True

    def _call(self, method, path, **kwargs):
        response = requests.request(method, self.base + path, verify=self.verify, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else {}

    def stored(self):
        return self._call("GET", "/_emulator/integrations")["integrations"]

    def stored_by_name(self, name):
        matches = [i for i in self.stored() if i["name"] == name]
        assert len(matches) <= 1, "duplicate integrations named %r" % name
        return matches[0] if matches else None

    def counts(self):
        return self._call("GET", "/_emulator/requests")["counts"]

    def writes(self):
        return sum(n for key, n in self.counts().items() if not key.startswith("GET ") and "/test" not in key)

    def reset(self):
        self._call("POST", "/_emulator/reset")

    def fault(self, **rule):
        self._call("POST", "/_emulator/faults", json={"faults": [rule]})

    def clear_faults(self):
        self._call("DELETE", "/_emulator/faults")


@pytest.fixture(scope="session")
def server():
    srv = EmulatorServer(tls=False, tokens=[TOKEN], log_stream=io.StringIO())
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def inspector(server):
    inspector = Inspector(server)
    inspector.reset()
    return inspector


@pytest.fixture
def make_client(server):
    def make(**overrides):
        options = dict(url=server.url, token=TOKEN, timeout=0.5, retries=3, retry_backoff=0.01)
        options.update(overrides)
        return CentralClient(Connection(**options))
    return make
