# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""image_integration and image_integration_info run end to end (main()) against an in-memory Central."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.stackrox.central.plugins.module_utils import _central_module
from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralAPIError
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import plan_integration, read_task
from ansible_collections.stackrox.central.plugins.modules import image_integration, image_integration_info
from ansible_collections.stackrox.central.tests.unit.central_objects import (
    ALL_TYPES,
    CREATABLE_TYPES,
    INTEGRATION_ID,
    block_options,
    central_integration,
    central_mask,
    find_canaries,
    task_params,
)
from ansible_collections.stackrox.central.tests.unit.fake_central import FakeCentralClient

try:
    from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19 and later
except ImportError:  # pragma: no cover - older ansible-core
    patch_module_args = None

NAME = "Team registry"
CONNECTION = {"central_url": "central.example.com", "central_api_token": "CANARY-connection-token-7f3a9c"}


@contextlib.contextmanager
def module_args(args):
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    saved = basic._ANSIBLE_ARGS
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    try:
        yield
    finally:
        basic._ANSIBLE_ARGS = saved


def run_module(module, args, central, monkeypatch, capsys, check_mode=False, diff=False):
    """Run module.main() with ``args``; return (exit code, result dict, raw stdout)."""
    monkeypatch.setattr(_central_module.CentralModule, "client", lambda self: central)
    args = dict(CONNECTION, _ansible_check_mode=check_mode, _ansible_diff=diff, **args)
    with module_args(args):
        with pytest.raises(SystemExit) as caught:
            module.main()
    out = capsys.readouterr().out
    return caught.value.code, json.loads(out), out


def docker_args(**extra):
    args = {"name": NAME, "type": "docker", "update_password": "on_create",
            "docker": {"endpoint": "registry.example.com", "username": "robot", "password": "CANARY-docker-7f3a9c"}}
    args.update(extra)
    return args


def test_create_then_noop(monkeypatch, capsys):
    central = FakeCentralClient()
    code, result, out = run_module(image_integration, docker_args(), central, monkeypatch, capsys, diff=True)
    assert code == 0
    assert result["changed"] is True
    created = list(central.store.values())[0]
    assert result["id"] == created["id"]
    assert result["integration"] == central_mask(created)
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["docker"]["password"] == "******"
    assert "CANARY" not in out
    assert central.methods() == ["list_integrations", "create_integration"]

    del central.calls[:]
    code, result, out = run_module(image_integration, docker_args(), central, monkeypatch, capsys, diff=True)
    assert code == 0
    assert result["changed"] is False
    assert central.methods() == ["list_integrations"]
    assert "CANARY" not in out


def test_check_mode_writes_nothing(monkeypatch, capsys):
    central = FakeCentralClient()
    code, result, _out = run_module(image_integration, docker_args(), central, monkeypatch, capsys, check_mode=True)
    assert code == 0
    assert result["changed"] is True
    assert central.writes() == []
    assert "diff" not in result


def test_task_error_fails_once_with_the_message(monkeypatch, capsys):
    central = FakeCentralClient([central_integration("docker", name=NAME, options={"endpoint": "registry.example.com"},
                                                     masked=False)])
    args = docker_args(docker={"endpoint": "other.example.com"})
    code, result, out = run_module(image_integration, args, central, monkeypatch, capsys)
    assert code == 1
    assert result["failed"] is True
    assert result["msg"].startswith("image integration '%s': changing docker.endpoint" % NAME)
    assert "docker.password" in result["msg"]
    assert central.writes() == []
    assert "CANARY" not in out


def test_central_error_fails_with_centrals_message(monkeypatch, capsys):
    central = FakeCentralClient()
    central.fail("create_integration", CentralAPIError("creating image integration 'Team registry': HTTP 400: "
                                                       "registry test failed", 400, "registry test failed"))
    code, result, out = run_module(image_integration, docker_args(skip_test_integration=False), central, monkeypatch, capsys)
    assert code == 1
    assert "registry test failed" in result["msg"]
    assert "CANARY" not in out


def test_local_endpoint_fails_before_any_request(monkeypatch, capsys):
    central = FakeCentralClient()
    args = docker_args(docker={"endpoint": "localhost:5000"})
    code, result, _out = run_module(image_integration, args, central, monkeypatch, capsys)
    assert code == 1
    assert "docker.endpoint must not reference localhost" in result["msg"]
    assert central.calls == []


def test_delete(monkeypatch, capsys):
    central = FakeCentralClient([central_integration("docker", name=NAME, masked=False)])
    code, result, _out = run_module(image_integration, {"name": NAME, "state": "absent"}, central, monkeypatch, capsys)
    assert code == 0
    assert result["changed"] is True
    assert result["id"] == INTEGRATION_ID
    assert central.store == {}


# ---------------------------------------------------------------------- image_integration_info

def stored_everything():
    return [central_integration(t, name="%s integration" % t, integration_id="id-%s" % t, options=block_options(t), masked=False)
            for t in ALL_TYPES]


def test_info_masks_every_credential(monkeypatch, capsys):
    central = FakeCentralClient(stored_everything())
    code, result, out = run_module(image_integration_info, {}, central, monkeypatch, capsys)
    assert code == 0
    assert result["changed"] is False
    assert len(result["integrations"]) == len(ALL_TYPES)
    assert "CANARY" not in out


def test_info_by_id_and_missing_id(monkeypatch, capsys):
    central = FakeCentralClient(stored_everything())
    _code, result, _out = run_module(image_integration_info, {"id": "id-quay"}, central, monkeypatch, capsys)
    assert [i["name"] for i in result["integrations"]] == ["quay integration"]
    assert central.methods() == ["get_integration"]
    code, result, _out = run_module(image_integration_info, {"id": "nope"}, central, monkeypatch, capsys)
    assert code == 0
    assert result["integrations"] == []


def test_info_filters_by_name_and_type(monkeypatch, capsys):
    central = FakeCentralClient(stored_everything())
    _code, result, _out = run_module(image_integration_info, {"type": "ecr"}, central, monkeypatch, capsys)
    assert [i["type"] for i in result["integrations"]] == ["ecr"]
    _code, result, _out = run_module(image_integration_info, {"name": "ibm integration", "type": "docker"}, central,
                                     monkeypatch, capsys)
    assert result["integrations"] == []


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_exported_options_apply_back_as_a_noop(monkeypatch, capsys, type_name):
    stored = central_integration(type_name, name="Exported", options=block_options(type_name), masked=False)
    central = FakeCentralClient([stored])
    _code, result, out = run_module(image_integration_info, {"format": "options"}, central, monkeypatch, capsys)
    assert "CANARY" not in out
    exported = result["integrations"][0]
    assert exported["name"] == "Exported"
    assert exported["type"] == type_name
    plan = plan_integration(central_mask(stored), read_task(task_params(**exported)))
    assert plan.action == "noop", plan.changes


@pytest.mark.parametrize("type_name", CREATABLE_TYPES)
def test_exported_options_recreate_the_integration_without_credentials(type_name):
    stored = central_integration(type_name, name="Exported", options=block_options(type_name, secrets=False), masked=False)
    central = FakeCentralClient([stored])
    exported = image_integration_info.to_options(central.list_integrations()[0])
    assert find_canaries(exported) == []
    plan = plan_integration(None, read_task(task_params(**exported)))
    expected = dict(stored)
    del expected["id"]
    assert plan.payload == expected
