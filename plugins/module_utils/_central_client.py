# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport to Central's REST API: session, auth, TLS, timeouts, retries, typed errors.

It never calls ``fail_json``; callers catch ``CentralError``. No message it
builds carries a request body, a header or a credential.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - depends on the controller
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

try:
    from urllib.parse import urlsplit, quote
except ImportError:  # pragma: no cover
    from urlparse import urlsplit
    from urllib import quote

API = "/v1/imageintegrations"

# Statuses after which a request may be sent again: Central or a proxy in
# front of it was busy or restarting.
RETRY_STATUSES = (429, 502, 503, 504)

PERMISSION_HINTS = {
    401: "Central did not accept the credentials: check central_api_token (ROX_API_TOKEN), "
         "central_api_token_file (ROX_API_TOKEN_FILE) or central_password (ROX_ADMIN_PASSWORD)",
    403: "the token's role lacks a permission: reading needs Integration read (view) access, "
         "changes and tests need Integration write (modify) access",
}


class CentralError(Exception):
    """Anything that went wrong talking to Central; the message is safe to show."""


class CentralConfigError(CentralError):
    """Connection options that cannot work; raised before any request."""


class CentralConnectionError(CentralError):
    """No answer from Central: refused, reset, timed out or TLS failure."""


class CentralAPIError(CentralError):
    """Central answered with an error status."""

    def __init__(self, message, status, central_message=""):
        super(CentralAPIError, self).__init__(message)
        self.status = status
        self.central_message = central_message


class OutcomeUnknown(CentralError):
    """A non-idempotent request may or may not have been applied."""


def parse_central_url(url):
    """Base URL from ``host``, ``host:port`` or ``https://host[:port]`` (``http://`` for plain HTTP)."""
    if not url:
        raise CentralConfigError("central_url is required: set it or the ROX_ENDPOINT environment variable")
    text = url.strip()
    scheme = "https"
    if "://" in text:
        scheme, text = text.split("://", 1)
        scheme = scheme.lower()
        if scheme not in ("https", "http"):
            raise CentralConfigError("central_url '%s' has scheme '%s'; use https:// (or http:// for plain HTTP)"
                                     % (url, scheme))
    text = text.rstrip("/")
    try:
        parts = urlsplit("//" + text)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise CentralConfigError("central_url '%s' is not a valid address: %s" % (url, exc))
    if not host or parts.username or parts.query or parts.fragment or " " in text:
        raise CentralConfigError("central_url '%s' is not a valid address; use host, host:port or https://host[:port]"
                                 % url)
    netloc = "[%s]" % host if ":" in host else host
    port = port or (443 if scheme == "https" else 80)
    return "%s://%s:%d%s" % (scheme, netloc, port, parts.path)


class Connection(object):
    """Resolved connection settings."""

    def __init__(self, url, token=None, username="admin", password=None, ca_path=None,
                 validate_certs=True, timeout=30.0, retries=3, retry_backoff=1.0):
        self.url = parse_central_url(url)
        self.token = token
        self.username = username or "admin"
        self.password = password
        self.ca_path = ca_path
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.retries = retries
        self.retry_backoff = retry_backoff


class CentralClient(object):
    """One requests session per module run."""

    def __init__(self, connection, sleep=time.sleep, concurrency=1):
        self.connection = connection
        self.session = requests.Session()
        # One kept-alive connection for each concurrent request of the bulk path.
        adapter = requests.adapters.HTTPAdapter(pool_maxsize=max(concurrency, 1))
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers["Accept"] = "application/json"
        self.session.headers["User-Agent"] = "stackrox.central-ansible"
        if connection.token:
            self.session.headers["Authorization"] = "Bearer %s" % connection.token
        elif connection.password is not None:
            self.session.auth = (connection.username, connection.password)
        else:
            raise CentralConfigError(
                "no credentials for Central: set central_api_token (ROX_API_TOKEN), "
                "central_api_token_file (ROX_API_TOKEN_FILE) or central_password (ROX_ADMIN_PASSWORD)")
        # Passed with each request: a session-wide setting would lose to REQUESTS_CA_BUNDLE.
        self.verify = True
        if not connection.validate_certs:
            self.verify = False
            try:
                requests.packages.urllib3.disable_warnings()
            except AttributeError:  # pragma: no cover
                pass
        elif connection.ca_path:
            self.verify = connection.ca_path
        self.sleep = sleep
        self.requests_sent = 0

    # -- transport -----------------------------------------------------------------

    def request(self, method, path, action, body=None, params=None, idempotent=True):
        """Send one API call and return its decoded JSON; ``action`` says what was being done."""
        attempt = 0
        while True:
            attempt += 1
            retry_after = None
            try:
                self.requests_sent += 1
                response = self.session.request(method, self.connection.url + path, json=body, params=params,
                                                verify=self.verify, timeout=self.connection.timeout)
            except requests.exceptions.SSLError as exc:
                raise CentralConnectionError(
                    "%s: TLS verification of %s failed (%s); point central_ca_path (ROX_CA_CERT_FILE) at the CA "
                    "that signed Central's certificate, or set validate_certs to false"
                    % (action, self.connection.url, _reason(exc)))
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                failure = _describe_connection_error(exc, self.connection)
                if not idempotent:
                    raise OutcomeUnknown("%s: %s" % (action, failure))
                if attempt > self.connection.retries:
                    raise CentralConnectionError("%s: %s (after %d attempts)" % (action, failure, attempt))
            else:
                if response.status_code < 400:
                    return _decode(response, action)
                if response.status_code not in RETRY_STATUSES:
                    raise _api_error(response, action)
                if not idempotent and response.status_code != 429:
                    # A proxy error after the request went out: Central may have applied it.
                    raise OutcomeUnknown(str(_api_error(response, action)))
                if attempt > self.connection.retries:
                    raise _api_error(response, action)
                retry_after = _retry_after(response)
            self.sleep(self._delay(attempt, retry_after))

    def _delay(self, attempt, retry_after):
        if retry_after is not None:
            return min(retry_after, 60.0)
        backoff = self.connection.retry_backoff * (2 ** (attempt - 1))
        return min(backoff, 30.0) * (0.5 + random.random() / 2)

    # -- API -----------------------------------------------------------------------

    def list_integrations(self, name=None):
        params = {"name": name} if name is not None else None
        what = "reading image integration '%s'" % name if name is not None else "listing image integrations"
        return self.request("GET", API, what, params=params).get("integrations") or []

    def get_integration(self, integration_id):
        return self.request("GET", "%s/%s" % (API, quote(integration_id, safe="")),
                            "reading image integration %s" % integration_id)

    def create_integration(self, payload):
        return self.request("POST", API, "creating image integration '%s'" % payload.get("name"), body=payload,
                            idempotent=False)

    def update_integration(self, integration_id, payload, update_password):
        return self.request("PATCH", "%s/%s" % (API, quote(integration_id, safe="")),
                            "updating image integration '%s'" % payload.get("name"),
                            body={"config": payload, "updatePassword": update_password})

    def delete_integration(self, integration_id, name):
        return self.request("DELETE", "%s/%s" % (API, quote(integration_id, safe="")),
                            "deleting image integration '%s'" % name)

    def test_integration(self, payload, update_password):
        return self.request("POST", API + "/test/updated", "testing image integration '%s'" % payload.get("name"),
                            body={"config": payload, "updatePassword": update_password})


def _reason(exc):
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)
    return str(reason)


def _describe_connection_error(exc, connection):
    if isinstance(exc, requests.exceptions.Timeout):
        return "Central at %s did not answer within %s seconds (request_timeout)" % (connection.url, connection.timeout)
    return "could not reach Central at %s: %s" % (connection.url, _reason(exc))


def _decode(response, action):
    if not response.content:
        return {}
    try:
        return response.json()
    except ValueError:
        raise CentralAPIError("%s: Central answered HTTP %d with a body that is not JSON"
                              % (action, response.status_code), response.status_code)


def _api_error(response, action):
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = ""
    if isinstance(body, dict):
        message = body.get("message") or body.get("error") or ""
    message = message or (response.reason or "").strip() or "no message"
    text = "%s: HTTP %d: %s" % (action, response.status_code, message)
    hint = PERMISSION_HINTS.get(response.status_code)
    if hint:
        text = "%s (%s)" % (text, hint)
    return CentralAPIError(text, response.status_code, message)


def _retry_after(response):
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
