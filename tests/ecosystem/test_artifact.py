"""The built collection artifact holds what users need and nothing of the development tooling."""

from __future__ import annotations

import tarfile

import pytest

# Development-only content: never in the artifact (a path equal to an entry, or under it).
FORBIDDEN = (
    "emulator", "benchmarks", "scripts", ".ci", "Makefile", "requirements",
    "tests/integration", "tests/emulator", "tests/reliability", "tests/ecosystem", "tests/output",
    ".build", ".git", ".gitignore", ".tmp", ".venv", ".venv-latest", ".venv-gates", ".pytest_cache", ".hypothesis",
    ".ansible-lint", "changelogs/.plugin-cache.yaml",
)

# Under tests/, only what `ansible-test units` and `ansible-test sanity` of a user's copy need.
TESTS_ALLOWED = ("tests/unit/", "tests/sanity/", "tests/config.yml")

REQUIRED = (
    "MANIFEST.json", "FILES.json", "README.md", "LICENSE", "requirements.txt",
    "meta/runtime.yml", "meta/execution-environment.yml",
    "plugins/modules/image_integration.py", "plugins/modules/image_integration_info.py",
    "plugins/modules/image_integrations.py", "plugins/doc_fragments/connection.py",
    "roles/image_integrations/tasks/main.yml", "roles/image_integrations/meta/argument_specs.yml",
    "roles/image_integrations/README.md",
    "playbooks/apply.yml", "playbooks/export.yml", "playbooks/demo.yml",
    "changelogs/changelog.yaml", "extensions/awx/credential_type_central.yml",
)


@pytest.fixture(scope="module")
def members(artifact):
    with tarfile.open(artifact) as tar:
        return sorted(member.name.removeprefix("./").rstrip("/") for member in tar.getmembers())


def test_artifact_holds_no_development_content(members):
    shipped = [name for name in members
               if any(name == bad or name.startswith(bad + "/") for bad in FORBIDDEN)
               or (name.startswith("tests/") and not (name + "/").startswith(TESTS_ALLOWED))
               or "/__pycache__" in "/" + name or name.endswith((".pyc", ".tar.gz"))]
    assert shipped == [], "development files in the artifact (add them to build_ignore in galaxy.yml): %s" % shipped


def test_artifact_holds_what_users_need(members):
    missing = [name for name in REQUIRED if name not in members]
    assert missing == [], "missing from the artifact: %s" % missing
