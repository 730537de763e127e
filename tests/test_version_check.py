"""The version-check workflow's steps, run as CI runs them on a pull request against its base."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import DESCRIPTOR, ROOT
from release_helpers import add_event, copy_package, set_version

from libya_events.release import Bump, Version

VERSION = DESCRIPTOR["version"]
NEXT = str(Version.parse(VERSION).bumped(Bump.MINOR))

WORKFLOW = ROOT / ".github" / "workflows" / "version-check.yml"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(shutil.which("libya-events") is None, reason="the CLI is not installed"),
]


def step(name: str) -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["version-check"]["steps"]
    (found,) = [s for s in steps if s.get("name") == name]
    return found


def run_step(name: str, cwd: Path, runner_temp: Path) -> subprocess.CompletedProcess[str]:
    """Run one `run:` step as GitHub's `shell: bash` does (bash -e -o pipefail)."""
    s = step(name)
    assert s["shell"] == "bash"
    env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "BASE_REF": "main"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A clone whose origin/main is the shipped package and whose HEAD adds an event."""
    base = copy_package(tmp_path / "base")
    git(base, "init", "-q", "-b", "main")
    git(base, "add", ".")
    git(base, "commit", "-q", "-m", "base")
    pr = tmp_path / "pr"
    subprocess.run(["git", "clone", "-q", str(base), str(pr)], check=True)
    add_event(pr, "zz-added-event-2020-07-01")
    return pr


def test_a_pull_request_without_a_bump_fails(pull_request: Path, tmp_path: Path) -> None:
    runner = tmp_path / "runner"
    runner.mkdir()
    assert run_step("Check out the base branch beside it", pull_request, runner).returncode == 0
    done = run_step("Diff against the base and check the version bump", pull_request, runner)
    assert done.returncode == 1
    assert done.stderr == (
        f"version check failed: the version stays {VERSION}, the changes require minor (events: "
        f"1 row(s) added); set the version in datapackage.json to {NEXT}\n"
    )
    assert "Added: `zz-added-event-2020-07-01`" in (runner / "diff.md").read_text(encoding="utf-8")


def test_a_pull_request_with_the_bump_passes(pull_request: Path, tmp_path: Path) -> None:
    set_version(pull_request, NEXT)
    runner = tmp_path / "runner"
    runner.mkdir()
    assert run_step("Check out the base branch beside it", pull_request, runner).returncode == 0
    done = run_step("Diff against the base and check the version bump", pull_request, runner)
    assert (done.returncode, done.stderr) == (
        0,
        f"version check passed: {VERSION} -> {NEXT} is a minor bump; the changes require minor\n",
    )
    assert done.stdout.startswith(f"## Changes from {VERSION} to {NEXT}\n")
