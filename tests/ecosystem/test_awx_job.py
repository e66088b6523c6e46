"""The AWX job path, without AWX: the credential type's injectors alone connect a job to Central.

The injector templates of extensions/awx/credential_type_central.yml are rendered from sample
inputs the way AWX renders them (inputs left empty are undefined, booleans default to false, the
`file` injector is written to a private file whose path is `tower.filename`, extra variables go to
a file passed with `-e @file`). playbooks/demo.yml from the built collection then runs through
ansible-runner, the engine of AWX jobs, against a TLS Central emulator, in an environment that
holds nothing of Central but what the injectors produced.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import EMULATOR_PASSWORD, EMULATOR_TOKEN, REPO_ROOT

CREDENTIAL_TYPE = REPO_ROOT / "extensions" / "awx" / "credential_type_central.yml"
ROX_VARIABLES = {"ROX_ENDPOINT", "ROX_API_TOKEN", "ROX_ADMIN_PASSWORD", "ROX_CA_CERT_FILE",
                 "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY"}

# What playbooks/demo.yml does on a Central without its integrations: task name -> changed.
DEMO_TASKS = {
    "Create a generic Docker registry integration": True,
    "Create a Quay registry and scanner integration": True,
    "Create an ECR integration that uses the nodes' IAM role": True,
    "Run the same Docker task again (nothing changes)": False,
    "Show that the rerun changed nothing": False,
    "Mark the registry insecure (the diff shows the change)": True,
    "Read the demo integrations back": False,
    "Show what Central holds (credentials are masked)": False,
    "Delete the demo integrations": True,
}


@pytest.fixture(scope="module")
def credential_type():
    return yaml.safe_load(CREDENTIAL_TYPE.read_text())


class _Tower:
    filename = None


def render_injectors(credential_type, inputs, private_data_dir):
    """Return (env, extra_vars_file) as AWX would inject them for a credential with these inputs."""
    namespace = {"tower": _Tower()}
    for field in credential_type["inputs"]["fields"]:
        value = inputs.get(field["id"])
        if field["type"] == "boolean":
            namespace[field["id"]] = bool(value)
        elif value:
            namespace[field["id"]] = value
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    injectors = credential_type["injectors"]
    for label, template in injectors.get("file", {}).items():
        assert label == "template", "one file, referenced as tower.filename"
        handle, path = tempfile.mkstemp(dir=env_dir)
        os.close(handle)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        with open(path, "w", encoding="utf-8") as out:
            out.write(sandbox.from_string(template).render(**namespace))
        namespace["tower"].filename = path
    env = {name: sandbox.from_string(template).render(**namespace) for name, template in injectors["env"].items()}
    extra_vars = {name: sandbox.from_string(template).render(**namespace)
                  for name, template in injectors.get("extra_vars", {}).items()}
    handle, extra_vars_file = tempfile.mkstemp(dir=env_dir)
    with os.fdopen(handle, "w") as out:
        yaml.safe_dump(extra_vars, out)
    os.chmod(extra_vars_file, stat.S_IRUSR)
    return env, extra_vars_file


def test_credential_type_is_what_awx_takes(credential_type):
    assert set(credential_type) == {"name", "description", "kind", "inputs", "injectors"}
    assert credential_type["kind"] == "cloud"
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert set(fields) == {"central_url", "api_token", "username", "password", "ca_cert", "skip_tls_verify"}
    assert all({"id", "type", "label"} <= set(field) for field in fields.values())
    assert {name for name, field in fields.items() if field.get("secret")} == {"api_token", "password"}
    assert fields["ca_cert"]["multiline"] is True
    assert fields["skip_tls_verify"]["type"] == "boolean"
    assert credential_type["inputs"]["required"] == ["central_url"]
    assert set(credential_type["injectors"]["env"]) == ROX_VARIABLES
    assert set(credential_type["injectors"]) <= {"env", "file", "extra_vars"}


def test_unset_inputs_leave_verification_on_and_no_ca_file(credential_type, tmp_path):
    env, _ = render_injectors(credential_type, {"central_url": "central.example.com"}, str(tmp_path))
    assert env == {"ROX_ENDPOINT": "central.example.com", "ROX_API_TOKEN": "", "ROX_ADMIN_PASSWORD": "",
                   "ROX_CA_CERT_FILE": "", "ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY": "false"}


def job_environment(monkeypatch):
    """Leave the job only what any process needs; nothing of Central or of TLS trust stores."""
    keep = {"HOME", "LANG", "LC_ALL", "TMPDIR", "USER"}
    for name in list(os.environ):
        if name not in keep:
            monkeypatch.delenv(name)
    # The job's ansible-playbook is the one installed with ansible-runner.
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(os.path.realpath(sys.executable)),
                                                os.path.dirname(sys.executable), os.defpath]))


# ansible-runner starts ansible-playbook through pexpect (forkpty) while the emulator serves from threads;
# the child execs at once, so the fork cannot inherit a held lock.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded, use of forkpty:DeprecationWarning")
@pytest.mark.parametrize("auth", ["api_token", "password"])
def test_demo_job_with_only_the_injected_environment(auth, credential_type, emulator, collections_path,
                                                     installed_collection, tmp_path, monkeypatch):
    private_data_dir = tmp_path / "job"
    project = private_data_dir / "project"
    project.mkdir(parents=True)
    (project / "demo.yml").write_text((installed_collection / "playbooks" / "demo.yml").read_text())

    inputs = {"central_url": emulator.url, "ca_cert": Path(emulator.ca_path).read_text()}
    inputs.update({"api_token": EMULATOR_TOKEN} if auth == "api_token" else
                  {"username": "admin", "password": EMULATOR_PASSWORD})
    env, extra_vars_file = render_injectors(credential_type, inputs, str(private_data_dir))
    assert os.stat(env["ROX_CA_CERT_FILE"]).st_mode & 0o777 == 0o600
    assert env["ROX_INSECURE_CLIENT_SKIP_TLS_VERIFY"] == "false"

    job_environment(monkeypatch)
    # The project's collections, as AWX installs them from collections/requirements.yml.
    envvars = dict(env, ANSIBLE_COLLECTIONS_PATH=str(collections_path))
    runner = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="demo.yml", envvars=envvars,
                                extravars={"demo_prefix": "awx-%s" % auth}, cmdline="-e @%s" % extra_vars_file,
                                quiet=True, timeout=300)
    stdout = runner.stdout.read()
    assert runner.status == "successful" and runner.rc == 0, stdout[-3000:]

    events = list(runner.events)
    stats = [e for e in events if e["event"] == "playbook_on_stats"][-1]["event_data"]
    assert stats["ok"] == {"localhost": len(DEMO_TASKS)}
    assert stats["changed"] == {"localhost": sum(DEMO_TASKS.values())}
    assert not stats["failures"] and not stats["dark"]

    ok = {e["event_data"]["task"]: e["event_data"]["res"].get("changed", False)
          for e in events if e["event"] == "runner_on_ok"}
    assert ok == DEMO_TASKS

    # The job reached Central only with the injected credentials, and showed none of them.
    served = emulator.requests.snapshot()["log"]
    assert served and all(entry["status"] < 400 for entry in served), served
    secret = EMULATOR_TOKEN if auth == "api_token" else EMULATOR_PASSWORD
    assert secret not in stdout
    assert all(secret not in str(e) for e in events)
