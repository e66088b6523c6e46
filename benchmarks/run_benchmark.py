#!/usr/bin/env python3
"""Benchmark: a loop of image_integration tasks against the image_integrations role.

    make benchmark                                   # N = 10, 100, 500 (about 10 minutes on 2 cores)
    make benchmark BENCHMARK_ARGS="--sizes 10,100"   # shorter

Starts the Central emulator in this process (HTTPS with a generated CA, like
scripts/with_emulator.py), then for every N runs real ``ansible-playbook``
from the repository's .venv:

  (a) loop  - one stackrox.central.image_integration task with ``loop:`` over N items
  (b) role  - the stackrox.central.image_integrations role with the same N items

each as a *create* run (emulator reset to a fresh Central first) and a *no-op*
run (the same playbook again, right away). A single plain image_integration
task (N=1, created first, then rerun) is the baseline for the no-op target.

For every run it prints the wall time of ansible-playbook, the HTTP requests
the emulator received (from GET /_emulator/requests), the bytes the emulator
sent back, and peak RSS: of the largest module process (GNU time around each
module run) and of the whole ansible-playbook process tree (wait4 rusage).
The issue's targets are reported as PASS/MISS; they are never asserted.
This is not a test: nothing here is collected by pytest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from emulator.server import EmulatorServer  # noqa: E402 - after the path setup

TOKEN = "benchmark-admin-token"
PLAYBOOKS = os.path.join(HERE, "playbooks")
DEFAULT_SIZES = "10,100,500"


# ------------------------------------------------------------------ the items

def make_items(n: int) -> list[dict]:
    """N realistic integrations: docker, quay and ecr in turn, each with its secrets, update_password: on_create."""
    items = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            items.append({
                "name": "bench docker %04d" % i, "type": "docker",
                "docker": {"endpoint": "registry-%04d.example.com" % i, "username": "ci-robot-%04d" % i,
                           "password": "bench-docker-password-%04d" % i, "insecure": False},
                "update_password": "on_create"})
        elif kind == 1:
            if (i // 3) % 2 == 0:  # registry and scanner, with an OAuth token
                quay = {"endpoint": "quay-%04d.example.com" % i, "oauth_token": "bench-quay-token-%04d" % i}
                categories = ["REGISTRY", "SCANNER"]
            else:  # registry only, with robot credentials
                quay = {"endpoint": "quay-%04d.example.com" % i,
                        "registry_robot_credentials": {"username": "org+robot%04d" % i,
                                                       "password": "bench-robot-password-%04d" % i}}
                categories = ["REGISTRY"]
            items.append({"name": "bench quay %04d" % i, "type": "quay", "categories": categories,
                          "quay": quay, "update_password": "on_create"})
        else:
            items.append({
                "name": "bench ecr %04d" % i, "type": "ecr",
                "ecr": {"registry_id": "%012d" % (100000000000 + i), "region": "eu-west-1",
                        "access_key_id": "AKIABENCH%011d" % i,
                        "secret_access_key": "bench-ecr-secret-access-key-%04d" % i, "use_iam": False},
                "update_password": "on_create"})
    return items


# ------------------------------------------------------------------ the emulator

class Emulator:
    """The in-process emulator and its inspection routes."""

    def __init__(self, state_dir: str, tls: bool):
        self.server = EmulatorServer(tls=tls, cert_dir=os.path.join(state_dir, "certs") if tls else None,
                                     tokens=[TOKEN], log_file=os.path.join(state_dir, "emulator.log"))
        self.server.start()
        self.url = self.server.url
        self.ssl_context = ssl.create_default_context(cafile=self.server.ca_path) if tls else None

    def _call(self, method: str, path: str):
        request = urllib.request.Request(self.url + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(request, context=self.ssl_context, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset")

    def log_length(self) -> int:
        return len(self._call("GET", "/_emulator/requests")["log"])

    def requests_since(self, start: int) -> dict:
        """/v1/ requests received since the log had ``start`` entries (reset clears it)."""
        snapshot = self._call("GET", "/_emulator/requests")
        log = snapshot["log"][start:]
        by_method = {"GET": 0, "POST": 0, "other": 0}
        routes: dict[str, int] = {}
        for entry in log:
            key = entry["method"] if entry["method"] in ("GET", "POST") else "other"
            by_method[key] += 1
            route = "%s %s" % (entry["method"], entry["route"])
            routes[route] = routes.get(route, 0) + 1
        return {"GET": by_method["GET"], "POST": by_method["POST"], "other": by_method["other"],
                "total": len(log), "bytes_out": sum(e.get("bytesOut", 0) for e in log),
                "errors": sum(1 for e in log if e.get("status", 0) >= 400 or e.get("status", 0) == 0),
                "routes": routes}

    def stop(self) -> None:
        self.server.stop()


# ------------------------------------------------------------------ one ansible-playbook run

class Runner:
    def __init__(self, args, emulator: Emulator, work_dir: str):
        self.args = args
        self.emulator = emulator
        self.work_dir = work_dir
        self.ansible_playbook = os.path.join(args.venv, "bin", "ansible-playbook")
        self.have_time = os.access("/usr/bin/time", os.X_OK)
        home = os.path.join(work_dir, "ansible-home")
        os.makedirs(home, exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ANSIBLE_", "ROX_")) and k not in ("PYTHONPATH",)}
        env.update({
            "ROX_ENDPOINT": emulator.url,
            "ROX_API_TOKEN": TOKEN,
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(ROOT, ".build", "collections"),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_HOME": home,
            "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
            "ANSIBLE_CONFIG": os.path.join(work_dir, "ansible.cfg"),  # empty: no user config leaks in
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_STDOUT_CALLBACK": "bench_summary",
            "ANSIBLE_CALLBACKS_ENABLED": "",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_DEPRECATION_WARNINGS": "false",
            "ANSIBLE_PYTHON_INTERPRETER": os.path.join(HERE, "module-python"),
            "BENCH_PYTHON": os.path.join(args.venv, "bin", "python"),
        })
        if emulator.server.ca_path:
            env["ROX_CA_CERT_FILE"] = emulator.server.ca_path
        if args.pipelining:
            env["ANSIBLE_PIPELINING"] = "true"
        with open(env["ANSIBLE_CONFIG"], "w") as handle:
            handle.write("# the benchmark sets everything through ANSIBLE_* variables\n[defaults]\n")
        self.env = env

    def run(self, approach: str, n: int, kind: str, playbook: str, items_file: str) -> dict:
        label = "%s-%d-%s" % (approach, n, kind)
        rss_file = os.path.join(self.work_dir, label + ".rss")
        summary_file = os.path.join(self.work_dir, label + ".summary.json")
        log_file = os.path.join(self.work_dir, label + ".log")
        for path in (rss_file, summary_file):
            if os.path.exists(path):
                os.unlink(path)
        env = dict(self.env, BENCH_SUMMARY_FILE=summary_file, BENCH_RSS_FILE=rss_file)
        command = [self.ansible_playbook, "-i", "localhost,", os.path.join(PLAYBOOKS, playbook), "-e", "@" + items_file]
        if self.args.concurrency and approach == "role":
            command += ["-e", "central_image_integrations_concurrency=%d" % self.args.concurrency]
        start_log = self.emulator.log_length()
        with open(log_file, "w") as out:
            started = time.monotonic()
            process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
            try:
                # wait4: this child's rusage, which on Linux includes its reaped descendants (workers, modules).
                _pid, status, usage = os.wait4(process.pid, 0)
            except BaseException:  # interrupted: leave no ansible-playbook behind
                process.kill()
                process.wait()
                raise
            wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        http = self.emulator.requests_since(start_log)
        module_rss, module_wall = [], 0.0
        if os.path.exists(rss_file):
            with open(rss_file) as handle:
                for line in handle:
                    if line.startswith("rss_kib="):
                        fields = dict(part.split("=", 1) for part in line.split())
                        module_rss.append(int(fields["rss_kib"]))
                        module_wall += float(fields.get("elapsed_s", 0))
        summary = {}
        if os.path.exists(summary_file):
            with open(summary_file) as handle:
                summary = json.load(handle)
        row = {"approach": approach, "n": n, "kind": kind, "wall_s": wall, "rc": process.returncode,
               "http": http, "module_runs": len(module_rss),
               "module_peak_rss_kib": max(module_rss) if module_rss else None,
               "module_wall_s": module_wall if module_rss else None,
               "tree_peak_rss_kib": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime,
               "ansible": summary, "log": os.path.relpath(log_file, ROOT)}
        row["check"] = check_run(row)
        sys.stderr.write("  %-6s N=%-4d %-6s %7.2f s  %4d requests  %s\n"
                         % (approach, n, kind, wall, http["total"], row["check"]))
        return row


def check_run(row: dict) -> str:
    """Did the run do what it should (every item created, or nothing changed)? Not a target check."""
    s, n = row["ansible"], row["n"]
    if row["rc"] != 0 or not s:
        return "FAILED (rc %s, see %s)" % (row["rc"], row["log"])
    if s.get("tasks_failed") or s.get("items_failed") or s.get("unreachable"):
        return "FAILED: %s" % "; ".join(s.get("errors") or ["see " + row["log"]])
    if row["approach"] == "role":
        bulk = s.get("bulk_summary") or {}
        changed = bulk.get("create", 0) + bulk.get("update", 0) + bulk.get("delete", 0)
    elif row["approach"] == "loop":
        changed = s.get("items_changed", 0)
    else:
        changed = s.get("tasks_changed", 0)
    expected = n if row["kind"] == "create" else 0
    return "ok" if changed == expected else "UNEXPECTED: %d changed, expected %d" % (changed, expected)


# ------------------------------------------------------------------ report

def mib(kib):
    return "n/a" if kib is None else "%.0f" % (kib / 1024.0)


def table(rows: list[dict]) -> str:
    lines = [
        "| approach | N | run | wall s | HTTP GET | HTTP POST | HTTP other | HTTP total | KiB received "
        "| module runs | module s | module peak RSS MiB | tree peak RSS MiB | CPU s | check |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        h = r["http"]
        lines.append("| %s | %d | %s | %s | %d | %d | %d | %d | %.1f | %d | %s | %s | %s | %.1f | %s |" % (
            r["label"], r["n"], r["kind"], r["wall_text"], h["GET"], h["POST"], h["other"], h["total"],
            h["bytes_out"] / 1024.0, r["module_runs"],
            "n/a" if r["module_wall_s"] is None else "%.2f" % r["module_wall_s"],
            mib(r["module_peak_rss_kib"]), mib(r["tree_peak_rss_kib"]),
            r["cpu_s"], r["check"]))
    return "\n".join(lines)


def targets(rows: list[dict], baseline_noop: float) -> list[str]:
    find = dict(((r["approach"], r["n"], r["kind"]), r) for r in rows)
    sizes = sorted(set(r["n"] for r in rows if r["approach"] == "role"))
    if not sizes:
        return []
    n = 500 if 500 in sizes else sizes[-1]
    note = "" if n == 500 else " (measured at N=%d: the targets are defined for N=500)" % n
    lines = []
    noop = find.get(("role", n, "no-op"))
    if noop:
        h = noop["http"]
        ok_req = h["total"] == 1 and h["GET"] == 1
        lines.append("- %s: role no-op reconcile of %d sends 1 HTTP request: %d (%d GET, %d POST, %d other)%s"
                     % ("PASS" if ok_req else "MISS", n, h["total"], h["GET"], h["POST"], h["other"], note))
        limit = 3 * baseline_noop
        lines.append("- %s: role no-op reconcile of %d takes < 3x a single no-op task: %.2f s vs 3 x %.2f s = %.2f s "
                     "(%.2fx)%s" % ("PASS" if noop["wall_s"] < limit else "MISS", n, noop["wall_s"], baseline_noop,
                                    limit, noop["wall_s"] / baseline_noop, note))
    create = find.get(("role", n, "create"))
    if create:
        h = create["http"]
        ok_req = h["POST"] == n and h["GET"] == 1 and h["other"] == 0
        lines.append("- %s: role create of %d sends exactly %d POSTs + 1 GET: %d POST, %d GET, %d other%s"
                     % ("PASS" if ok_req else "MISS", n, n, h["POST"], h["GET"], h["other"], note))
        loop = find.get(("loop", n, "create"))
        if loop:
            ratio = create["wall_s"] / loop["wall_s"]
            lines.append("- %s: role create of %d takes < 1/10 of the task loop: %.2f s vs %.2f s (%.3f, i.e. 1/%.1f)%s"
                         % ("PASS" if ratio < 0.1 else "MISS", n, create["wall_s"], loop["wall_s"], ratio,
                            1 / ratio, note))
    return lines


# ------------------------------------------------------------------ main

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help="comma-separated N to measure (default: %(default)s)")
    parser.add_argument("--baseline-runs", type=int, default=5,
                        help="no-op runs of the single task; the median is the baseline (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="central_image_integrations_concurrency for the role (default: the role's, 4)")
    parser.add_argument("--http", action="store_true", help="serve plain HTTP instead of HTTPS")
    parser.add_argument("--pipelining", action="store_true", help="set ANSIBLE_PIPELINING=true (default: off)")
    parser.add_argument("--venv", default=os.path.join(ROOT, ".venv"), help="virtualenv with ansible-core")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, ".build", "benchmark"),
                        help="logs and results go here (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted(set(int(s) for s in args.sizes.split(",") if s.strip()))
    except ValueError:
        parser.error("--sizes takes comma-separated integers, e.g. 10,100")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs positive integers")
    if args.baseline_runs < 1:
        parser.error("--baseline-runs must be at least 1")
    if not os.access(os.path.join(args.venv, "bin", "ansible-playbook"), os.X_OK):
        parser.error("no ansible-playbook in %s: run `make venvs collection` (or `make benchmark`)" % args.venv)
    if not os.path.isdir(os.path.join(ROOT, ".build", "collections", "ansible_collections", "stackrox", "central")):
        parser.error("the collection is not staged: run `make collection` (or `make benchmark`)")
    return args


def _terminate(signum, _frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    work_dir = args.work_dir
    if os.path.isdir(work_dir):
        shutil.rmtree(work_dir)
    os.makedirs(work_dir)
    emulator = Emulator(work_dir, tls=not args.http)
    runner = Runner(args, emulator, work_dir)
    sys.stderr.write("Central emulator on %s; logs in %s\n" % (emulator.url, os.path.relpath(work_dir, ROOT)))
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    rows = []
    try:
        def items_file(n):
            path = os.path.join(work_dir, "items-%d.json" % n)
            with open(path, "w") as handle:
                json.dump({"bench_items": make_items(n)}, handle)
            return path

        # Baseline: one plain task, created on a fresh Central, then rerun (median of --baseline-runs).
        one = items_file(1)
        emulator.reset()
        row = runner.run("single", 1, "create", "single.yml", one)
        row["label"], row["wall_text"] = "single task", "%.2f" % row["wall_s"]
        rows.append(row)
        noops = [runner.run("single", 1, "no-op", "single.yml", one) for _ in range(args.baseline_runs)]
        walls = sorted(r["wall_s"] for r in noops)
        baseline = statistics.median(walls)
        row = min(noops, key=lambda r: abs(r["wall_s"] - baseline))
        row["wall_s"] = baseline
        row["label"] = "single task"
        row["wall_text"] = ("%.2f (median of %s)" % (baseline, ", ".join("%.2f" % w for w in walls))
                            if len(walls) > 1 else "%.2f" % baseline)
        rows.append(row)

        for n in args.sizes:
            path = items_file(n)
            for approach, playbook, label in (("loop", "loop.yml", "(a) task loop"),
                                              ("role", "role.yml", "(b) role")):
                emulator.reset()  # a fresh Central: only its default integrations
                for kind in ("create", "no-op"):
                    row = runner.run(approach, n, kind, playbook, path)
                    row["label"], row["wall_text"] = label, "%.2f" % row["wall_s"]
                    rows.append(row)
    finally:
        emulator.stop()
    total = time.monotonic() - started

    header = ("Benchmark run %s on %s, %d CPUs, Python %s, ansible-core from %s; emulator over %s; "
              "ANSIBLE_PIPELINING=%s; role concurrency %s; total %.0f s; "
              "1-minute load average %.1f before, %.1f after"
              % (datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), platform.platform(), os.cpu_count(),
                 platform.python_version(), os.path.relpath(args.venv, ROOT), "HTTP" if args.http else "HTTPS",
                 "true" if args.pipelining else "false (default)", args.concurrency or "4 (default)", total,
                 load_before, os.getloadavg()[0]))
    target_lines = targets(rows, baseline)
    report = "\n".join([header, "", table(rows), "", "Targets (reported, not asserted):"] + target_lines) + "\n"
    print(report)
    with open(os.path.join(work_dir, "results.md"), "w") as handle:
        handle.write(report)
    with open(os.path.join(work_dir, "results.json"), "w") as handle:
        json.dump({"rows": rows, "baseline_noop_s": baseline, "targets": target_lines}, handle, indent=1)
    broken = [r for r in rows if r["check"] != "ok"]
    if broken:
        sys.stderr.write("%d run(s) did not do what they should; the numbers above are not valid for them\n"
                         % len(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
