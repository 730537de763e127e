"""The history layer looks retired ids up in the tables the validator read, with the same findings
as reading the package again with the release tools' reader."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from libya_events.testing.synthetic import write_synthetic
from libya_events.validate import history, validate

HISTORY_CODES = {"id-reused", "retired-invalid", "id-removed"}
EXTRA_RETIRED = [
    ["events", "event-000010", "0.1.0", "withdrawn", "", "source-000001", "Back in use."],
    ["events", "event-gone", "0.1.0", "merged", "event-nowhere", "source-000001", "Dangling."],
    ["actors", "actor-chain", "0.1.0", "merged", "actor-retired-000001", "source-000001", "Chain."],
    ["nosuch", "x", "0.1.0", "withdrawn", "", "source-000001", "Unknown table."],
]


def with_retired_faults(dest: Path) -> Path:
    package = write_synthetic(dest, 200, seed=4)
    path = package.path / "data" / "retired_ids.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    rows = sorted(rows + EXTRA_RETIRED, key=lambda r: (r[0], r[1]))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return package.path


def history_findings(root: Path) -> list[tuple[str, str | None, int | None, str | None, str]]:
    return [
        (f.code, f.table, f.line, f.field, f.message)
        for f in validate(root).findings
        if f.code in HISTORY_CODES
    ]


def reread(root: Path) -> list[tuple[str, str | None, int | None, str | None, str]]:
    return [(f.code, f.table, f.line, f.field, f.message) for f in history.check(root)]


def test_retired_faults_are_found_where_they_are(tmp_path: Path) -> None:
    root = with_retired_faults(tmp_path / "pkg")
    found = history_findings(root)
    assert [f[:4] for f in found] == [
        ("id-reused", "events", 12, "event_id"),
        ("retired-invalid", "retired_ids", 5, "replaced_by"),
        ("retired-invalid", "retired_ids", 8, "table"),
    ]
    assert sorted(found) == sorted(reread(root))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
    ],
)
def test_a_table_read_another_way_gives_the_same_findings(tmp_path: Path, change) -> None:
    root = with_retired_faults(tmp_path / "pkg")
    events = root / "data" / "events.csv"
    events.write_bytes(change(events.read_bytes()))
    found = history_findings(root)
    assert found
    assert sorted(found) == sorted(reread(root))
