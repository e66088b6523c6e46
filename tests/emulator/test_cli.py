"""``python -m emulator``: port file, default TLS, tokens, and a log that holds no secrets."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import requests

from emulator_api import REPO_ROOT


def start(tmp_path, *args):
    port_file = tmp_path / "port"
    log_file = tmp_path / "emulator.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--host", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
         "--log-file", str(log_file), *args],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not port_file.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "emulator did not write its port file"
        time.sleep(0.05)
    return proc, int(port_file.read_text()), log_file


def stop(proc):
    proc.terminate()
    assert proc.wait(timeout=10) == 0


def test_cli_tls_by_default_with_custom_tokens(tmp_path):
    cert_dir = tmp_path / "certs"
    proc, port, log_file = start(tmp_path, "--cert-dir", str(cert_dir), "--token", "tok-a",
                                 "--read-only-token", "tok-ro", "--admin-password", "pw")
    try:
        assert sorted(os.listdir(cert_dir)) == ["ca.pem", "server-key.pem", "server.pem"]
        url = f"https://localhost:{port}/v1/imageintegrations"
        ca = str(cert_dir / "ca.pem")
        assert requests.get(url, verify=ca, headers={"Authorization": "Bearer tok-a"}, timeout=10).status_code == 200
        assert requests.get(url, verify=ca, auth=("admin", "pw"), timeout=10).status_code == 200
        body = {"name": "cli", "type": "docker", "categories": ["REGISTRY"],
                "docker": {"endpoint": "r.example.com", "username": "u", "password": "very-secret-value"}}
        denied = requests.post(url, verify=ca, json=body, headers={"Authorization": "Bearer tok-ro"}, timeout=10)
        assert denied.status_code == 403
        created = requests.post(url, verify=ca, json=body, headers={"Authorization": "Bearer tok-a"}, timeout=10)
        assert created.status_code == 200
        default = requests.get(url, verify=ca, headers={"Authorization": "Bearer emulator-admin-token"}, timeout=10)
        assert default.status_code == 401  # --token replaces the default token
    finally:
        stop(proc)
    log = log_file.read_text()
    assert "POST /v1/imageintegrations 200" in log and "POST /v1/imageintegrations 403" in log
    for secret in ("very-secret-value", "tok-a", "tok-ro", "pw\n", "Authorization"):
        assert secret not in log


def test_cli_plain_http_defaults(tmp_path):
    proc, port, _log = start(tmp_path, "--no-tls")
    try:
        base = f"http://127.0.0.1:{port}"
        resp = requests.get(base + "/v1/imageintegrations", timeout=10,
                            headers={"Authorization": "Bearer emulator-admin-token"})
        assert resp.status_code == 200 and len(resp.json()["integrations"]) == 11
        assert requests.get(base + "/v1/imageintegrations", auth=("admin", "emulator-admin-password"),
                            timeout=10).status_code == 200
        assert requests.get(base + "/_emulator/health", timeout=10).json() == {"status": "ok"}
    finally:
        stop(proc)
