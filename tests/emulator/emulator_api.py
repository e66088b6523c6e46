"""Helpers for the emulator tests: a thin client, the test credentials and request bodies."""

from __future__ import annotations

import sys
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from emulator.server import EmulatorServer  # noqa: E402

ADMIN_TOKEN = "test-admin-token"
READ_ONLY_TOKEN = "test-read-only-token"
ADMIN_PASSWORD = "test-admin-password"


class Client:
    """A thin requests wrapper bound to one emulator."""

    def __init__(self, server: EmulatorServer, token: str | None = ADMIN_TOKEN, verify=True):
        self.server = server
        self.base = server.url
        self.session = requests.Session()
        # passed per request: REQUESTS_CA_BUNDLE in the environment would beat session.verify
        self.verify = server.ca_path if server.tls else verify
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("verify", self.verify)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- inspection helpers
    def stored(self, id_=None, name=None) -> dict:
        items = self.get("/_emulator/integrations").json()["integrations"]
        for item in items:
            if item["id"] == id_ or item["name"] == name:
                return item
        raise AssertionError(f"no stored integration id={id_!r} name={name!r}")

    def stored_names(self) -> list[str]:
        return [i["name"] for i in self.get("/_emulator/integrations").json()["integrations"]]

    def create(self, body: dict) -> dict:
        resp = self.post("/v1/imageintegrations", json=body)
        assert resp.status_code == 200, resp.text
        return resp.json()


def docker_body(name="team registry", **overrides) -> dict:
    body = {
        "name": name,
        "type": "docker",
        "categories": ["REGISTRY"],
        "docker": {"endpoint": "registry.example.com", "username": "robot", "password": "s3cret",
                   "insecure": False},
    }
    body.update(overrides)
    return body
