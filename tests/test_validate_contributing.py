"""CONTRIBUTING.md's worked example validates, its sample finding is what the validator says,
and the workflow and pre-commit hook run the validator as documented."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from fixtures.packages import ROOT, copy_package

from libya_events.validate import validate

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def example_rows() -> dict[str, list[str]]:
    """The ```csv blocks of the guide: file -> raw lines (the first line names the file)."""
    out: dict[str, list[str]] = {}
    for block in re.findall(r"```csv\n(.*?)```", GUIDE, flags=re.S):
        first, *lines = block.strip("\n").split("\n")
        out.setdefault(first.removeprefix("# "), []).extend(lines)
    return out


def add_sorted(pkg: Path, rel: str, lines: list[str], key_width: int) -> None:
    """Insert CSV lines where their primary key sorts, as the guide asks."""
    path = pkg / rel
    records = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    header, body = records[0], records[1:]
    added = [next(csv.reader([line])) for line in lines]
    # The guide's example is a meeting the package holds already: its rows replace any shipped
    # row with the same key, as they stand for how that row was added.
    keys = {tuple(r[:key_width]) for r in added}
    body = [r for r in body if tuple(r[:key_width]) not in keys] + added
    body.sort(key=lambda r: r[:key_width])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path.write_text(out.getvalue(), "utf-8")


KEY_WIDTH = {
    "data/sources.csv": 1,
    "data/actors.csv": 1,
    "data/affiliations.csv": 1,
    "data/events.csv": 1,
    "data/event_actors.csv": 3,
    "data/statements.csv": 1,
}


def apply_example(pkg: Path) -> None:
    rows = example_rows()
    assert sorted(rows) == sorted(KEY_WIDTH)
    for rel, lines in rows.items():
        add_sorted(pkg, rel, lines, KEY_WIDTH[rel])


def test_the_worked_example_is_valid(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    apply_example(pkg)
    report = validate(pkg)
    assert report.flatten(["code", "table", "line", "field"]) == []
    replaced = sum(1 for rel, lines in example_rows().items() if rel == "data/actors.csv")
    assert report.stats["rows"] == validate(ROOT).stats["rows"] + 7 - replaced


def test_the_sample_finding_is_what_the_validator_says(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    apply_example(pkg)
    events = pkg / "data" / "events.csv"
    events.write_text(
        events.read_text("utf-8").replace(
            "sarraj-erdogan-meeting-2020-06-04,Al-Sarraj and Erdogan meet in Ankara,meeting,"
            "2020-06-04,2020-06-04,",
            "sarraj-erdogan-meeting-2020-06-04,Al-Sarraj and Erdogan meet in Ankara,meeting,"
            "2020-06-04,2020-06-03,",
        ),
        "utf-8",
    )
    report = validate(pkg)
    (finding,) = report.findings
    documented = re.search(r"  error: (data/events\.csv line \d+: .*?) \[date-order\]", GUIDE)
    assert documented is not None
    assert re.sub(r"line \d+", "line N", finding.message) == re.sub(
        r"line \d+", "line N", documented.group(1)
    )


def test_the_workflow_runs_the_validator_on_pull_requests() -> None:
    workflow = (ROOT / ".github" / "workflows" / "validate.yml").read_text("utf-8")
    assert "\n  pull_request:\n" in workflow
    assert "actions/checkout@" in workflow and "actions/setup-python@" in workflow
    assert "run: python -m pip install .\n" in workflow
    assert "run: libya-events validate --format github\n" in workflow


def test_the_pre_commit_hook_runs_the_validator() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "- id: libya-events-validate\n" in hooks
    assert "  entry: libya-events validate\n" in hooks
    assert "  language: python\n" in hooks
    assert "  pass_filenames: false\n" in hooks
    files = re.search(r"\n  files: (.+)\n", hooks)
    assert files is not None
    pattern = re.compile(files.group(1))
    assert all(pattern.search(p) for p in ("data/events.csv", "schemas/x.json", "datapackage.json"))
    assert not pattern.search("README.md")
