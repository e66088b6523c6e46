# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module base: connection options shared by every module, and one place
where typed errors become ``fail_json``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.stackrox.central.plugins.module_utils._central_client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CentralClient,
    CentralConfigError,
    CentralError,
    Connection,
)
from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import TaskError

# Same names as roxctl reads them.
ENV_SKIP_TLS_VERIFY = "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY"

CONNECTION_ARGUMENT_SPEC = dict(
    central_url=dict(type="str", fallback=(env_fallback, ["ROX_ENDPOINT"])),
    central_api_token=dict(type="str", no_log=True, fallback=(env_fallback, ["ROX_API_TOKEN"])),
    central_api_token_file=dict(type="path", no_log=False, fallback=(env_fallback, ["ROX_API_TOKEN_FILE"])),
    central_username=dict(type="str", default="admin"),
    central_password=dict(type="str", no_log=True, fallback=(env_fallback, ["ROX_ADMIN_PASSWORD"])),
    central_ca_path=dict(type="path", fallback=(env_fallback, ["ROX_CA_CERT_FILE"])),
    validate_certs=dict(type="bool"),
    request_timeout=dict(type="float", default=30.0),
    retries=dict(type="int", default=3),
    retry_backoff=dict(type="float", default=1.0),
)


def parse_go_bool(value):
    """Read a boolean the way roxctl reads its environment (Go's strconv.ParseBool; anything else is false)."""
    return value in ("1", "t", "T", "TRUE", "true", "True")


def connection_from_params(params, environ=None):
    """Resolve the connection options as roxctl does; raise CentralConfigError before any request."""
    environ = os.environ if environ is None else environ
    token = params.get("central_api_token")
    token_file = params.get("central_api_token_file")
    if token_file:
        try:
            with open(token_file) as handle:
                token = handle.read().strip()
        except (IOError, OSError) as exc:
            raise CentralConfigError("cannot read central_api_token_file '%s': %s" % (token_file, exc.strerror or exc))
        if not token:
            raise CentralConfigError("central_api_token_file '%s' is empty" % token_file)
    password = params.get("central_password")
    if token and password:
        raise CentralConfigError(
            "both a token (central_api_token, central_api_token_file, ROX_API_TOKEN or ROX_API_TOKEN_FILE) and "
            "a password (central_password or ROX_ADMIN_PASSWORD) are set; use only one way to authenticate")
    validate_certs = params.get("validate_certs")
    if validate_certs is None:
        validate_certs = not parse_go_bool(environ.get(ENV_SKIP_TLS_VERIFY, ""))
    ca_path = params.get("central_ca_path")
    if ca_path and validate_certs and not os.access(ca_path, os.R_OK):
        raise CentralConfigError("cannot read central_ca_path '%s'" % ca_path)
    timeout = params.get("request_timeout")
    if timeout is not None and timeout <= 0:
        raise CentralConfigError("request_timeout must be a positive number of seconds, got %s" % timeout)
    retries = params.get("retries")
    if retries is not None and retries < 0:
        raise CentralConfigError("retries must not be negative, got %s" % retries)
    backoff = params.get("retry_backoff")
    if backoff is not None and backoff < 0:
        raise CentralConfigError("retry_backoff must not be negative, got %s" % backoff)
    # Options left unset take Connection's defaults, the same as the argument spec's.
    tuning = dict((key, value) for key, value in (("timeout", timeout), ("retries", retries),
                                                  ("retry_backoff", backoff)) if value is not None)
    return Connection(url=params.get("central_url"), token=token, username=params.get("central_username"),
                      password=password, ca_path=ca_path, validate_certs=validate_certs, **tuning)


def misplaced_values(spec, params, prefix=""):
    """Names of dictionary options given something that is not a dictionary."""
    for name, option in spec.items():
        value = params.get(name) if isinstance(params, dict) else None
        if value is None or "options" not in option:
            continue
        values = value if option.get("type") == "list" else [value]
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            yield "%s%s" % (prefix, name)
            continue
        for item in values:
            yield from misplaced_values(option["options"], item, "%s%s." % (prefix, name))


class _OptionsModule(AnsibleModule):
    """AnsibleModule whose option errors name the dictionary options that were given something else."""

    ready = False

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        if not self.ready:
            names = sorted(set(misplaced_values(self.argument_spec, self.params)))
            if names:
                msg = "%s must be a dictionary (a list of dictionaries for a list option): %s" % (", ".join(names), msg)
        super(_OptionsModule, self).fail_json(msg=msg, **kwargs)


def _fail_unreadable(spec, kwargs, exc):
    """Fail cleanly when ansible-core could not validate the options at all."""
    # Read the options without validating them; dictionaries may hold credentials, so they are no_log.
    raw = dict((name, dict(type="raw", no_log=bool(option.get("no_log") or "options" in option),
                           aliases=option.get("aliases", [])))
               for name, option in spec.items())
    module = AnsibleModule(argument_spec=raw, supports_check_mode=kwargs.get("supports_check_mode", False))
    names = sorted(set(misplaced_values(spec, module.params)))
    if names:
        module.fail_json(msg="%s must be a dictionary (a list of dictionaries for a list option)" % ", ".join(names))
    module.fail_json(msg="the module options could not be read (%s): %s" % (type(exc).__name__, exc))


class CentralModule(object):
    """An AnsibleModule with the connection options, and typed errors turned into one fail_json."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGUMENT_SPEC)
        spec.update(argument_spec)
        try:
            self.ansible = _OptionsModule(argument_spec=spec, **kwargs)
        except (TypeError, AttributeError, ValueError) as exc:
            # Some ansible-core releases trip over a scalar given where a dictionary belongs.
            _fail_unreadable(spec, kwargs, exc)
        self.ansible.ready = True
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self.diff_mode = self.ansible._diff

    def client(self, concurrency=1):
        return CentralClient(connection_from_params(self.params), concurrency=concurrency)

    def run(self, body):
        """Run ``body(self)``, which returns the result dict; exit or fail once."""
        try:
            result = body(self)
        except (CentralError, TaskError) as exc:
            result = {"failed": True, "msg": str(exc)}
        # Failing outside the except block: an expected error carries no traceback, even at -vvv.
        if result.pop("failed", False):
            self.ansible.fail_json(**result)
        self.ansible.exit_json(**result)
