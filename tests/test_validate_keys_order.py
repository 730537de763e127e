"""Primary keys: sorted keys are known distinct at once; unsorted ones are still checked in full."""

from __future__ import annotations

import csv
from pathlib import Path

from libya_events.testing.synthetic import write_synthetic
from libya_events.validate import validate


def rewrite(root: Path, table: str, change) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_duplicate_far_from_its_twin_is_found(tmp_path: Path) -> None:
    root = write_synthetic(tmp_path / "pkg", 60, seed=3).path
    rewrite(root, "event_sources", lambda rows: [*rows, dict(rows[0], supports="Again.")])
    found = validate(root).flatten(["code", "table", "line", "field", "message"])
    assert found == [
        [
            "primary-key",
            "event_sources",
            32,
            "event_id",
            "data/event_sources.csv line 32: primary key (event_id, source_id) = "
            "(event-000000, source-000001) repeats line 2",
        ]
    ]


def test_distinct_keys_out_of_order_are_no_finding(tmp_path: Path) -> None:
    root = write_synthetic(tmp_path / "pkg", 60, seed=3).path
    rewrite(root, "event_actors", lambda rows: rows[::-1])
    rewrite(root, "statements", lambda rows: rows[1:] + rows[:1])
    assert validate(root).flatten() == []
