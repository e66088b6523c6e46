"""Fixtures for the ecosystem tests: the built collection artifact, its installed copy and a Central emulator.

scripts/gates passes the artifact it built and staged through STACKROX_GATES_ARTIFACT and
STACKROX_GATES_COLLECTIONS; run alone, the fixtures build and install the collection themselves
with the ansible-galaxy next to the Python running pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator.server import EmulatorServer  # noqa: E402
from tool_paths import tool  # noqa: E402

EMULATOR_TOKEN = "ecosystem-admin-token"
EMULATOR_PASSWORD = "ecosystem-admin-password"


@pytest.fixture(scope="session")
def artifact(tmp_path_factory) -> Path:
    given = os.environ.get("STACKROX_GATES_ARTIFACT")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(out), str(REPO_ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("stackrox-central-*.tar.gz"))


@pytest.fixture(scope="session")
def collections_path(artifact, tmp_path_factory) -> Path:
    """A collections directory (holding ansible_collections/) with the artifact installed."""
    given = os.environ.get("STACKROX_GATES_COLLECTIONS")
    if given:
        return Path(given)
    dest = tmp_path_factory.mktemp("collections")
    subprocess.run([tool("ansible-galaxy"), "collection", "install", str(artifact), "-p", str(dest)],
                   check=True, capture_output=True)
    return dest


@pytest.fixture(scope="session")
def installed_collection(collections_path) -> Path:
    return collections_path / "ansible_collections" / "stackrox" / "central"


@pytest.fixture
def emulator(tmp_path):
    """A TLS Central emulator with its own CA, one API token and the admin password."""
    server = EmulatorServer(tls=True, cert_dir=tmp_path / "emulator-certs", tokens=[EMULATOR_TOKEN],
                            admin_password=EMULATOR_PASSWORD, log_file=str(tmp_path / "emulator.log"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
