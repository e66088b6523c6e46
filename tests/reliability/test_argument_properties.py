"""Property-based tests: generated options never cause a traceback, only a clean
failure or a result, and input that cannot work fails before any request."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.stackrox.central.plugins.module_utils import _central_client
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, TYPES, leaves
from ansible_collections.stackrox.central.plugins.modules import image_integration, image_integrations

CANARY = "canary-secret-value-7f3a"


class Exited(Exception):
    def __init__(self, kwargs, failed):
        super().__init__(kwargs)
        self.kwargs = kwargs
        self.failed = failed


@pytest.fixture
def harness(monkeypatch):
    for name in ("ROX_ENDPOINT", "ROX_API_TOKEN", "ROX_API_TOKEN_FILE", "ROX_ADMIN_PASSWORD", "ROX_CA_CERT_FILE",
                 "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY"):
        monkeypatch.delenv(name, raising=False)

    def exit_json(self, **kwargs):
        raise Exited(kwargs, failed=False)

    def fail_json(self, **kwargs):
        raise Exited(kwargs, failed=True)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)
    sent = []

    def request(self, method, path, action, body=None, params=None, idempotent=True):
        sent.append((method, path))
        return {"integrations": []} if method == "GET" else dict(body or {}, id="generated-id")

    monkeypatch.setattr(_central_client.CentralClient, "request", request)

    def run(module, args):
        del sent[:]
        payload = {"ANSIBLE_MODULE_ARGS": args}
        monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps(payload)))
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy")
        with pytest.raises(Exited) as outcome:
            module.main()
        return outcome.value, list(sent)

    return run


def anything():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                        st.sampled_from(sorted(TYPES)), st.sampled_from(["REGISTRY", "SCANNER", "NODE_SCANNER"]),
                        st.sampled_from(["localhost", "127.0.0.1:5000", "169.254.169.254", "registry.example.com"]))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                        max_leaves=6)


def block_values(block):
    fields = {}
    for path, field in leaves(block.fields):
        if len(path) > 1:
            continue
        text = st.just(CANARY) if field.secret else st.text(max_size=10)
        fields[field.option] = {"str": st.one_of(text, st.integers()),
                                "bool": st.one_of(st.booleans(), st.text(max_size=4)),
                                "int": st.one_of(st.integers(-3, 50), st.text(max_size=3))}[field.kind]
    return st.fixed_dictionaries({}, optional=fields)


def task_options():
    option_values = {
        "new_name": st.one_of(st.none(), st.text(max_size=10)),
        "state": st.one_of(st.sampled_from(["present", "absent"]), anything()),
        "type": st.one_of(st.sampled_from(sorted(TYPES)), anything()),
        "categories": st.one_of(st.lists(st.sampled_from(["REGISTRY", "SCANNER", "NODE_SCANNER", "OTHER"]),
                                         max_size=3), anything()),
        "skip_test_integration": st.one_of(st.booleans(), anything()),
        "update_password": st.one_of(st.sampled_from(["always", "on_create"]), anything()),
        "unexpected": anything(),
    }
    for block in BLOCKS.values():
        option_values[block.option] = st.one_of(block_values(block), anything())
    return st.fixed_dictionaries({"name": st.one_of(st.text(min_size=1, max_size=12), anything())},
                                 optional=option_values)


def connection():
    return st.fixed_dictionaries({
        "central_url": st.one_of(st.just("central.example.com"), st.just("https://central.example.com:8443"),
                                 st.text(max_size=15), st.just("ftp://x")),
        "central_api_token": st.one_of(st.just(CANARY), st.text(max_size=5)),
    }, optional={"central_password": st.just(CANARY), "request_timeout": st.one_of(st.floats(-1, 5), st.text()),
                 "central_api_token_file": st.just("/nonexistent/token")})


def assert_clean(exited, sent):
    if exited.failed:
        assert isinstance(exited.kwargs.get("msg"), str) and exited.kwargs["msg"]
        assert "Traceback" not in exited.kwargs["msg"]
        assert "exception" not in exited.kwargs or "Traceback" not in str(exited.kwargs.get("exception", ""))
    assert CANARY not in json.dumps(exited.kwargs.get("msg", ""))


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])


@SETTINGS
@given(options=task_options(), conn=connection())
def test_image_integration_never_tracebacks(harness, options, conn):
    exited, sent = harness(image_integration, dict(options, **conn))
    assert_clean(exited, sent)
    writes = [m for m, _ in sent if m != "GET"]
    assert len(writes) <= 1


@SETTINGS
@given(items=st.lists(st.one_of(task_options(), anything()), max_size=3), conn=connection())
def test_bulk_module_never_tracebacks(harness, items, conn):
    exited, sent = harness(image_integrations, dict(conn, integrations=items))
    assert_clean(exited, sent)


BAD_INPUT = [
    ({"name": "x", "type": "docker", "quay": {"endpoint": "quay.io"}}, "type docker takes the docker block"),
    ({"name": "x", "type": "docker", "docker": {"endpoint": "r"}, "quay": {"endpoint": "q"}}, "only one config block"),
    ({"name": "x", "type": "clairV4", "categories": ["REGISTRY"], "clair_v4": {"endpoint": "c"}},
     "does not support categories REGISTRY"),
    ({"name": "x", "type": "docker", "categories": ["ELSEWHERE"], "docker": {}}, "categories"),
    ({"name": "x", "type": "docker", "categories": [], "docker": {}}, "categories must not be empty"),
    ({"name": "x", "type": "clairify", "clairify": {"num_concurrent_scans": -1}},
     "clairify.num_concurrent_scans must not be negative"),
    ({"name": "x", "type": "docker", "docker": {"endpoint": "localhost:5000"}}, "docker.endpoint must not reference"),
    ({"name": "x", "type": "docker", "docker": {"endpoint": "https://127.0.0.1"}}, "docker.endpoint must not reference"),
    ({"name": "x", "type": "ecr", "ecr": {"endpoint": "169.254.169.254"}}, "metadata"),
    ({"name": "x", "type": "unknown", "docker": {}}, "type"),
    ({"name": "x", "type": "docker", "docker": "not-a-dict"}, "docker"),
    ({"name": "x", "central_url": "ftp://central.example.com"}, "central_url"),
    ({"name": "x", "central_url": "https://"}, "central_url"),
    ({"name": "x", "central_api_token_file": "/nonexistent/token"}, "central_api_token_file"),
    ({"name": "x", "central_ca_path": "/nonexistent/ca.pem"}, "central_ca_path"),
    ({"name": "x", "central_password": "pw"}, "use only one way to authenticate"),
    ({"name": "x", "request_timeout": 0}, "request_timeout"),
    ({"name": "x", "retries": -1}, "retries"),
]


@pytest.mark.parametrize("options, expected", BAD_INPUT, ids=[e for _, e in BAD_INPUT])
def test_bad_input_fails_before_any_request(harness, options, expected):
    args = {"central_url": "central.example.com", "central_api_token": "token-value"}
    args.update(options)
    exited, sent = harness(image_integration, args)
    assert exited.failed
    assert expected in exited.kwargs["msg"]
    assert sent == []
