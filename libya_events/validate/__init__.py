"""`validate(path)`: check a data package in every layer and report all findings together.

Layers, all run, merged into one `Report`:

- package: find and read the descriptor safely; frictionless checks the descriptor itself;
- text: bytes and characters of each CSV file (encoding, NUL, control characters, ...);
- table: header, rows, types, constraints, keys against each Table Schema (columnar);
- record: each row as a record against ``schemas/<table>.record.json``;
- rules: cross-table rules (``libya_events.rules``).

Each fault gets one finding: a layer skips the cells an earlier layer has reported. A stage
that fails unexpectedly becomes an ``internal-error`` finding and the others still run.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
import types
from collections.abc import Callable
from typing import Any

from libya_events.errors import Code
from libya_events.progress import Progress
from libya_events.report import Finding, Report
from libya_events.validate import files, package, records, table, text
from libya_events.validate.context import TableSpec, TableState

__all__ = ["validate", "Report", "Finding", "Code"]


class _CallableModule(types.ModuleType):
    """This package, callable: ``libya_events.validate(path)`` is ``validate(path)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Report:
        return validate(*args, **kwargs)


def validate(
    path: str | os.PathLike[str] | None = None,
    *,
    cell_limit: int = text.CELL_LIMIT,
    previous: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate the data package at ``path`` (a directory or its ``datapackage.json``).

    With ``previous`` (the previous release: a directory or ``git:REV``) the history layer
    also checks that no id of that release disappeared without a retired_ids record.
    ``progress`` is told each step and how much of the package (in bytes of CSV) it covers.

    The default is the current directory when it holds a ``datapackage.json``, else the data
    package shipped with this installation. Never raises for bad input: every problem is a
    finding of the returned `Report` (``report.exit_code`` is 2 when the input cannot be read).
    """
    started = time.perf_counter()
    findings: list[Finding] = []
    loaded = package.load(path)
    findings += loaded.findings
    where = str(loaded.root) if loaded.root is not None else str(path)
    if not loaded.readable:
        return Report(findings, package=where, seconds=time.perf_counter() - started)

    def guarded(stage: str, run: Callable[[], Any], state: TableState | None = None) -> None:
        try:
            run()
        except Exception as exc:  # noqa: BLE001 - reported, never raised: see module docstring
            findings.append(
                Finding.make(
                    Code.INTERNAL_ERROR,
                    table=state.name if state else None,
                    path=state.spec.path if state else None,
                    stage=stage,
                    error=f"{type(exc).__name__}: {exc}",
                )
            )

    bar = progress or Progress(0, enabled=False)
    guarded("the descriptor check", lambda: findings.extend(package.frictionless_check(loaded)))
    states = {spec.name: TableState(spec) for spec in loaded.tables}
    size = {name: _file_size(s) for name, s in states.items()}
    whole = sum(size.values())
    # Reading and the table layer take about as long; foreign keys and records half that.
    bar.start(4 * whole)

    def each(stage: str, what: str, share: float, run: Callable[[TableState], None]) -> None:
        for name, state in states.items():
            bar.advance(0, f"{what} {name}")
            guarded(stage, lambda s=state: run(s), state)
            bar.advance(share * size[name])

    def table_layer(state: TableState) -> None:
        if state.usable:
            _check_table(state)

    def foreign_keys(state: TableState) -> None:
        table.check_foreign_keys(state, states)

    each("reading the file", "reading", 1, lambda s: _read(s, cell_limit))
    each("the table layer", "checking", 1, table_layer)
    each("the foreign-key check", "checking references of", 0.5, foreign_keys)
    each("the record layer", "checking records of", 0.5, records.check_records)
    bar.advance(0, "checking cross-table rules")

    def rules() -> None:
        from libya_events import rules as cross

        findings.extend(cross.check(states, declared=_declared(loaded.descriptor)))

    guarded("the cross-table rules", rules)
    bar.advance(whole, "checking release history")

    def history() -> None:
        from libya_events.validate import history as stable

        findings.extend(stable.check(loaded.root, previous, read=states))

    # The history layer reads the package again with its own reader: only once every file the
    # descriptor names is known to be a safe, regular file inside the package.
    if _all_files_safe(loaded, states):
        guarded("the history layer", history)
    for state in states.values():
        findings += state.findings
    return Report(
        findings,
        package=where,
        tables=len(states),
        rows=sum(s.nrows for s in states.values()),
        seconds=time.perf_counter() - started,
        order={s.name: s.spec.field_names for s in states.values()},
    )


_BLANK = re.compile(rb"[ \t\r\n]*(?:" + re.escape(files.BOM) + rb")?[ \t\r\n]*")


def _file_size(state: TableState) -> int:
    """Bytes of the table's file (0 when it cannot be seen): the unit of progress."""
    try:
        return state.spec.file.stat().st_size if state.spec.file is not None else 0
    except OSError:
        return 0


def _declared(descriptor: dict[str, Any]) -> set[str]:
    resources = descriptor.get("resources") or []
    return {r["name"] for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)}


def _all_files_safe(loaded: package.PackageLoad, states: dict[str, TableState]) -> bool:
    """True when every resource was accepted and its file read as a regular file."""
    if len(states) != len(loaded.descriptor.get("resources") or []):
        return False
    return all(
        s.spec.file is not None
        and s.sheet is not None
        and (s.spec.schema_path is None or s.spec.schema is not None)
        for s in states.values()
    )


def _read(state: TableState, cell_limit: int) -> None:
    """Read the file into ``state.sheet``, with the text layer's whole-file and cell checks."""
    spec: TableSpec = state.spec
    if spec.file is None:
        return
    try:
        info = spec.file.stat()
    except FileNotFoundError:
        state.add(Code.FILE_MISSING)
        return
    except OSError as exc:
        state.add(Code.FILE_UNREADABLE, reason=exc.strerror or str(exc))
        return
    if not stat.S_ISREG(info.st_mode):
        state.add(Code.FILE_UNREADABLE, reason="not a regular file")
        return
    try:
        data = spec.file.read_bytes()
    except OSError as exc:
        state.add(Code.FILE_UNREADABLE, reason=exc.strerror or str(exc))
        return
    if _BLANK.fullmatch(data):  # only whitespace, and a BOM (a regex: no copy of the file)
        state.add(Code.EMPTY_FILE, line=1)
        return
    labels = None if spec.dialect.header else spec.field_names
    state.sheet = files.read_sheet(data, spec.dialect, labels)
    if spec.schema_ok and spec.schema is not None:
        table.check_header(state)
    text.check_file(state)
    if spec.schema_ok and spec.schema is not None:
        table.check_rows(state)
    strings = None
    if spec.schema_ok and spec.schema is not None:
        strings = {
            j for j, f in enumerate(spec.fields) if f.get("type", "string") in ("string", None)
        }
    text.check_cells(state, strings, cell_limit)


def _check_table(state: TableState) -> None:
    table.check_fields(state)
    table.check_keys(state)


sys.modules[__name__].__class__ = _CallableModule
