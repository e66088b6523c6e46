"""Fixtures: the Central emulator in-process, and ansible-core installations to run playbooks with.

Every test runs once per ansible-core installation: the oldest supported
(``.venv``, ansible-core 2.16) and the latest (``.venv-latest``). Set
``STACKROX_INTEGRATION_VENVS`` to a ``os.pathsep``-separated list of bin
directories to use others.
"""

from __future__ import annotations

import io
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from emulator.server import EmulatorServer  # noqa: E402

from .playbook_runner import COLLECTIONS, Ansible, Canaries, EmulatorInspector  # noqa: E402

OLDEST = os.path.join(REPO, ".venv", "bin")
LATEST = os.path.join(REPO, ".venv-latest", "bin")


def _venv_params():
    override = os.environ.get("STACKROX_INTEGRATION_VENVS")
    if override:
        dirs = [d for d in override.split(os.pathsep) if d]
        return [pytest.param(d, id=os.path.basename(os.path.dirname(d.rstrip("/"))) or d) for d in dirs]
    return [pytest.param(OLDEST, id="oldest"), pytest.param(LATEST, id="latest")]


@pytest.fixture(scope="session")
def canaries():
    return Canaries()


@pytest.fixture(scope="session")
def staged_collection():
    """The collection where ansible finds it (what ``make collection`` does)."""
    link = os.path.join(COLLECTIONS, "ansible_collections", "stackrox", "central")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO, link)
    assert os.path.realpath(link) == os.path.realpath(REPO), "%s does not point at %s" % (link, REPO)
    return link


_INSTALLATIONS = []


def pytest_terminal_summary(terminalreporter):
    for installation in _INSTALLATIONS:
        total = sum(installation.durations)
        terminalreporter.write_line("integration: ansible-core %s (%s): %d runs, %.1f s in ansible"
                                    % (installation.version, installation.bin_dir, len(installation.durations),
                                       total))


@pytest.fixture(scope="session", params=_venv_params())
def ansible(request, canaries, staged_collection, tmp_path_factory):
    bin_dir = request.param
    playbook = os.path.join(bin_dir, "ansible-playbook")
    if not os.access(playbook, os.X_OK):
        # Missing installations fail rather than skip: a suite that silently runs on one
        # ansible-core version proves nothing about the other. `make venvs` creates both.
        pytest.fail("no ansible-playbook in %s: run `make venvs` (it creates .venv and .venv-latest)" % bin_dir)
    installation = Ansible(bin_dir, canaries,
                           str(tmp_path_factory.mktemp("ansible-%s" % os.path.basename(os.path.dirname(bin_dir)))))
    _INSTALLATIONS.append(installation)
    return installation


@pytest.fixture(scope="session")
def tokens(canaries):
    return {
        "admin": canaries.new("admin-token", prefix="token"),
        "read_only": canaries.new("read-only-token", prefix="token"),
        "admin_password": canaries.new("admin-password", prefix="password"),
    }


@pytest.fixture(scope="session")
def emulator_server(tokens, canaries, tmp_path_factory):
    log = tmp_path_factory.mktemp("emulator-log") / "requests.log"
    server = EmulatorServer(tls=False, tokens=[tokens["admin"]], read_only_tokens=[tokens["read_only"]],
                            admin_password=tokens["admin_password"], log_file=str(log))
    server.start()
    yield server
    server.stop()
    leaked = canaries.found_in(log.read_text())
    assert not leaked, "secrets in the emulator's log: %s" % leaked


@pytest.fixture
def emulator(emulator_server):
    """A freshly reset emulator: Central's default integrations, no request counts."""
    inspector = EmulatorInspector(emulator_server.url)
    inspector.reset()
    return inspector


@pytest.fixture
def connection(emulator_server, tokens):
    """The connection as environment variables, as roxctl reads them."""
    return {"ROX_ENDPOINT": emulator_server.url, "ROX_API_TOKEN": tokens["admin"]}


@pytest.fixture(scope="module")
def tls_emulator_server(tokens, canaries, tmp_path_factory):
    certs = tmp_path_factory.mktemp("emulator-certs")
    log = io.StringIO()
    server = EmulatorServer(tls=True, cert_dir=str(certs), tokens=[tokens["admin"]],
                            admin_password=tokens["admin_password"], log_stream=log)
    server.start()
    yield server
    server.stop()
    leaked = canaries.found_in(log.getvalue())
    assert not leaked, "secrets in the TLS emulator's log: %s" % leaked
