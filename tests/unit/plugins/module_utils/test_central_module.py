# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options resolved as roxctl resolves them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.stackrox.central.plugins.module_utils._central_client import CentralConfigError
from ansible_collections.stackrox.central.plugins.module_utils._central_module import (
    CONNECTION_ARGUMENT_SPEC,
    ENV_SKIP_TLS_VERIFY,
    connection_from_params,
    parse_go_bool,
)

TOKEN = "CANARY-token-7f3a9c"
FILE_TOKEN = "CANARY-file-token-7f3a9c"
PASSWORD = "CANARY-password-7f3a9c"


def params(**options):
    options.setdefault("central_url", "central.example.com")
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate(options)
    assert not list(result.errors)
    return result.validated_parameters


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text(FILE_TOKEN + "\n")
    return str(path)


def config_error(options, environ=None):
    with pytest.raises(CentralConfigError) as caught:
        connection_from_params(options, environ=environ or {})
    message = str(caught.value)
    for secret in (TOKEN, FILE_TOKEN, PASSWORD):
        assert secret not in message
    return message


def test_defaults():
    connection = connection_from_params(params(central_api_token=TOKEN), environ={})
    assert connection.url == "https://central.example.com:443"
    assert connection.token == TOKEN
    assert connection.password is None
    assert connection.username == "admin"
    assert connection.validate_certs is True
    assert (connection.timeout, connection.retries, connection.retry_backoff) == (30.0, 3, 1.0)


def test_token_file_wins_over_token(token_file):
    connection = connection_from_params(params(central_api_token=TOKEN, central_api_token_file=token_file), environ={})
    assert connection.token == FILE_TOKEN


def test_token_and_password_together_are_an_error(token_file):
    message = config_error(params(central_api_token=TOKEN, central_password=PASSWORD))
    assert "central_api_token" in message and "central_password" in message
    message = config_error(params(central_api_token_file=token_file, central_password=PASSWORD))
    assert "use only one way to authenticate" in message


def test_token_from_the_environment_and_a_password_are_an_error(monkeypatch):
    monkeypatch.setenv("ROX_API_TOKEN", TOKEN)
    monkeypatch.delenv("ROX_ADMIN_PASSWORD", raising=False)
    config_error(params(central_password=PASSWORD))


def test_environment_fallbacks(monkeypatch, token_file):
    monkeypatch.setenv("ROX_ENDPOINT", "https://central.example.com:8443")
    monkeypatch.setenv("ROX_API_TOKEN_FILE", token_file)
    monkeypatch.delenv("ROX_API_TOKEN", raising=False)
    monkeypatch.delenv("ROX_ADMIN_PASSWORD", raising=False)
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({})
    connection = connection_from_params(result.validated_parameters, environ={})
    assert connection.url == "https://central.example.com:8443"
    assert connection.token == FILE_TOKEN


def test_password_alone():
    connection = connection_from_params(params(central_password=PASSWORD, central_username="ops"), environ={})
    assert (connection.username, connection.password, connection.token) == ("ops", PASSWORD, None)


def test_unreadable_token_file_names_the_option(tmp_path):
    missing = str(tmp_path / "missing")
    message = config_error(params(central_api_token_file=missing))
    assert message.startswith("cannot read central_api_token_file '%s'" % missing)
    message = config_error(params(central_api_token_file=str(tmp_path)))
    assert "central_api_token_file" in message


def test_empty_token_file_is_an_error(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    assert "central_api_token_file '%s' is empty" % empty in config_error(params(central_api_token_file=str(empty)))


def test_unreadable_ca_file_names_the_option(tmp_path):
    missing = str(tmp_path / "ca.pem")
    message = config_error(params(central_api_token=TOKEN, central_ca_path=missing))
    assert "central_ca_path" in message
    assert missing in message


def test_ca_file_is_not_needed_without_verification(tmp_path):
    connection = connection_from_params(params(central_api_token=TOKEN, central_ca_path=str(tmp_path / "ca.pem"),
                                               validate_certs=False), environ={})
    assert connection.validate_certs is False


@pytest.mark.parametrize("value", ["1", "t", "T", "TRUE", "true", "True"])
def test_skip_tls_verify_true_values(value):
    assert parse_go_bool(value) is True
    connection = connection_from_params(params(central_api_token=TOKEN), environ={ENV_SKIP_TLS_VERIFY: value})
    assert connection.validate_certs is False


@pytest.mark.parametrize("value", ["", "0", "f", "F", "FALSE", "false", "False", "yes", "on", "tRUE", " true", "2"])
def test_skip_tls_verify_other_values(value):
    assert parse_go_bool(value) is False
    connection = connection_from_params(params(central_api_token=TOKEN), environ={ENV_SKIP_TLS_VERIFY: value})
    assert connection.validate_certs is True


@pytest.mark.parametrize("validate_certs", [True, False])
def test_validate_certs_option_wins_over_the_environment(validate_certs):
    connection = connection_from_params(params(central_api_token=TOKEN, validate_certs=validate_certs),
                                        environ={ENV_SKIP_TLS_VERIFY: "true" if validate_certs else "false"})
    assert connection.validate_certs is validate_certs


def test_environment_is_read_from_os_environ_by_default(monkeypatch):
    monkeypatch.setenv(ENV_SKIP_TLS_VERIFY, "true")
    assert connection_from_params(params(central_api_token=TOKEN)).validate_certs is False


@pytest.mark.parametrize("option,value,words", [
    ("request_timeout", 0, "request_timeout must be a positive number"),
    ("request_timeout", -1.5, "request_timeout must be a positive number"),
    ("retries", -1, "retries must not be negative"),
    ("retry_backoff", -0.1, "retry_backoff must not be negative"),
])
def test_bad_numbers_are_errors(option, value, words):
    assert words in config_error(params(central_api_token=TOKEN, **{option: value}))


def test_bad_url_is_an_error():
    assert "scheme 'ftp'" in config_error(params(central_api_token=TOKEN, central_url="ftp://central"))
