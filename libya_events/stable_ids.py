"""Stable ids: an id once released is never reused and never silently disappears.

A row that leaves a table is recorded in `data/retired_ids.csv` (table, id, the version that
retired it, the reason, and the surviving id for a merge or rename). A row of a link table whose
event or actor was retired is covered by that record. For a table with a composite primary key
the id is its key values joined by ``/`` in `primaryKey` order (slugs never contain ``/``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from libya_events.snapshot import Key, Snapshot

RETIRED_TABLE = "retired_ids"
KEY_SEPARATOR = "/"


def id_text(key: Key) -> str:
    return KEY_SEPARATOR.join(key)


def retired(snapshot: Snapshot) -> dict[tuple[str, str], dict[str, str]]:
    """The retired_ids rows of `snapshot` by (table, id); empty when it has no such table."""
    table = snapshot.tables.get(RETIRED_TABLE)
    if table is None:
        return {}
    return {(row.get("table", ""), row.get("id", "")): row for row in table.rows}


@dataclass(frozen=True)
class Removal:
    """A row of OLD whose primary key is missing from NEW, and the record that covers it."""

    table: str
    key: Key
    row: dict[str, str]
    recorded_as: tuple[str, str] | None

    @property
    def id(self) -> str:
        return id_text(self.key)


def cover(
    table: str, key: Key, row: dict[str, str], fks: list[dict], gone: Collection[tuple[str, str]]
) -> tuple[str, str] | None:
    """The (table, id) in `gone` that accounts for the row: its own id, or one it refers to."""
    if (table, id_text(key)) in gone:
        return (table, id_text(key))
    for fk in fks:
        fields = fk.get("fields", [])
        fields = [fields] if isinstance(fields, str) else fields
        target = fk.get("reference", {}).get("resource") or table
        value = id_text(tuple(row.get(f, "") for f in fields))
        if value and (target, value) in gone:
            return (target, value)
    return None


def removals(old: Snapshot, new: Snapshot) -> list[Removal]:
    """Every row of OLD missing from NEW, in table then key order, with its covering record.

    Only tables present in both with the same primary key are compared (a changed key or a
    dropped table is a schema change, which the diff reports). `recorded_as` is the
    (table, id) of the retired_ids row in NEW that covers the removal, or None.
    """
    gone = retired(new)
    out: list[Removal] = []
    for name, before in old.tables.items():
        after = new.tables.get(name)
        if after is None or not before.primary_key or before.primary_key != after.primary_key:
            continue
        present, rows = after.by_key(), before.by_key()
        fks = list(before.schema.get("foreignKeys", []))
        for key in sorted(k for k in rows if k not in present):
            row = rows[key]
            covered = None if name == RETIRED_TABLE else cover(name, key, row, fks, gone)
            out.append(Removal(name, key, row, covered))
    return out


def reused(snapshot: Snapshot) -> list[tuple[str, str, int | None]]:
    """(table, id, line in that table's CSV) of every retired id that is back in its table."""
    out = []
    first_lines: dict[str, dict[str, int | None]] = {}  # table -> id -> its first line
    for table_name, rid in sorted(retired(snapshot)):
        table = snapshot.tables.get(table_name)
        if table is None or not table.primary_key:
            continue
        if table_name not in first_lines:
            lines = first_lines[table_name] = {}
            for row, line in zip(table.rows, table.lines, strict=True):
                lines.setdefault(id_text(table.key(row)), line)
        if rid in first_lines[table_name]:
            out.append((table_name, rid, first_lines[table_name][rid]))
    return out


class Resolver:
    """`resolve` for many ids of one snapshot: its retired records and the ids present in each
    table are gathered once, not once per id."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.records = retired(snapshot)
        self._present: dict[str, set[str]] = {}

    def present(self, table: str) -> set[str]:
        """The ids of the rows of ``table``."""
        if table not in self._present:
            target = self.snapshot.tables.get(table)
            rows = target.rows if target is not None else []
            self._present[table] = {id_text(target.key(r)) for r in rows}  # type: ignore[union-attr]
        return self._present[table]

    def __call__(self, table: str, rid: str) -> str | None:
        present = self.present(table)
        seen: set[str] = set()
        while rid not in present:
            record = self.records.get((table, rid))
            if record is None or not record.get("replaced_by") or rid in seen:
                return None
            seen.add(rid)
            rid = record["replaced_by"]
        return rid


def resolve(snapshot: Snapshot, table: str, rid: str) -> str | None:
    """The id that stands for `rid` in `snapshot`: itself if present, else its redirect chain.

    None when the id was withdrawn without a successor, or was never known.
    """
    return Resolver(snapshot)(table, rid)
