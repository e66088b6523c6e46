"""Authentication and authorization, plain HTTP and TLS."""

from __future__ import annotations

import requests
import pytest

from emulator_api import ADMIN_PASSWORD, ADMIN_TOKEN, Client, docker_body

WRITES = [
    ("POST", "/v1/imageintegrations", docker_body("ro")),
    ("PUT", "/v1/imageintegrations/10d3b4dc-8295-41bc-bb50-6da5484cdb1a", docker_body("ro")),
    ("PATCH", "/v1/imageintegrations/10d3b4dc-8295-41bc-bb50-6da5484cdb1a",
     {"config": docker_body("ro"), "updatePassword": False}),
    ("DELETE", "/v1/imageintegrations/10d3b4dc-8295-41bc-bb50-6da5484cdb1a", None),
    ("POST", "/v1/imageintegrations/test", docker_body("ro")),
    ("POST", "/v1/imageintegrations/test/updated", {"config": docker_body("ro"), "updatePassword": True}),
]


def test_bearer_token_reads(api):
    assert api.get("/v1/imageintegrations").status_code == 200


def test_basic_auth_as_admin(server, api):
    resp = requests.get(server.url + "/v1/imageintegrations", auth=("admin", ADMIN_PASSWORD), timeout=10)
    assert resp.status_code == 200
    created = requests.post(server.url + "/v1/imageintegrations", json=docker_body("basic"),
                            auth=("admin", ADMIN_PASSWORD), timeout=10)
    assert created.status_code == 200


@pytest.mark.parametrize("auth,headers", [
    (None, {}),
    (None, {"Authorization": "Bearer wrong-token"}),
    (None, {"Authorization": "Bearer "}),
    (("admin", "wrong-password"), {}),
    (("someone", ADMIN_PASSWORD), {}),
    (None, {"Authorization": "Basic not-base64!"}),
])
def test_missing_or_wrong_credentials_are_401(server, api, auth, headers):
    resp = requests.get(server.url + "/v1/imageintegrations", auth=auth, headers=headers, timeout=10)
    assert resp.status_code == 401
    assert resp.json()["code"] == 16


def test_read_only_token_can_read(read_only_api):
    assert read_only_api.get("/v1/imageintegrations").status_code == 200
    assert read_only_api.get("/v1/imageintegrations/10d3b4dc-8295-41bc-bb50-6da5484cdb1a").status_code == 200


@pytest.mark.parametrize("method,path,body", WRITES)
def test_read_only_token_cannot_write_or_test(read_only_api, api, method, path, body):
    resp = read_only_api.request(method, path, json=body)
    assert resp.status_code == 403
    assert resp.json()["code"] == 7
    assert "Integration" in resp.json()["message"]
    assert "Public DockerHub" in api.stored_names() and "ro" not in api.stored_names()


def test_unauthenticated_write_changes_nothing(anonymous_api, api):
    resp = anonymous_api.delete("/v1/imageintegrations/10d3b4dc-8295-41bc-bb50-6da5484cdb1a")
    assert resp.status_code == 401
    assert "Public DockerHub" in api.stored_names()


def test_tls_with_generated_ca(tls_server):
    client = Client(tls_server, token=ADMIN_TOKEN)
    assert tls_server.url.startswith("https://")
    resp = client.get("/v1/imageintegrations")
    assert resp.status_code == 200
    assert len(resp.json()["integrations"]) >= 11
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_server.url + "/v1/imageintegrations", timeout=10)  # system CAs do not trust it


def test_tls_certificate_files_and_reuse(tls_server, tmp_path):
    from cryptography import x509
    from emulator.server import EmulatorServer

    cert = x509.load_pem_x509_certificate(open(tls_server.cert_path, "rb").read())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    import os
    import stat
    key_path = os.path.join(tls_server.cert_dir, "server-key.pem")
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    ca_before = open(tls_server.ca_path, "rb").read()
    again = EmulatorServer(tls=True, cert_dir=tls_server.cert_dir)
    again.start()
    try:
        assert open(again.ca_path, "rb").read() == ca_before
        resp = requests.get(again.url + "/v1/imageintegrations", verify=again.ca_path, timeout=10,
                            headers={"Authorization": "Bearer emulator-admin-token"})
        assert resp.status_code == 200
    finally:
        again.stop()
