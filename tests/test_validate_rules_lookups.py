"""Cross-table look-ups: an empty reference matches no row, not a row whose id was reported."""

from __future__ import annotations

import csv
from pathlib import Path

from libya_events.testing.synthetic import write_synthetic
from libya_events.validate import validate


def edit(root: Path, table: str, row: int, **cells: str) -> None:
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[row].update(cells)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_a_reported_event_id_is_nobodys_parent_or_event(tmp_path: Path) -> None:
    root = write_synthetic(tmp_path / "pkg", 60, seed=2).path
    edit(root, "events", 2, event_id="BAD_ID")  # line 4; event-000002 is now missing
    edit(root, "statements", 0, event_id="", date="2019-01-01")  # made at no event
    found = validate(root).flatten(["code", "table", "line", "field"])
    assert found == [
        ["constraint-error", "events", 4, "event_id"],
        ["foreign-key", "event_actors", 6, "event_id"],
        ["foreign-key", "event_actors", 7, "event_id"],
        ["foreign-key", "event_sources", 3, "event_id"],
    ]
