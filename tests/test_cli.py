"""`libya-events validate`: a thin shell over `validate()`, its formats and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.packages import copy_package, set_cell

from libya_events.cli import main
from libya_events.validate import validate


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def broken(pkg: Path) -> int:
    """A fixture with one error (an end before its start); the line it is on."""
    key = ("event_id", "joint-military-commission-geneva-2020-02")
    return set_cell(pkg, "events", key, "start_date", "2020-02-09")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def test_the_quick_start_command_says_the_package_is_valid(root: Path) -> None:
    """README: `python -m pip install . && libya-events validate`, run in the repository."""
    done = subprocess.run(
        [sys.executable, "-m", "libya_events.cli", "validate"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == f"libya-events validate: {root}"
    assert done.stdout.splitlines()[-1].startswith("VALID: 0 errors, 0 warnings in ")
    assert done.stderr == ""


def test_exit_status_0_1_2(pkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", str(pkg)], capsys)[0] == 0
    broken(pkg)
    assert run(["validate", str(pkg)], capsys)[0] == 1
    assert run(["validate", str(tmp_path / "nowhere")], capsys)[0] == 2
    (pkg / "datapackage.json").write_text("{", "utf-8")
    assert run(["validate", str(pkg)], capsys)[0] == 2


def test_text_output_groups_by_table_and_ends_with_the_verdict(
    pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = broken(pkg)
    code, out = run(["validate", str(pkg)], capsys)
    lines = out.splitlines()
    assert code == 1
    assert lines[:4] == [
        f"libya-events validate: {pkg}",
        "",
        "events (data/events.csv)",
        f"  error: data/events.csv line {line}: end_date 2020-02-08 is before start_date "
        "2020-02-09 [date-order]",
    ]
    assert lines[-1].startswith("INVALID: 1 error, 0 warnings in ")


def test_json_output_is_the_library_report(pkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken(pkg)
    (pkg / "data" / "sources.csv").write_bytes(
        b"\xef\xbb\xbf" + (pkg / "data" / "sources.csv").read_bytes()
    )
    code, out = run(["validate", str(pkg), "--format", "json"], capsys)
    printed = json.loads(out)
    expected = validate(pkg).to_dict()
    for document in (printed, expected):
        del document["stats"]["seconds"]
    assert printed == expected
    assert code == 1
    assert [f["code"] for f in printed["findings"]] == ["bom", "date-order"]


def test_github_output_annotates_the_line(
    pkg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = broken(pkg)
    monkeypatch.chdir(pkg)
    code, out = run(["validate", "--format", "github"], capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file=data/events.csv,line={line},title=date-order::data/events.csv line "
        f"{line}: end_date 2020-02-08 is before start_date 2020-02-09"
    )


def test_github_paths_are_relative_to_the_repository(
    pkg: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken(pkg)
    monkeypatch.chdir(pkg.parent)
    code, out = run(["validate", "pkg", "--format", "github"], capsys)
    assert out.startswith("::error file=pkg/data/events.csv,line=")


def test_quiet_prints_nothing(pkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken(pkg)
    assert run(["validate", str(pkg), "--quiet"], capsys) == (1, "")


def test_unreadable_input_is_reported_not_raised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(["validate", str(tmp_path)], capsys)
    assert code == 2
    assert f"error: {tmp_path}: no datapackage.json in {tmp_path} [descriptor-missing]" in out
    assert out.splitlines()[-1].startswith("UNREADABLE: 1 error, 0 warnings")
