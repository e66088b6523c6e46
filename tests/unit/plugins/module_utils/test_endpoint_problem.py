# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Endpoints Central refuses (pkg/endpoints/validate.go) are refused before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stackrox.central.plugins.module_utils._integration_plan import TaskError, endpoint_problem, read_task
from ansible_collections.stackrox.central.plugins.module_utils._integration_types import BLOCKS, leaves
from ansible_collections.stackrox.central.tests.unit.central_objects import task_params

REFUSED = [
    "localhost",
    "localhost:8000",
    "http://localhost:8000",
    "https://LOCALHOST:5000/v2",
    "127.0.0.1",
    "127.0.0.1:8000",
    "https://127.10.0.1:443",
    "[::1]:5000",
    "http://[::1]",
    "169.254.169.254",
    "169.254.169.254:8000",
    "https://169.254.169.254:8000",
    "metadata.google.internal",
    "metadata.google.internal:8000",
    "169.254.10.10:5000",
    "[fe80::1]:5000",
    # IPv4-mapped IPv6 forms of loopback and the metadata address: Go's net.IP.IsLoopback and
    # net.IP.Equal treat them as the IPv4 address, so Central refuses them.
    "[::ffff:127.0.0.1]:5000",
    "[::ffff:169.254.169.254]",
]

ACCEPTED = [
    "",
    "registry.example.com",
    "registry.example.com:5000",
    "https://1.1.1.1:8000",
    "1.1.1.1:8000",
    "10.0.0.5:5000",
    "docker.io/localhost",
    "[2001:db8::1]:5000",
    "https://quay.io",
    "localhost-registry.example.com",
]

ENDPOINT_OPTIONS = [(block, path[-1].option) for block in sorted(BLOCKS) for path, field in leaves(BLOCKS[block].fields)
                    if field.endpoint]


@pytest.mark.parametrize("endpoint", REFUSED)
def test_refused(endpoint):
    assert endpoint_problem(endpoint) is not None


@pytest.mark.parametrize("endpoint", ACCEPTED)
def test_accepted(endpoint):
    assert endpoint_problem(endpoint) is None


def test_every_endpoint_like_field_is_validated():
    # Central tags endpoint, grpcEndpoint of every block with nolocalendpoint; Scanner V4's are in-cluster.
    assert ENDPOINT_OPTIONS == [
        ("azure", "endpoint"), ("clair", "endpoint"), ("clair_v4", "endpoint"), ("clairify", "endpoint"),
        ("clairify", "grpc_endpoint"), ("docker", "endpoint"), ("ecr", "endpoint"), ("google", "endpoint"),
        ("ibm", "endpoint"), ("quay", "endpoint"),
    ]


@pytest.mark.parametrize("block,option", ENDPOINT_OPTIONS)
@pytest.mark.parametrize("endpoint", ["localhost:5000", "https://127.0.0.1", "169.254.169.254", "metadata.google.internal"])
def test_task_with_a_local_endpoint_is_refused_naming_the_option(block, option, endpoint):
    with pytest.raises(TaskError) as caught:
        read_task(task_params(name="Local", **{block: {option: endpoint}}))
    message = str(caught.value)
    assert message.startswith("image integration 'Local': %s.%s must not reference" % (block, option))
    assert endpoint in message
