# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Callback for the integration tests: every task result of a playbook run as JSON.

ansible-core ships no JSON callback (``json`` lives in ansible.posix), so the
tests bring this one. It runs beside the default stdout callback, which stays in
charge of the output (diffs included) that the tests scan for secrets, and
writes the complete result of every task to the file named by
``INTEGRATION_RESULTS_FILE`` for the tests to read (and scan as well).

When ``INTEGRATION_EMULATOR_URL`` is set, it reads the emulator's request
counters (``/_emulator/requests``, which carry no bodies) when each task starts
and when its result arrives, and adds what the task sent to ``/v1/`` to the
result as ``_requests``: {"METHOD route": count}. The linear strategy runs one
task at a time, so the difference belongs to that task alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: integration_results
type: aggregate
short_description: every task result as JSON, for the integration tests
description:
  - Writes all task results as one JSON document at the end of the run.
author: StackRox contributors
"""

import json
import os
import ssl
import time

try:
    from urllib.request import urlopen
except ImportError:  # pragma: no cover
    urlopen = None

from ansible.plugins.callback import CallbackBase


def _result_dict(result):
    data = getattr(result, "result", None)  # ansible-core 2.19 and later
    if not isinstance(data, dict):
        data = result._result
    return dict(data)


def _task_of(result):
    task = getattr(result, "task", None)
    return task if task is not None else result._task


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NEEDS_ENABLED = True
    CALLBACK_NAME = "integration_results"

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = []
        self.started = time.monotonic()
        self.emulator_url = os.environ.get("INTEGRATION_EMULATOR_URL")
        self.counts_at_start = None

    def _counts(self):
        if not self.emulator_url:
            return None
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with urlopen(self.emulator_url + "/_emulator/requests", timeout=10, context=context) as response:
            return json.loads(response.read().decode("utf-8"))["counts"]

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = time.monotonic()
        self.counts_at_start = self._counts()

    def _record(self, result, status):
        task = _task_of(result)
        data = _result_dict(result)
        data["_status"] = status
        if self.counts_at_start is not None:
            now = self._counts()
            data["_requests"] = dict((key, count - self.counts_at_start.get(key, 0)) for key, count in now.items()
                                     if count != self.counts_at_start.get(key, 0))
        self.tasks.append({"name": task.get_name(), "result": data,
                           "seconds": round(time.monotonic() - self.started, 3)})

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        text = json.dumps({"tasks": self.tasks}, default=str, sort_keys=True)
        path = os.environ.get("INTEGRATION_RESULTS_FILE")
        if path:
            with open(path, "w") as handle:
                handle.write(text)
