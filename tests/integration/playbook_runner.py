"""Run real ansible-playbook / ansible against the Central emulator and read back what happened.

A playbook is built from Python data: ``Task`` objects for the collection's
modules. The results callback (``callback_plugins/integration_results.py``)
reads the emulator's request counters around every task, so each result says
exactly what that one task sent to ``/v1/``. Every run is at -vvv; its full
stdout and stderr and its results file are checked against the canary secrets
planted by the tests (which reach the playbook as variables), and the secrets
Central stores may only change to values the run was given.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets as _random
import subprocess
import time
from dataclasses import dataclass, field

import requests
import urllib3
import yaml

# The inspection routes are read without verifying the TLS emulator's self-signed certificate.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
COLLECTIONS = os.path.join(REPO, ".build", "collections")

MODULE = "stackrox.central.image_integration"
INFO_MODULE = "stackrox.central.image_integration_info"
MASK = "******"
SENT = "****** (updated)"

LIST = "GET /v1/imageintegrations"
CREATE = "POST /v1/imageintegrations"
UPDATE = "PATCH /v1/imageintegrations/{config.id}"
DELETE = "DELETE /v1/imageintegrations/{id}"
PUT = "PUT /v1/imageintegrations/{id}"
TEST = "POST /v1/imageintegrations/test/updated"
GET_ONE = "GET /v1/imageintegrations/{id}"
WRITE_ROUTES = (CREATE, UPDATE, DELETE, PUT)


class Canaries:
    """Secrets planted by the tests; none may ever appear in a run's output."""

    def __init__(self):
        self.values = set()

    def new(self, label, prefix="canary"):
        value = "%s-%s-%s" % (prefix, label, _random.token_hex(8))
        self.values.add(value)
        return value

    def add(self, value):
        self.values.add(value)
        return value

    def found_in(self, text):
        return sorted(v for v in self.values if v in text)


@dataclass
class Task:
    """One task of a collection module; ``args`` are the module options."""

    name: str
    args: dict
    module: str = MODULE
    check: bool = False
    environment: dict | None = None

    def render(self):
        task = {"name": self.name, self.module: copy.deepcopy(self.args), "ignore_errors": True}
        if self.check:
            task["check_mode"] = True
        if self.environment is not None:
            task["environment"] = dict(self.environment)
        return task


def check_then_real(name, args, **kwargs):
    """The same task in check mode (named ``<name> (check)``) and then for real."""
    return [Task(name + " (check)", args, check=True, **kwargs), Task(name, args, **kwargs)]


@dataclass
class Play:
    tasks: list
    module_defaults: dict | None = None
    environment: dict | None = None
    name: str = "integration test"


class EmulatorInspector:
    """The emulator's inspection routes (no auth, outside /v1/)."""

    def __init__(self, url, ca_path=None):
        self.url = url
        self.verify = ca_path or True

    def _call(self, method, route, body=None):
        response = requests.request(method, self.url + route, json=body, timeout=10, verify=self.verify)
        response.raise_for_status()
        return response.json()

    def reset(self):
        self._call("POST", "/_emulator/reset")

    def seed(self, *integrations):
        return self._call("POST", "/_emulator/seed", {"integrations": list(integrations)})["integrations"]

    def integrations(self):
        """Every stored integration, secrets in clear text. Never pass these into a playbook."""
        return self._call("GET", "/_emulator/integrations")["integrations"]

    def by_name(self, name):
        found = [i for i in self.integrations() if i["name"] == name]
        assert len(found) <= 1, "emulator holds %d integrations named %r" % (len(found), name)
        return found[0] if found else None

    def requests(self):
        return self._call("GET", "/_emulator/requests")


@dataclass
class RunResult:
    argv: list
    returncode: int
    stdout: str
    stderr: str
    duration: float
    tasks: list = field(default_factory=list)

    @property
    def output(self):
        return self.stdout + self.stderr

    def __getitem__(self, name):
        found = [t["result"] for t in self.tasks if t["name"] == name]
        assert found, "no result for task %r; tasks run: %s\n%s" % (
            name, [t["name"] for t in self.tasks], self.stderr[-3000:])
        assert len(found) == 1, "task name %r is not unique" % name
        return found[0]

    def requests(self, name):
        """What the task sent to /v1/, as {"METHOD route": count}, counted by the results callback."""
        return dict(self[name]["_requests"])

    def writes(self, name):
        return dict((k, v) for k, v in self.requests(name).items() if k in WRITE_ROUTES)


class Ansible:
    """One ansible-core installation (a virtual environment's bin directory)."""

    def __init__(self, bin_dir, canaries, workdir):
        self.bin_dir = bin_dir
        self.python = os.path.join(bin_dir, "python")
        self.canaries = canaries
        self.workdir = workdir
        self.version = subprocess.check_output(
            [self.python, "-c", "import ansible.release as r; print(r.__version__)"], text=True).strip()
        self.runs = 0
        self.durations = []

    def __repr__(self):
        return "Ansible(%s, ansible-core %s)" % (self.bin_dir, self.version)

    def environ(self, connection, extra=None):
        """A clean environment: no ANSIBLE_* or ROX_* from the caller, the connection as ROX_* variables."""
        env = dict((k, v) for k, v in os.environ.items()
                   if not k.startswith(("ANSIBLE_", "ROX_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV"))
        home = os.path.join(self.workdir, "ansible-home")
        env.update({
            "PATH": self.bin_dir + os.pathsep + env.get("PATH", ""),
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_HOME": home,
            "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
            "ANSIBLE_REMOTE_TEMP": os.path.join(home, "remote-tmp"),
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "integration_results",
            "ANSIBLE_STDOUT_CALLBACK": "default",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_PIPELINING": "true",  # one python process per module run, no temporary files
            "ANSIBLE_CONFIG": self._config_file(),
            "NO_PROXY": "*",
            "no_proxy": "*",
        })
        env.update(connection)
        env.update(extra or {})
        return env

    def _config_file(self):
        """An empty ansible.cfg, so no configuration of the machine or the user applies."""
        path = os.path.join(self.workdir, "ansible.cfg")
        if not os.path.exists(path):
            with open(path, "w") as handle:
                handle.write("[defaults]\n")
        return path

    def _check_output_for_secrets(self, run, text=None):
        leaked = self.canaries.found_in(run.output if text is None else text)
        assert not leaked, "secrets in the output of %s: %s" % (" ".join(run.argv), leaked)

    def playbook(self, connection, plays, diff=True, extra_env=None, emulator_url=None):
        """Run plays (a Play or a list of them); return RunResult with every task's result."""
        if isinstance(plays, Play):
            plays = [plays]
        base = self._new_run_dir()
        rendered = []
        for play in plays:
            tasks = [task.render() if isinstance(task, Task) else task for task in play.tasks]
            doc = {
                "name": play.name,
                "hosts": "localhost",
                "connection": "local",
                "gather_facts": False,
                "vars": {"ansible_python_interpreter": self.python},
                "tasks": tasks,
            }
            if play.module_defaults:
                doc["module_defaults"] = play.module_defaults
            if play.environment is not None:
                doc["environment"] = play.environment
            rendered.append(doc)
        # Secrets go in as variables, as users keep them in a vault: ansible-core 2.19 and later quote the
        # playbook lines around a failing task, which must show templates, not values.
        secret_vars = {}
        rendered = self._secrets_as_variables(rendered, secret_vars)
        path = os.path.join(base, "playbook.yml")
        with open(path, "w") as handle:
            yaml.safe_dump(rendered, handle, sort_keys=False)
        vars_path = os.path.join(base, "secrets.yml")
        with open(vars_path, "w") as handle:
            yaml.safe_dump(secret_vars, handle)
        argv = [os.path.join(self.bin_dir, "ansible-playbook"), "-i", "localhost,", path, "-e", "@" + vars_path]
        if diff:
            argv.append("--diff")
        with open(path) as handle:
            supplied = handle.read() + "\n".join(secret_vars.values())
        return self._run_playbook(argv, connection, base, supplied, extra_env, emulator_url)

    def _secrets_as_variables(self, data, secret_vars):
        """A copy of ``data`` with every planted secret replaced by a variable reference."""
        if isinstance(data, dict):
            return dict((key, self._secrets_as_variables(value, secret_vars)) for key, value in data.items())
        if isinstance(data, list):
            return [self._secrets_as_variables(value, secret_vars) for value in data]
        if isinstance(data, str) and data in self.canaries.values:
            name = "planted_secret_%d" % (sorted(self.canaries.values).index(data))
            secret_vars[name] = data
            return "{{ %s }}" % name
        return data

    def playbook_file(self, connection, path, extra_vars=None, check=False, diff=True):
        """Run an existing playbook (the collection's own) with the same checks as ``playbook``."""
        base = self._new_run_dir()
        argv = [os.path.join(self.bin_dir, "ansible-playbook"), "-i", "localhost,", path,
                "-e", "ansible_python_interpreter=%s" % self.python]
        supplied = yaml.safe_dump(extra_vars or {})
        if extra_vars:
            vars_file = os.path.join(base, "extra-vars.yml")
            with open(vars_file, "w") as handle:
                handle.write(supplied)
            argv += ["-e", "@" + vars_file]
        if check:
            argv.append("--check")
        if diff:
            argv.append("--diff")
        return self._run_playbook(argv, connection, base, supplied)

    def _new_run_dir(self):
        self.runs += 1
        base = os.path.join(self.workdir, "run-%03d" % self.runs)
        os.makedirs(base)
        return base

    def _run_playbook(self, argv, connection, base, supplied, extra_env=None, emulator_url=None):
        """Run ansible-playbook; read every task's result; check output and stored secrets.

        ``supplied`` is the text of what the run was given (playbook, vars): a stored
        credential may only change to a value found there.
        """
        results_file = os.path.join(base, "results.json")
        url = emulator_url or connection["ROX_ENDPOINT"]
        env = self.environ(connection, dict(extra_env or {}, INTEGRATION_RESULTS_FILE=results_file,
                                            INTEGRATION_EMULATOR_URL=url))
        stored_before = stored_secrets(url)
        run = self._run(argv, env, base)
        assert os.path.exists(results_file), "ansible-playbook wrote no results (rc %d)\n%s\n%s" % (
            run.returncode, run.stdout[-3000:], run.stderr[-3000:])
        with open(results_file) as handle:
            raw = handle.read()
        self._check_output_for_secrets(run, raw)
        run.tasks = json.loads(raw)["tasks"]
        check_secrets_kept(stored_before, stored_secrets(url), supplied)
        return run

    def adhoc(self, connection, module, args, extra_env=None):
        """``ansible localhost -m module -a args`` with the default ad-hoc output; returns (RunResult, result)."""
        base = self._new_run_dir()
        argv = [os.path.join(self.bin_dir, "ansible"), "localhost", "-i", "localhost,", "-c", "local",
                "-e", "ansible_python_interpreter=%s" % self.python, "-m", module, "-a", args]
        env = self.environ(connection, extra_env)
        del env["ANSIBLE_STDOUT_CALLBACK"]  # ad-hoc runs use their own (minimal) output
        run = self._run(argv, env, base)
        # At -vvv the result line follows Ansible's own chatter: find "localhost | STATUS => {...}".
        found = re.search(r"^(localhost \| [A-Z]+[^\n]*?) => ", run.stdout, re.M)
        assert found, "no result in the ad-hoc output:\n%s\n%s" % (run.stdout, run.stderr)
        result, _ = json.JSONDecoder().raw_decode(run.stdout[found.end():])
        return run, found.group(1).strip(), result

    def _run(self, argv, env, cwd):
        # Always at -vvv: the leak check reads everything Ansible prints at that verbosity.
        argv = argv[:1] + ["-vvv"] + argv[1:]
        started = time.monotonic()
        proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
        run = RunResult(argv, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)
        self.durations.append(run.duration)
        self._check_output_for_secrets(run)
        return run


def stored_secrets(emulator_url):
    """Every credential Central stores, as {(integration id, field path): value}, via the inspection route."""
    response = requests.get(emulator_url + "/_emulator/integrations", timeout=10, verify=False)
    response.raise_for_status()
    found = {}
    for integration in response.json()["integrations"]:
        for path, value in secret_fields(integration).items():
            found[(integration["id"], path)] = value
    return found


def check_secrets_kept(before, after, playbook_text):
    """No stored credential changes unless the playbook supplied the new value; none ever becomes the mask."""
    for key, value in after.items():
        if key in before and before[key] == value:
            continue
        assert value != MASK, "%s of integration %s was overwritten with the mask" % (key[1], key[0])
        assert value == "" or value in playbook_text, (
            "%s of integration %s changed to a value no task supplied" % (key[1], key[0]))


def expect_ok(result, changed):
    """A module result that did not fail and reports ``changed`` as expected."""
    assert result["_status"] == "ok", "task failed: %s" % result.get("msg")
    assert result["changed"] is changed, "expected changed=%s, got %s (diff %s)" % (
        changed, result["changed"], json.dumps(result.get("diff"), sort_keys=True))
    return result


def expect_failed(result, *fragments):
    """A module result that failed with a message holding every fragment (case-insensitive)."""
    assert result["_status"] == "failed", "task did not fail: %s" % json.dumps(result, sort_keys=True)[:2000]
    message = result.get("msg", "")
    for fragment in fragments:
        assert fragment.lower() in message.lower(), "%r not in the error message: %s" % (fragment, message)
    return message


def secret_fields(integration):
    """Every credential of a stored integration as {dotted path: value} (Central's scrub:"always" fields)."""
    paths = {
        "docker": ["password"], "azure": ["password"],
        "quay": ["oauthToken", "registryRobotCredentials.password"],
        "ecr": ["accessKeyId", "secretAccessKey", "authorizationData.password"],
        "google": ["serviceAccount"], "ibm": ["apiKey"],
    }
    found = {}
    for block, fields in paths.items():
        config = integration.get(block)
        if not config:
            continue
        for dotted in fields:
            value = config
            for key in dotted.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            if value is not None:
                found["%s.%s" % (block, dotted)] = value
    return found
