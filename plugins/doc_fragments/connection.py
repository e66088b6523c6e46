# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How every module of the collection reaches Central.
    DOCUMENTATION = r"""
options:
  central_url:
    description:
      - Address of Central's API, as V(host), V(host:port) or V(https://host[:port]). The port is 443 when absent.
      - V(http://host:port) talks plain HTTP, for a Central behind a TLS-terminating proxy or a test server.
      - When not set, the E(ROX_ENDPOINT) environment variable is used, as with C(roxctl).
    type: str
  central_api_token:
    description:
      - API token of Central, sent as a bearer token.
      - When not set, the E(ROX_API_TOKEN) environment variable is used.
      - Cannot be combined with O(central_password).
    type: str
  central_api_token_file:
    description:
      - File holding the API token; wins over O(central_api_token) when both are given.
      - When not set, the E(ROX_API_TOKEN_FILE) environment variable is used.
    type: path
  central_username:
    description:
      - User for HTTP basic authentication together with O(central_password).
    type: str
    default: admin
  central_password:
    description:
      - Password for HTTP basic authentication as O(central_username).
      - When not set, the E(ROX_ADMIN_PASSWORD) environment variable is used.
      - Cannot be combined with a token.
    type: str
  central_ca_path:
    description:
      - PEM file with the CA certificates that signed Central's certificate.
      - When not set, the E(ROX_CA_CERT_FILE) environment variable is used.
    type: path
  validate_certs:
    description:
      - Whether to verify Central's TLS certificate.
      - When not set, verification is on unless E(ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY) is V(true),
        read as C(roxctl) reads it (V(1), V(t), V(T), V(TRUE), V(true) and V(True) count as true).
    type: bool
  request_timeout:
    description:
      - Seconds to wait for each answer from Central.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is sent again after a connection failure or an HTTP 429, 502, 503 or 504
        answer, waiting longer each time (exponential backoff with jitter, or as long as C(Retry-After) says).
      - A create whose outcome is unknown is never sent again blindly; the integration is read back first.
    type: int
    default: 3
  retry_backoff:
    description:
      - Seconds to wait before the first retry; each further retry waits about twice as long.
    type: float
    default: 1
notes:
  - Every module of this collection belongs to the action group C(stackrox.central.central), so
    C(module_defaults) can set the connection options once for a play.
requirements:
  - requests
"""
