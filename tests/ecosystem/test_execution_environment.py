"""ansible-builder puts what the collection needs at run time (requests) into an execution environment.

No container engine is needed: `ansible-builder create` writes the build context, and the
dependency step of that build (the context's own introspect script, run against the collection
as `ansible-galaxy collection install` lays it out) runs here on the built artifact.
"""

from __future__ import annotations

import subprocess
import sys

import yaml

from tool_paths import tool

EE_DEFINITION = {
    "version": 3,
    "images": {"base_image": {"name": "quay.io/ansible/awx-ee:latest"}},
    "dependencies": {
        "ansible_core": {"package_pip": "ansible-core"},
        "ansible_runner": {"package_pip": "ansible-runner"},
        "galaxy": {"collections": [{"name": "stackrox.central", "version": "1.0.0"}]},
    },
}


def test_collection_declares_its_python_requirements(installed_collection):
    meta = yaml.safe_load((installed_collection / "meta" / "execution-environment.yml").read_text())
    assert meta["version"] == 1
    python_file = installed_collection / meta["dependencies"]["python"]
    assert "requests" in python_file.read_text()
    assert "system" not in meta["dependencies"], "requests is pure Python; no bindep.txt is needed"


def test_introspection_finds_requests(collections_path):
    result = subprocess.run([tool("ansible-builder"), "introspect", "--sanitize", str(collections_path)],
                            check=True, capture_output=True, text=True)
    data = yaml.safe_load(result.stdout)
    assert any(line.startswith("requests") and "stackrox.central" in line for line in data["python"]), result.stdout
    assert data["system"] == []


def test_build_context_installs_requests(tmp_path, collections_path):
    definition = tmp_path / "execution-environment.yml"
    definition.write_text(yaml.safe_dump(EE_DEFINITION))
    context = tmp_path / "context"
    subprocess.run([tool("ansible-builder"), "create", "-f", str(definition), "-c", str(context),
                    "--output-filename", "Containerfile"],
                   check=True, capture_output=True, text=True)

    containerfile = (context / "Containerfile").read_text()
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert galaxy["collections"] == [{"name": "stackrox.central", "version": "1.0.0"}]
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect.py introspect" in containerfile and "--write-pip=/tmp/src/requirements.txt" in containerfile

    # The build's dependency step, on the collection as the galaxy stage installs it.
    pip_file, bindep_file = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    subprocess.run([sys.executable, str(context / "_build" / "scripts" / "introspect.py"), "introspect",
                    "--write-pip=%s" % pip_file, "--write-bindep=%s" % bindep_file, str(collections_path)],
                   check=True, capture_output=True, text=True)
    assert [line.split()[0] for line in pip_file.read_text().splitlines() if line.strip()] == ["requests>=2.25.0"]
    assert not bindep_file.exists() or not bindep_file.read_text().strip()
