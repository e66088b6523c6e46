"""Fixtures: the Central emulator started in-thread (plain HTTP, plus one TLS server)."""

from __future__ import annotations

import io

import pytest

from emulator_api import ADMIN_PASSWORD, ADMIN_TOKEN, READ_ONLY_TOKEN, Client, EmulatorServer  # noqa: F401


@pytest.fixture(scope="session")
def server():
    srv = EmulatorServer(tls=False, tokens=[ADMIN_TOKEN], read_only_tokens=[READ_ONLY_TOKEN],
                         admin_password=ADMIN_PASSWORD, cert_dir=None, log_stream=io.StringIO())
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory):
    srv = EmulatorServer(tls=True, tokens=[ADMIN_TOKEN], admin_password=ADMIN_PASSWORD,
                         cert_dir=tmp_path_factory.mktemp("certs"), log_stream=io.StringIO())
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def api(server):
    """A client with the admin token against a freshly reset emulator."""
    client = Client(server)
    assert client.post("/_emulator/reset").status_code == 200
    return client


@pytest.fixture
def read_only_api(server, api):
    return Client(server, token=READ_ONLY_TOKEN)


@pytest.fixture
def anonymous_api(server, api):
    return Client(server, token=None)
