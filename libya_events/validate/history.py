"""Stable ids across releases: the `history` layer of the validator.

Always: every `data/retired_ids.csv` row names a table of the package and a `replaced_by` that
resolves, no retired id is used again (`id-reused`) and no `retired_in` is later than this
release. With the previous release (`validate --previous OLD`, a directory or `git:REV`): every
id of OLD is still here or recorded as retired (`id-removed`), retired_ids only grows, and the
ids retired since OLD carry this release's version.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code, PackageReadError, VersionError
from libya_events.release import Bump, Version
from libya_events.report import Finding
from libya_events.snapshot import Snapshot, Table, checkout, read_package
from libya_events.stable_ids import RETIRED_TABLE, Resolver, cover, removals, retired, reused
from libya_events.validate import arrow

if TYPE_CHECKING:
    from libya_events.validate.context import TableState


def check(
    path: str | os.PathLike[str],
    previous: str | os.PathLike[str] | None = None,
    *,
    read: Mapping[str, TableState] | None = None,
) -> list[Finding]:
    """History findings for the package at `path`, against release `previous` when given.

    A package (NEW) whose files cannot be read yields no finding here: the other layers
    report why. A `previous` that cannot be read is a `previous-unreadable` finding.
    ``read`` are the tables the validator has already read; the always-on checks look up
    their rows there instead of reading the files again.
    """
    root = Path(path)
    if previous is None:
        try:
            return _retired_checks(_read_retired_scope(root, read), None)
        except PackageReadError:
            return []
    try:
        with checkout(previous, root if root.is_dir() else root.parent) as old_dir:
            old = read_package(old_dir)
    except PackageReadError as exc:
        return [Finding.make(Code.PREVIOUS_UNREADABLE, where=str(previous), reason=str(exc))]
    try:
        new = read_package(root)
    except PackageReadError:
        return []
    return _removed(old, new) + _retired_checks(new, old)


def _read_retired_scope(root: Path, read: Mapping[str, TableState] | None = None) -> Snapshot:
    """retired_ids and the tables its rows name: all the always-on checks need."""
    first = read_package(root, only={RETIRED_TABLE})
    named = {table for table, _ in retired(first)}
    if not named:
        return first
    looked_up = _looked_up(first, named, read) if read is not None else None
    return looked_up or read_package(root, only={RETIRED_TABLE, *named})


def _looked_up(first: Snapshot, named: set[str], read: Mapping[str, TableState]) -> Snapshot | None:
    """What `_read_retired_scope` reads, from the validator's columns: of each table that
    retired_ids names, only the rows whose id is retired there or a replaced_by there (the
    only ids the checks look up), in file order with their lines. None when a table was not
    read as a plain CSV file that the `csv` module reads the same way (then it is read again).
    """
    resources = [r for r in first.descriptor["resources"] if isinstance(r, dict)]
    by_name = {r.get("name"): r for r in resources}
    if len(by_name) != len(resources):
        return None
    wanted: dict[str, set[str]] = {}
    for (name, rid), row in retired(first).items():
        wanted.setdefault(name, set()).add(rid)
        if row.get("replaced_by"):
            wanted[name].add(row["replaced_by"])
    tables = dict(first.tables)
    for name in sorted(named - {RETIRED_TABLE}):
        if name not in by_name:
            continue  # not a table of the package: read_package would not read it either
        state = read.get(name)
        table = _rows_by_id(name, by_name[name], state, wanted[name]) if state else None
        if table is None:
            return None
        tables[name] = table
    return Snapshot(first.root, first.descriptor, tables)


def _rows_by_id(name: str, resource: dict, state: TableState, ids: set[str]) -> Table | None:
    from libya_events.validate.files import Dialect

    sheet, schema = state.sheet, state.spec.schema
    regular = (
        sheet is not None
        and sheet.fast
        and not sheet.bom
        and not sheet.bad_bytes
        and sheet.unclosed is None
        and sheet.header_line == 1
        and state.spec.dialect == Dialect()
        and isinstance(schema, dict)
        and isinstance(schema.get("fields"), list)
    )
    if not regular:
        return None
    assert sheet is not None and isinstance(schema, dict)
    labels = list(sheet.labels)
    if len(set(labels)) != len(labels) or bool((sheet.ncells != sheet.width).any()):
        return None
    empty = pa.array([""] * sheet.nrows, pa.string())
    table = Table(name, resource, schema, labels, [], [])
    parts = [sheet.columns[labels.index(k)] if k in labels else empty for k in table.primary_key]
    keys = pc.binary_join_element_wise(*parts, "/") if parts else empty
    found = pc.is_in(keys, value_set=pa.array(sorted(ids), pa.string()))
    hits = np.flatnonzero(arrow.mask(found))
    rows = [
        {label: sheet.columns[j][i].as_py() for j, label in enumerate(labels)}
        for i in hits.tolist()
    ]
    return Table(name, resource, schema, labels, rows, [int(sheet.lines[i]) for i in hits])


def _key_label(table: Table) -> str:
    return "/".join(table.primary_key)


def _removed(old: Snapshot, new: Snapshot) -> list[Finding]:
    out = []
    retired_path = _retired_path(new)
    before, after = _version(old.version), _version(new.version)
    # a recorded retirement is a minor change: name the release it belongs in
    retired_in = (
        str(before.bumped(Bump.MINOR))
        if before is not None and (after is None or after <= before)
        else new.version
    )
    found = [r for r in removals(old, new) if r.table != RETIRED_TABLE and not r.recorded_as]
    missing = {(r.table, r.id) for r in found}
    for removal in found:
        fks = old.tables[removal.table].schema.get("foreignKeys", [])
        ids_only = {m for m in missing if m != (removal.table, removal.id)}
        if cover(removal.table, removal.key, removal.row, fks, ids_only):
            continue  # it refers to a missing id: one finding, for that id, is enough
        table = new.tables[removal.table]
        out.append(
            Finding.make(
                Code.ID_REMOVED,
                table=removal.table,
                path=table.resource["path"],
                field=table.primary_key[0] if len(table.primary_key) == 1 else None,
                value=removal.id,
                key=_key_label(table),
                id=removal.id,
                old_version=old.version,
                new_version=retired_in,
                retired_path=retired_path,
            )
        )
    return out


def _retired_path(snapshot: Snapshot) -> str:
    table = snapshot.tables.get(RETIRED_TABLE)
    return table.resource["path"] if table is not None else "data/retired_ids.csv"


def _version(text: str) -> Version | None:
    try:
        return Version.parse(text)
    except VersionError:
        return None


def _retired_checks(new: Snapshot, old: Snapshot | None) -> list[Finding]:
    table = new.tables.get(RETIRED_TABLE)
    if table is None:
        return []
    path = table.resource["path"]
    names = {r.get("name") for r in new.descriptor.get("resources", [])} - {RETIRED_TABLE}
    version = _version(new.version)
    before = retired(old) if old is not None else None
    out: list[Finding] = []
    lines: dict[tuple[str, str], int] = {}

    def invalid(line: int | None, field: str | None, value: str | None, reason: str) -> None:
        out.append(
            Finding.make(
                Code.RETIRED_INVALID,
                table=RETIRED_TABLE,
                path=path,
                line=line,
                field=field,
                value=value,
                reason=reason,
            )
        )

    resolve = Resolver(new)
    for row, line in zip(table.rows, table.lines, strict=True):
        name, rid = row.get("table", ""), row.get("id", "")
        lines[(name, rid)] = line
        if name not in names:
            invalid(line, "table", name, f"table {name!r} is not a table of this package")
        elif row.get("replaced_by") and resolve(name, row["replaced_by"]) is None:
            invalid(
                line,
                "replaced_by",
                row["replaced_by"],
                f"replaced_by {row['replaced_by']!r} is not an id of {name}, nor retired with "
                "a successor there",
            )
        retired_in = _version(row.get("retired_in", ""))
        if retired_in is not None and version is not None and retired_in > version:
            invalid(
                line,
                "retired_in",
                row["retired_in"],
                f"retired_in {retired_in} is later than this release, {version}",
            )
        elif (
            before is not None
            and (name, rid) not in before
            and row.get("retired_in") != str(new.version)
        ):
            invalid(
                line,
                "retired_in",
                row.get("retired_in"),
                f"{name} id {rid!r} is retired in this release, so retired_in is "
                f"{new.version}, not {row.get('retired_in')}",
            )
    if before is not None:
        for (name, rid), row in sorted(before.items()):
            if (name, rid) not in lines:
                invalid(
                    None,
                    None,
                    f"{name}/{rid}",
                    f"the record of {name} id {rid!r} (retired in {row.get('retired_in')}) was "
                    f"in release {old.version if old else ''} and is missing; retired_ids only "
                    "grows",
                )
    for name, rid, line in reused(new):
        target = new.tables[name]
        out.append(
            Finding.make(
                Code.ID_REUSED,
                table=name,
                path=target.resource["path"],
                line=line,
                field=target.primary_key[0] if len(target.primary_key) == 1 else None,
                value=rid,
                key=_key_label(target),
                id=rid,
                retired_in=retired(new)[(name, rid)].get("retired_in"),
                retired_path=path,
                retired_line=lines[(name, rid)],
            )
        )
    return out
