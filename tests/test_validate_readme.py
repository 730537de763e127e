"""README, "Validating": the examples there are what the validator prints for that fault."""

from __future__ import annotations

import csv
import json
import re

import pytest
from fixtures.packages import ROOT, copy_package, csv_path, set_cell

from libya_events.report import render
from libya_events.validate import validate

SECTION = (ROOT / "README.md").read_text("utf-8").split("\n## Validating\n", 1)[1].split("\n## ")[0]


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", SECTION, re.DOTALL)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The README's fault: events.csv line 14 ends (2020-06-01) before it starts (2020-06-06)."""
    pkg = copy_package(tmp_path_factory.mktemp("readme") / "pkg")
    lines = csv_path(pkg, "events").read_text("utf-8").split("\n")
    assert all(line.count('"') % 2 == 0 for line in lines[:14]), "rows are lines up to 14"
    key = ("event_id", next(csv.reader([lines[13]]))[0])
    set_cell(pkg, "events", key, "start_date", "2020-06-06")
    assert set_cell(pkg, "events", key, "end_date", "2020-06-01") == 14
    return validate(pkg)


def test_the_python_example(report) -> None:  # type: ignore[no-untyped-def]
    (example,) = [b for b in blocks("python") if ">>> report = " in b]
    assert "(False, 1, 1)" in example
    assert (report.valid, report.stats["errors"], report.exit_code) == (False, 1, 1)
    assert report.flatten(["code", "table", "line", "field"]) == [
        ["date-order", "events", 14, "end_date"]
    ]
    assert "[['date-order', 'events', 14, 'end_date']]" in example


def test_the_text_example(report) -> None:  # type: ignore[no-untyped-def]
    (example,) = [b for b in blocks("text") if b.startswith("events (")]
    printed = render(report, "text").split("\n", 2)[2]
    assert printed.split("\n\n")[0] == example.split("\n\n")[0]
    assert example.split("\n\n")[1].startswith("INVALID: 1 error, 0 warnings in 10 tables,")


def test_the_github_example(report) -> None:  # type: ignore[no-untyped-def]
    (example,) = [b for b in blocks("text") if b.startswith("::error")]
    line = render(report, "github").split("\n")[0]
    assert line.replace(f"file={report.package}/", "file=") == example.strip() or (
        line == example.strip()
    )


def test_the_json_example(report) -> None:  # type: ignore[no-untyped-def]
    (example,) = blocks("json")
    shown, actual = json.loads(example), report.to_dict()
    assert shown["findings"] == actual["findings"]
    assert list(shown) == list(actual)
    assert list(shown["stats"]) == list(actual["stats"])
    assert (shown["format"], shown["valid"]) == (actual["format"], actual["valid"])
    keys = re.findall(r"^\| `([a-z]+)`(?:, `([a-z]+)`)? \|", SECTION, re.M)
    assert [k for pair in keys for k in pair if k] == list(actual["findings"][0])
