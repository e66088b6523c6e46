# -*- coding: utf-8 -*-
# Copyright: StackRox contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Quiet stdout callback for the benchmark.

Prints nothing per task (the default callback would print one line per loop
item, which at N=500 costs time and screens); at the end it writes a small JSON
summary to the file named by ``BENCH_SUMMARY_FILE``: counts of ok/changed/failed
task results and loop items, the bulk module's ``summary`` and the first
failure messages, so the benchmark can tell that a run did what it should.
No module arguments or results other than these are kept.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_summary
type: stdout
short_description: a quiet summary of a playbook run, for the benchmark
description:
  - Prints nothing per task; writes counts and failure messages as JSON to E(BENCH_SUMMARY_FILE).
author: StackRox contributors
"""

import json
import os

from ansible.plugins.callback import CallbackBase


def _data(result):
    data = getattr(result, "result", None)  # ansible-core 2.19 and later
    if not isinstance(data, dict):
        data = result._result
    return data


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "bench_summary"

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.summary = {"tasks_ok": 0, "tasks_changed": 0, "tasks_failed": 0, "unreachable": 0,
                        "items_ok": 0, "items_changed": 0, "items_failed": 0,
                        "bulk_summary": None, "errors": []}

    def _error(self, result):
        data = _data(result)
        if len(self.summary["errors"]) < 5:
            self.summary["errors"].append(str(data.get("msg", "failed"))[:500])

    def _task(self, result, failed=False):
        data = _data(result)
        if isinstance(data.get("summary"), dict) and "create" in data["summary"]:
            self.summary["bulk_summary"] = dict(data["summary"])
        if failed:
            self.summary["tasks_failed"] += 1
            self._error(result)
        else:
            self.summary["tasks_ok"] += 1
            if data.get("changed"):
                self.summary["tasks_changed"] += 1

    def v2_runner_on_ok(self, result):
        self._task(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._task(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self.summary["unreachable"] += 1
        self._error(result)

    def v2_runner_item_on_ok(self, result):
        self.summary["items_ok"] += 1
        if _data(result).get("changed"):
            self.summary["items_changed"] += 1

    def v2_runner_item_on_failed(self, result):
        self.summary["items_failed"] += 1
        self._error(result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_SUMMARY_FILE")
        text = json.dumps(self.summary, sort_keys=True)
        if path:
            with open(path, "w") as handle:
                handle.write(text + "\n")
        else:
            self._display.display(text)
