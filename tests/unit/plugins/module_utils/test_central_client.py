# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CentralClient: addresses, auth, error mapping, retries and backoff, with a scripted session."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from ansible_collections.stackrox.central.plugins.module_utils import _central_client
from ansible_collections.stackrox.central.plugins.module_utils._central_client import (
    CentralAPIError,
    CentralClient,
    CentralConfigError,
    CentralConnectionError,
    Connection,
    OutcomeUnknown,
    parse_central_url,
)
from ansible_collections.stackrox.central.tests.unit.central_objects import load_fixture

TOKEN = "CANARY-api-token-7f3a9c"
PASSWORD = "CANARY-admin-password-7f3a9c"


def response(status, body=None, headers=None, reason=None):
    answer = requests.Response()
    answer.status_code = status
    answer.reason = reason or {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                               409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error",
                               502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}.get(status, "")
    answer._content = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode("utf-8"))
    answer.headers.update(headers or {})
    return answer


class ScriptedSession(object):
    """Replaces session.request: answers (or raises) from a script and records every call."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []

    def __call__(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        if not self.script:
            raise AssertionError("more requests than scripted: %s %s" % (method, url))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def make_client(script, retries=3, backoff=1.0, monkeypatch=None, **connection):
    delays = []
    connection.setdefault("token", TOKEN)
    client = CentralClient(Connection("central.example.com", retries=retries, retry_backoff=backoff, **connection),
                           sleep=delays.append)
    session = ScriptedSession(script)
    client.session.request = session
    return client, session, delays


# ---------------------------------------------------------------------- addresses

@pytest.mark.parametrize("url,expected", [
    ("central.example.com", "https://central.example.com:443"),
    ("central.example.com:8443", "https://central.example.com:8443"),
    ("https://central.example.com", "https://central.example.com:443"),
    ("https://central.example.com:8443/", "https://central.example.com:8443"),
    ("HTTPS://Central.Example.com:8443", "https://central.example.com:8443"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://central.example.com", "http://central.example.com:80"),
    ("  central.example.com  ", "https://central.example.com:443"),
    ("10.0.0.5", "https://10.0.0.5:443"),
    ("[::1]:8443", "https://[::1]:8443"),
    ("https://[2001:db8::1]", "https://[2001:db8::1]:443"),
])
def test_url_forms(url, expected):
    assert parse_central_url(url) == expected


@pytest.mark.parametrize("url,words", [
    ("", "central_url is required"),
    (None, "ROX_ENDPOINT"),
    ("ftp://central.example.com", "scheme 'ftp'"),
    ("grpc://central.example.com:443", "use https://"),
    ("https://", "is not a valid address"),
    ("central.example.com:notaport", "is not a valid address"),
    ("central.example.com:99999", "is not a valid address"),
    ("admin:secret@central.example.com", "is not a valid address"),
    ("central.example.com?x=1", "is not a valid address"),
    ("central example com", "is not a valid address"),
    ("::1", "is not a valid address"),
])
def test_bad_urls(url, words):
    with pytest.raises(CentralConfigError, match=words.replace("?", r"\?")):
        parse_central_url(url)


# ---------------------------------------------------------------------- auth

def test_token_is_sent_as_bearer():
    client, session, _delays = make_client([response(200, {"integrations": []})])
    assert client.list_integrations() == []
    assert client.session.headers["Authorization"] == "Bearer " + TOKEN
    method, url, kwargs = session.calls[0]
    assert (method, url) == ("GET", "https://central.example.com:443/v1/imageintegrations")
    assert kwargs["params"] is None
    assert kwargs["timeout"] == 30.0


def test_password_is_sent_as_basic_auth_for_admin():
    client, _session, _delays = make_client([], token=None, password=PASSWORD)
    assert client.session.auth == ("admin", PASSWORD)
    assert "Authorization" not in client.session.headers


def test_no_credentials_is_a_config_error():
    with pytest.raises(CentralConfigError, match="no credentials for Central"):
        CentralClient(Connection("central.example.com"))


@pytest.mark.parametrize("validate_certs,ca_path,expected", [(True, None, True), (True, "/ca.pem", "/ca.pem"), (False, "/ca.pem", False)])
def test_tls_verification_is_passed_with_each_request(validate_certs, ca_path, expected):
    client, session, _delays = make_client([response(200, {"integrations": []})], validate_certs=validate_certs, ca_path=ca_path)
    client.list_integrations()
    assert session.calls[0][2]["verify"] == expected


# ---------------------------------------------------------------------- API calls

def test_name_filter_and_listing(fixture_loader):
    listing = fixture_loader("list_fresh_central.json")
    client, session, _delays = make_client([response(200, listing)])
    found = client.list_integrations(name="Public Quay.io")
    assert session.calls[0][2]["params"] == {"name": "Public Quay.io"}
    assert [i["name"] for i in found] == [i["name"] for i in listing["integrations"]]


def test_write_calls_use_the_documented_routes_and_bodies():
    client, session, _delays = make_client([response(200, {"id": "new"}), response(200, {}), response(200, {}),
                                            response(200, {}), response(200, {"id": "x/y"})])
    payload = {"name": "Team registry", "type": "docker"}
    assert client.create_integration(payload) == {"id": "new"}
    client.update_integration("id 1", payload, False)
    client.delete_integration("id 1", "Team registry")
    client.test_integration(payload, True)
    client.get_integration("x/y")
    assert [(m, u.split(":443", 1)[1], k["json"]) for m, u, k in session.calls] == [
        ("POST", "/v1/imageintegrations", payload),
        ("PATCH", "/v1/imageintegrations/id%201", {"config": payload, "updatePassword": False}),
        ("DELETE", "/v1/imageintegrations/id%201", None),
        ("POST", "/v1/imageintegrations/test/updated", {"config": payload, "updatePassword": True}),
        ("GET", "/v1/imageintegrations/x%2Fy", None),
    ]


def test_empty_answer_is_an_empty_dict():
    client, _session, _delays = make_client([response(200, None)])
    assert client.delete_integration("abc", "Old") == {}


def test_non_json_answer_is_an_error():
    client, _session, _delays = make_client([response(200, b"<html>proxy login</html>")])
    with pytest.raises(CentralAPIError, match="not JSON"):
        client.list_integrations()


# ---------------------------------------------------------------------- errors

@pytest.mark.parametrize("status,fixture,hint", [
    (401, "error_unauthenticated.json", "central_api_token"),
    (403, "error_permission_denied.json", "Integration"),
])
def test_auth_errors_carry_the_permission_hint(status, fixture, hint):
    body = load_fixture(fixture)
    client, _session, _delays = make_client([response(status, body)])
    with pytest.raises(CentralAPIError) as caught:
        client.list_integrations(name="Team registry")
    message = str(caught.value)
    assert caught.value.status == status
    assert message.startswith("reading image integration 'Team registry': HTTP %d: " % status)
    assert body["message"] in message
    assert hint in message
    assert TOKEN not in message


def test_403_hint_names_both_permissions():
    client, _session, _delays = make_client([response(403, load_fixture("error_permission_denied.json"))])
    with pytest.raises(CentralAPIError) as caught:
        client.update_integration("abc", {"name": "Team registry"}, False)
    assert "read" in str(caught.value) and "write" in str(caught.value)


@pytest.mark.parametrize("status,fixture", [(400, "error_credentials_required.json"), (409, "error_already_exists.json")])
def test_centrals_message_is_in_the_error(status, fixture):
    body = load_fixture(fixture)
    client, session, _delays = make_client([response(status, body)])
    with pytest.raises(CentralAPIError) as caught:
        client.update_integration("abc", {"name": "Team registry"}, False)
    assert caught.value.status == status
    assert caught.value.central_message == body["message"]
    assert body["message"] in str(caught.value)
    assert "updating image integration 'Team registry'" in str(caught.value)
    assert len(session.calls) == 1  # not retried


def test_error_without_json_body_uses_the_reason():
    client, _session, _delays = make_client([response(500, b"oops", reason="Internal Server Error")])
    with pytest.raises(CentralAPIError, match="HTTP 500: Internal Server Error"):
        client.list_integrations()


def test_tls_errors_point_at_central_ca_path():
    client, session, delays = make_client([requests.exceptions.SSLError("certificate verify failed: self-signed certificate")])
    with pytest.raises(CentralConnectionError) as caught:
        client.list_integrations()
    assert "central_ca_path" in str(caught.value)
    assert "certificate verify failed" in str(caught.value)
    assert len(session.calls) == 1
    assert delays == []


def test_timeouts_name_request_timeout():
    client, _session, _delays = make_client([requests.exceptions.ReadTimeout("read timed out")], retries=0)
    with pytest.raises(CentralConnectionError, match="request_timeout"):
        client.list_integrations()


# ---------------------------------------------------------------------- retries

def test_429_is_retried_after_retry_after():
    client, session, delays = make_client([response(429, {}, {"Retry-After": "7"}), response(200, {"integrations": []})])
    assert client.list_integrations() == []
    assert len(session.calls) == 2
    assert delays == [7.0]


def test_retry_after_is_capped():
    client, _session, delays = make_client([response(429, {}, {"Retry-After": "3600"}), response(200, {})])
    client.list_integrations()
    assert delays == [60.0]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_with_growing_backoff_and_bounded_attempts(status, monkeypatch):
    monkeypatch.setattr(_central_client.random, "random", lambda: 0.5)
    body = load_fixture("error_unavailable.json")
    client, session, delays = make_client([response(status, body)] * 4, retries=3, backoff=2.0)
    with pytest.raises(CentralAPIError) as caught:
        client.list_integrations()
    assert caught.value.status == status
    assert len(session.calls) == 4
    assert delays == [1.5, 3.0, 6.0]


def test_backoff_grows_even_with_jitter():
    client, _session, delays = make_client([requests.exceptions.ConnectionError("refused")] * 6 + [response(200, {})],
                                           retries=6, backoff=1.0)
    client.list_integrations()
    assert len(delays) == 6
    assert all(later >= earlier for earlier, later in zip(delays, delays[1:]))
    assert delays[-1] > delays[0] * 4
    assert all(delay <= 30.0 for delay in delays)


def test_connection_errors_are_retried_then_reported():
    client, session, delays = make_client([requests.exceptions.ConnectionError("connection refused")] * 4, retries=3)
    with pytest.raises(CentralConnectionError) as caught:
        client.list_integrations()
    assert "after 4 attempts" in str(caught.value)
    assert "connection refused" in str(caught.value)
    assert len(session.calls) == 4
    assert len(delays) == 3
    assert client.requests_sent == 4


def test_recovers_after_a_connection_error():
    client, session, _delays = make_client([requests.exceptions.ConnectionError("reset"), response(200, {"integrations": [{"name": "a"}]})])
    assert client.list_integrations() == [{"name": "a"}]
    assert len(session.calls) == 2


def test_patch_and_delete_are_retried():
    client, session, _delays = make_client([response(503, {}), response(200, {}), response(502, {}), response(200, {})])
    client.update_integration("abc", {"name": "a"}, False)
    client.delete_integration("abc", "a")
    assert [c[0] for c in session.calls] == ["PATCH", "PATCH", "DELETE", "DELETE"]


@pytest.mark.parametrize("retries", [0, 3])
@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectionError("connection reset by peer"),
    requests.exceptions.ReadTimeout("read timed out"),
    response(502, b"bad gateway"),
    response(504, b""),
], ids=["connection-error", "read-timeout", "502", "504"])
def test_create_with_unknown_outcome_is_not_sent_again(failure, retries):
    client, session, delays = make_client([failure, response(200, {"id": "new"})], retries=retries)
    with pytest.raises(OutcomeUnknown) as caught:
        client.create_integration({"name": "Team registry"})
    assert len(session.calls) == 1
    assert delays == []
    assert "creating image integration 'Team registry'" in str(caught.value)


def test_create_is_retried_after_429():
    client, session, delays = make_client([response(429, {}, {"Retry-After": "1"}), response(200, {"id": "new"})])
    assert client.create_integration({"name": "Team registry"}) == {"id": "new"}
    assert [c[0] for c in session.calls] == ["POST", "POST"]
    assert delays == [1.0]


def test_no_error_message_carries_a_credential():
    client, _session, _delays = make_client([response(401, {"message": "bad token"}),
                                             requests.exceptions.ConnectionError("refused")], retries=0, password=None)
    messages = []
    for _attempt in range(2):
        with pytest.raises(_central_client.CentralError) as caught:
            client.create_integration({"name": "Team registry", "docker": {"password": PASSWORD}})
        messages.append(str(caught.value))
    assert all(TOKEN not in m and PASSWORD not in m for m in messages)
