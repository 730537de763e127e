"""`libya-events add`: the rows of a contribution file merged into the package, checked, written.

A contribution is one YAML (or JSON) file whose top-level keys are table names and whose values
are lists of rows by column name: a small slice of the package, so the Table Schemas say what
each row may hold. `add(contribution, package)`:

1. reads the package and validates it as it is (a package with errors takes no contribution);
2. fills in what a contributor may leave out: a source given by the URL of a source the package
   has is that row (no duplicate); an id whose schema pattern allows it is derived from the
   row's first required free-text field and its first date (and printed); a required
   reference to a table of which the contribution holds exactly one row (a ``source_id``: its
   single source) is that row;
3. checks the rows against the package: an unknown table or column, an id the package has with
   other values (the very same row is a no-op, and said so);
4. inserts the new rows where their primary key sorts, validates the result with every layer,
   and points each finding into the contribution (``events[0].end_date``, and its line);
5. writes only when there is no error: each changed CSV to a temporary file beside it, then
   ``os.replace``; on any failure every file is left byte-identical.

The second half serves the issue form: `issue_form` renders ``.github/ISSUE_TEMPLATE/
add-event.yml`` from the schemas (vocabularies as dropdowns), `contribution_from_issue_body`
reads what GitHub makes of its answers, and `template` prints a commented contribution file.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import shutil
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import yaml

from libya_events.diff import Diff, compare
from libya_events.errors import AddCode, ContributionError, PackageReadError, PackageWriteError
from libya_events.report import Finding, Report
from libya_events.snapshot import (
    DESCRIPTOR,
    Key,
    Snapshot,
    Table,
    read_package,
    render_rows,
    row_lines,
)
from libya_events.stable_ids import id_text

#: The column by which a contributed row is recognised as a row the package already has.
URL_FIELD = "url"
#: How many words of a row's text go into a derived id (before its date).
ID_WORDS = 8

# --- the contribution ---------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a contribution: its table, place in the table's list, line and cells.

    ``lines`` holds the line of each cell given; a cell left out is an empty cell.
    """

    table: str
    index: int
    line: int | None
    cells: dict[str, str]
    lines: dict[str, int] = field(default_factory=dict)

    def at(self, column: str | None = None) -> str:
        """The row's key path in the contribution: ``events[0]``, or ``events[0].end_date``."""
        return f"{self.table}[{self.index}]" + (f".{column}" if column else "")

    def line_of(self, column: str | None) -> int | None:
        return self.lines.get(column, self.line) if column else self.line


@dataclass
class Contribution:
    """The rows of a contribution file, named as its author will recognise it."""

    name: str
    rows: list[Row]
    #: Each table named in the file, with the line where it is named.
    tables: dict[str, int | None] = field(default_factory=dict)
    #: What was filled in while the file was read (an issue body's derived ids).
    notes: list[str] = field(default_factory=list)


def read_contribution(path: str | Path) -> Contribution:
    """Read a contribution file: JSON when it ends in ``.json``, YAML otherwise."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ContributionError("no such file", name) from None
    except OSError as exc:
        raise ContributionError(f"cannot read it: {exc.strerror or exc}", name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContributionError(
            f"byte {exc.start} is not UTF-8; save it as UTF-8", name, line
        ) from None
    return parse_contribution(text, name, json_syntax=name.lower().endswith(".json"))


def parse_contribution(
    text: str, name: str = "contribution", *, json_syntax: bool = False
) -> Contribution:
    """The rows of a contribution written as YAML (or, with ``json_syntax``, JSON).

    Every value is kept as the text it is written as (``52.50`` stays ``52.50``); ``null``,
    ``~`` or nothing is an empty cell.
    """
    if json_syntax:
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContributionError(
                f"not valid JSON: {exc.msg} (column {exc.colno})", name, exc.lineno
            ) from None
        # Valid JSON is YAML but for tabs, which JSON allows only as whitespace between tokens
        # (a tab in a string is written \t): read as spaces, they keep every line and column.
        text = text.replace("\t", " ")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed"
        column = f" (column {mark.column + 1})" if mark else ""
        raise ContributionError(
            f"not valid YAML: {problem}{column}", name, mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ContributionError(f"not valid YAML: {exc}", name) from None
    if root is None or _is_null(root):
        raise ContributionError("the file is empty; it lists rows by table, e.g. 'events:'", name)
    if not isinstance(root, yaml.MappingNode):
        raise ContributionError(
            f"the file holds {_kind(root)}; it lists rows by table name, e.g. 'events:'",
            name,
            _line(root),
        )
    out = Contribution(name, [])
    for key, value in _pairs(root, name, "the file"):
        table = key.value
        out.tables[table] = _line(key)
        if _is_null(value):
            continue
        if not isinstance(value, yaml.SequenceNode):
            raise ContributionError(
                f"{table}: a table holds a list of rows ('- column: value'), not {_kind(value)}",
                name,
                _line(value),
            )
        for index, item in enumerate(value.value):
            row = Row(table, index, _line(item), {})
            if not isinstance(item, yaml.MappingNode):
                raise ContributionError(
                    f"{row.at()}: a row maps column names to values, not {_kind(item)}",
                    name,
                    _line(item),
                )
            for cell_key, cell in _pairs(item, name, row.at()):
                column = cell_key.value
                if not isinstance(cell, yaml.ScalarNode):
                    raise ContributionError(
                        f"{row.at(column)}: a cell holds one value (text, a number or a date), "
                        f"not {_kind(cell)}",
                        name,
                        _line(cell),
                    )
                row.cells[column] = _text(cell)
                row.lines[column] = _line(cell)
            out.rows.append(row)
    return out


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.tag.endswith(":null")


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {node.value!r}"


def _text(node: yaml.ScalarNode) -> str:
    if _is_null(node):
        return ""
    if node.style in ("|", ">"):  # a block scalar keeps a final line break a cell should not
        return node.value.rstrip("\n")
    return node.value


def _pairs(node: yaml.MappingNode, name: str, where: str) -> Iterator[tuple[yaml.ScalarNode, Any]]:
    """The key and value nodes of a mapping, refusing a key that is not a name or repeats."""
    seen: dict[str, int] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or not key.value:
            raise ContributionError(f"{where}: a key must be a name", name, _line(key))
        if key.value in seen:
            raise ContributionError(
                f"{where}: {key.value!r} is given twice (also line {seen[key.value]})",
                name,
                _line(key),
            )
        seen[key.value] = _line(key)
        yield key, value


# --- deriving ids -------------------------------------------------------------------------------


def _id_parts(table: Table) -> tuple[str, str | None, list[str]] | None:
    """(key field, pattern, fields the id is made of) when the table's id may be derived: a
    single-field key, from the first required free-text field and every date field."""
    if len(table.primary_key) != 1:
        return None
    (key,) = table.primary_key
    free = [
        f["name"]
        for f in table.fields
        if f["name"] != key
        and f.get("type", "string") == "string"
        and (f.get("constraints") or {}).get("required")
        and not {"enum", "pattern"} & set(f.get("constraints") or {})
    ]
    if not free:
        return None
    dates = [f["name"] for f in table.fields if f.get("type") == "date"]
    return key, _constraints(table, key).get("pattern"), [free[0], *dates]


def slug(text: str, words: int = ID_WORDS) -> str:
    """Lowercase ASCII words of ``text`` joined by hyphens: ``Çavuşoğlu visits Moscow`` ->
    ``cavusoglu-visits-moscow``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())[:words])


def derive_id(table: Table, cells: dict[str, str]) -> tuple[str, str]:
    """The id of a row of ``table`` made from its text and date, and how it was made.

    Raises ValueError with the reason when it cannot be derived.
    """
    parts = _id_parts(table)
    if parts is None:
        raise ValueError(f"table {table.name} has no id made of text and a date")
    key, pattern, (text_field, *date_fields) = parts
    words = slug(cells.get(text_field, ""))
    if not words:
        raise ValueError(f"no {text_field} in Latin letters or digits to make it of")
    date_field = next((d for d in date_fields if cells.get(d)), None)
    made = f"{words}-{cells[date_field]}" if date_field else words
    if pattern and not re.fullmatch(pattern, made):
        raise ValueError(f"{made!r}, made of {text_field}, does not match {pattern}")
    return made, text_field + (f" and {date_field}" if date_field else "")


# --- findings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionFinding:
    """A fault of a contribution: its code, where it is in the contribution (key path and line)
    and, for what the validator found, where the row would be in the package."""

    code: str
    severity: str
    message: str
    at: str = ""
    line: int | None = None
    where: str = ""

    def text(self, name: str) -> str:
        """One line: ``file line 12, events[0].end_date: ... (would be data/events.csv line 19)``,
        or for a finding on the package as it was, ``data/events.csv line 3: ...``."""
        if not self.at:
            return f"{self.where or name}: {self.message} [{self.code}]"
        place = f"{name} line {self.line}" if self.line else name
        also = f" ({self.where})" if self.where else ""
        return f"{place}, {self.at}: {self.message}{also} [{self.code}]"


def _finding(
    code: AddCode, at: str = "", line: int | None = None, **params: Any
) -> ContributionFinding:
    return ContributionFinding(code.value, "error", code.format(**params), at, line)


def _hint(word: str, choices: list[str]) -> str:
    close = get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else f" ({', '.join(choices)})"


# --- adding -------------------------------------------------------------------------------------


@dataclass
class AddResult:
    """What `add` did or would do: findings, notes, rows added by table, and the diff."""

    contribution: Contribution
    package: Path
    findings: list[ContributionFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    changes: Diff | None = None
    written: bool = False
    dry_run: bool = False

    @property
    def errors(self) -> list[ContributionFinding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def render(self) -> str:
        """The report printed by ``libya-events add``."""
        lines = [f"libya-events add: {self.contribution.name} -> {self.package}"]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  {f.severity}: {f.text(self.contribution.name)}" for f in self.findings]
        total = sum(self.added.values())
        counts = ", ".join(f"{t} {n}" for t, n in self.added.items())
        if self.dry_run and self.changes is not None and not self.errors:
            lines += ["", self.changes.render("text").rstrip("\n")]
        lines.append("")
        if self.errors:
            n = len(self.errors)
            lines.append(f"NOT ADDED: {n} error{'' if n == 1 else 's'}; the package is unchanged")
        elif total == 0:
            lines.append("NOTHING TO ADD: the package has every row already; it is unchanged")
        elif self.dry_run:
            lines.append(f"DRY RUN: would add {total} row(s) ({counts}); nothing written")
        else:
            lines.append(f"ADDED: {total} row(s) ({counts}); the package validates")
        return "\n".join(lines) + "\n"


def package_root(path: str | Path | None = None) -> Path:
    """The package directory ``path`` names (a directory or its datapackage.json; default .)."""
    root = Path(path if path is not None else ".")
    if root.name == DESCRIPTOR:
        root = root.parent
    if not (root / DESCRIPTOR).is_file():
        raise PackageReadError(f"{root}: no {DESCRIPTOR}; run in a checkout or name the package")
    return root


def add(
    contribution: Contribution, package: str | Path | None = None, *, dry_run: bool = False
) -> AddResult:
    """Add the contribution's rows to the package directory ``package`` (default: .).

    Returns what was done; writes nothing when there is an error or with ``dry_run``.
    Raises `PackageReadError` for a package that cannot be read at all.
    """
    from libya_events.validate import validate

    root = package_root(package)
    result = AddResult(contribution, root, notes=list(contribution.notes), dry_run=dry_run)
    before = validate(root)
    if not before.readable:
        raise PackageReadError(before.errors[0].message)
    if before.errors:
        result.findings.append(_finding(AddCode.PACKAGE_INVALID, errors=len(before.errors)))
        result.findings += [_from_validator(f, {}) for f in before.errors]
        return result
    snapshot = read_package(root)
    result.findings += _unknown_names(contribution, snapshot)
    if result.findings:
        return result
    merge = _Merge(snapshot, contribution, result)
    merge.plan()
    if result.errors or not merge.new_rows:
        return result
    texts = merge.texts()
    with tempfile.TemporaryDirectory(prefix="libya-events-add-") as tmp:
        try:
            staged = _stage(snapshot, texts, Path(tmp) / "package")
        except OSError as exc:
            raise PackageWriteError(f"cannot copy the package to check it: {exc}") from None
        after = validate(staged)
        result.findings += merge.findings_from(after, before)
        if result.errors:
            return result
        result.changes = compare(snapshot, read_package(staged))
    result.added = {name: n for name, n in merge.counts().items() if n}
    if not dry_run:
        files = {root / snapshot.tables[t].resource["path"]: text for t, text in texts.items()}
        try:
            replace_files(files)
        except OSError as exc:
            raise PackageWriteError(f"cannot write the package: {exc}; it is unchanged") from None
        result.written = True
    return result


def _unknown_names(contribution: Contribution, snapshot: Snapshot) -> list[ContributionFinding]:
    out = []
    tables = list(snapshot.tables)
    for name, line in contribution.tables.items():
        if name not in snapshot.tables:
            hint = _hint(name, tables)
            out.append(_finding(AddCode.UNKNOWN_TABLE, name, line, table=name, hint=hint))
    for row in contribution.rows:
        table = snapshot.tables.get(row.table)
        if table is None:
            continue
        for column in row.cells:
            if column not in table.header:
                hint = _hint(column, table.header)
                at, line = row.at(column), row.line_of(column)
                out.append(
                    _finding(
                        AddCode.UNKNOWN_COLUMN, at, line, table=row.table, field=column, hint=hint
                    )
                )
    return out


class _Merge:
    """The contribution's rows made whole and placed among the package's, table by table."""

    def __init__(self, snapshot: Snapshot, contribution: Contribution, result: AddResult):
        self.snapshot = snapshot
        self.rows = [
            Row(r.table, r.index, r.line, dict(r.cells), dict(r.lines)) for r in contribution.rows
        ]
        self.result = result
        #: The rows (by position) that stand for a row the package has, found by URL: its id.
        self.known: dict[int, str] = {}
        #: The rows to add, by table, each with its whole set of cells.
        self.new_rows: dict[str, list[tuple[dict[str, str], Row]]] = {}
        #: Per changed table: the merged rows, and for each its origin (a Row, or its old line).
        self.merged: dict[str, tuple[list[dict[str, str]], list[Row | int]]] = {}

    def plan(self) -> None:
        self._match_by_url()
        self._derive_ids()
        self._fill_references()
        self._compare()
        self._place()

    def _match_by_url(self) -> None:
        renamed: dict[tuple[str, str], str] = {}
        for n, row in enumerate(self.rows):
            table = self.snapshot.tables[row.table]
            url = row.cells.get(URL_FIELD, "")
            if URL_FIELD not in table.header or len(table.primary_key) != 1 or not url:
                continue
            (key,) = table.primary_key
            for old, line in zip(table.rows, table.lines, strict=True):
                if old[URL_FIELD] == url:
                    self.known[n] = old[key]
                    if row.cells.get(key) and row.cells[key] != old[key]:
                        renamed[(row.table, row.cells[key])] = old[key]
                    row.cells[key] = old[key]
                    self.result.notes.append(
                        f"{row.at()}: the package has this {URL_FIELD} as {key} {old[key]!r} "
                        f"({table.resource['path']} line {line}); that row is used"
                    )
                    break
        for row in self.rows:  # references to a contributed id now known by another
            for column, target, _ in _references(self.snapshot.tables[row.table]):
                new = renamed.get((target, row.cells.get(column, "")))
                if new:
                    row.cells[column] = new

    def _derive_ids(self) -> None:
        for n, row in enumerate(self.rows):
            table = self.snapshot.tables[row.table]
            if n in self.known or len(table.primary_key) != 1:
                continue
            (key,) = table.primary_key
            if row.cells.get(key):
                continue
            try:
                made, source = derive_id(table, row.cells)
            except ValueError as exc:
                self.result.findings.append(
                    _finding(
                        AddCode.ID_NEEDED, row.at(key), row.line_of(key), field=key, reason=exc
                    )
                )
                continue
            row.cells[key] = made
            self.result.notes.append(f"{row.at(key)}: {made!r}, made of {source}")

    def _fill_references(self) -> None:
        by_table: dict[str, list[Row]] = {}
        for row in self.rows:
            by_table.setdefault(row.table, []).append(row)
        for row in self.rows:
            table = self.snapshot.tables[row.table]
            for column, target, target_field in _references(table):
                only = by_table.get(target, [])
                required = _constraints(table, column).get("required")
                if (
                    required
                    and target != row.table
                    and not row.cells.get(column)
                    and len(only) == 1
                ):
                    row.cells[column] = only[0].cells.get(target_field, "")

    def _compare(self) -> None:
        seen: dict[tuple[str, Key], Row] = {}
        for n, row in enumerate(self.rows):
            if n in self.known:
                continue
            table = self.snapshot.tables[row.table]
            whole = {name: row.cells.get(name, "") for name in table.header}
            key = table.key(whole)
            if (row.table, key) in seen:
                self._refuse(AddCode.REPEATED_ROW, row, key, other=seen[(row.table, key)].at())
                continue
            seen[(row.table, key)] = row
            old = table.by_key().get(key)
            where = f"{table.resource['path']} line {table.line_of(key)}"
            if old is None:
                self.new_rows.setdefault(row.table, []).append((whole, row))
            elif old == whole:
                self.result.notes.append(f"{row.at()}: the same as {where}; nothing to add")
            else:
                fields = ", ".join(f for f in table.header if old[f] != whole[f])
                self._refuse(AddCode.ID_EXISTS, row, key, where=where, fields=fields)
        if self.result.errors:
            self.new_rows = {}

    def _refuse(self, code: AddCode, row: Row, key: Key, **params: Any) -> None:
        """A finding about the row whose primary key is ``key``."""
        pk = self.snapshot.tables[row.table].primary_key
        label = f"({', '.join(pk)})" if len(pk) > 1 else pk[0]
        finding = _finding(code, row.at(), row.line, key=label, id=id_text(key), **params)
        self.result.findings.append(finding)

    def _place(self) -> None:
        """Insert each new row before the first row whose key sorts after its own."""
        for name, new in self.new_rows.items():
            table = self.snapshot.tables[name]
            rows: list[dict[str, str]] = list(table.rows)
            origins: list[Row | int] = list(table.lines)
            keys = [table.key(r) for r in rows]
            for whole, row in sorted(new, key=lambda pair: table.key(pair[0])):
                at = bisect.bisect_right(keys, table.key(whole))
                keys.insert(at, table.key(whole))
                rows.insert(at, whole)
                origins.insert(at, row)
            self.merged[name] = (rows, origins)

    def counts(self) -> dict[str, int]:
        return {name: len(self.new_rows.get(name, [])) for name in self.snapshot.tables}

    def texts(self) -> dict[str, str]:
        """The new text of each changed table's file."""
        return {
            name: render_rows(rows, self.snapshot.tables[name].header)
            for name, (rows, _) in self.merged.items()
        }

    def findings_from(self, after: Report, before: Report) -> list[ContributionFinding]:
        """The validator's findings on the merged package that the contribution brought."""
        old = {(f.code, f.table, f.field, f.value) for f in before.findings}
        origins: dict[str, dict[int, Row | int]] = {}
        for name, (rows, where) in self.merged.items():
            header = self.snapshot.tables[name].header
            lines = row_lines(rows, header)
            origins[name] = dict(zip(lines, where, strict=True))
        return [
            _from_validator(f, origins)
            for f in after.findings
            if (f.code, f.table, f.field, f.value) not in old
        ]


def _constraints(table: Table, name: str) -> dict[str, Any]:
    return next((f.get("constraints") or {} for f in table.fields if f["name"] == name), {})


def _references(table: Table) -> list[tuple[str, str, str]]:
    """(field, referenced table, referenced field) of each single-field foreign key."""
    out = []
    for fk in table.schema.get("foreignKeys", []):
        fields = fk.get("fields")
        ref = fk.get("reference") or {}
        ref_fields = ref.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        if isinstance(fields, list) and len(fields) == 1 and isinstance(ref_fields, list):
            out.append((fields[0], ref.get("resource") or table.name, ref_fields[0]))
    return out


def _from_validator(f: Finding, origins: dict[str, dict[int, Row | int]]) -> ContributionFinding:
    """A validator finding, pointed at the contribution row it is about when there is one."""
    origin = origins.get(f.table or "", {}).get(f.line) if f.line is not None else None
    if isinstance(origin, Row):
        where = f"would be {f.path} line {f.line}"
        return ContributionFinding(
            f.code, f.severity, f.detail, origin.at(f.field), origin.line_of(f.field), where
        )
    line = origin if isinstance(origin, int) else f.line
    where = f.path or f.table or DESCRIPTOR
    where += f" line {line}" if line is not None else ""
    return ContributionFinding(f.code, f.severity, f.detail, where=where)


def _stage(snapshot: Snapshot, texts: dict[str, str], dest: Path) -> Path:
    """A copy of the package at ``dest`` with the changed tables' new text: what is validated."""
    dest.mkdir(parents=True)
    root = snapshot.root
    shutil.copyfile(root / DESCRIPTOR, dest / DESCRIPTOR)
    if (root / "schemas").is_dir():
        shutil.copytree(root / "schemas", dest / "schemas")
    for name, table in snapshot.tables.items():
        refs = [table.resource.get(k) for k in ("schema", "dialect")]
        for rel in [r for r in refs if isinstance(r, str)]:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            if not (dest / rel).exists():
                shutil.copyfile(root / rel, dest / rel)
        target = dest / table.resource["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in texts:
            target.write_bytes(texts[name].encode("utf-8"))
        else:
            shutil.copyfile(root / table.resource["path"], target)
    return dest


def replace_files(files: dict[Path, str]) -> None:
    """Write each file's new text atomically: all to temporary files beside them first, then
    each moved over its file; when any step fails, every file keeps its old bytes."""
    temps: dict[Path, Path] = {}
    old = {path: path.read_bytes() for path in files}
    replaced: list[Path] = []
    try:
        for path, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps[path] = Path(tmp)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
            shutil.copymode(path, tmp)
        for path, tmp in temps.items():
            os.replace(tmp, path)
            replaced.append(path)
    except BaseException:
        for path in replaced:
            path.write_bytes(old[path])
        raise
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


# --- the issue form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question of the issue form: the cell its answer fills (``column`` is empty for the
    participants, one event_actors row per line), how it is asked, and a hint."""

    id: str
    label: str
    table: str
    column: str
    kind: str = "input"
    required: bool = False
    hint: str = ""


#: The questions of ``.github/ISSUE_TEMPLATE/add-event.yml``, in order. The columns must be in
#: the Table Schemas (`issue_form` checks); a dropdown offers the column's vocabulary.
FORM: tuple[Question, ...] = (
    Question("title", "Title", "events", "title", required=True),
    Question(
        "event-id", "Event id", "events", "event_id",
        hint="Leave empty to make it of the title and the start date.",
    ),
    Question("kind", "Kind of event", "events", "kind", "dropdown", required=True),
    Question("start-date", "Start date", "events", "start_date", hint="YYYY-MM-DD."),
    Question("end-date", "End date", "events", "end_date", hint="YYYY-MM-DD."),
    Question("date-precision", "Date precision", "events", "date_precision", "dropdown", True),
    Question("status", "Status", "events", "status", "dropdown", required=True),
    Question("place", "Place", "events", "location"),
    Question("place-precision", "Place precision", "events", "location_precision", "dropdown"),
    Question("country", "Country code", "events", "country"),
    Question("summary", "Summary", "events", "summary", "textarea", required=True),
    Question(
        "participants", "Participants", "event_actors", "", "textarea", required=True,
        hint="One per line: the actor id, the role, and the affiliation id of the office the "
        "actor acted in if the source names one, e.g. `fayez-al-sarraj visitor "
        "sarraj-head-of-gna`. Actor ids are in data/actors.csv; roles: {roles}.",
    ),
    Question("source-url", "Source URL", "sources", "url", required=True),
    Question(
        "source-publisher", "Publisher", "sources", "publisher",
        hint="Not needed when the package cites this URL already.",
    ),
    Question("source-kind", "Kind of source", "sources", "kind", "dropdown"),
    Question("source-published", "Date published", "sources", "published", hint="YYYY-MM-DD."),
    Question("source-title", "Title of the source", "sources", "title"),
    Question("source-description", "What the source reports", "sources", "description", "textarea"),
    Question(
        "quote", "Quote", "statements", "text", "textarea",
        hint="Optional: one thing a participant said, without quotation marks.",
    ),
    Question("quote-kind", "Quote kind", "statements", "kind", "dropdown"),
    Question(
        "quote-speaker", "Speaker", "statements", "speaker_id",
        hint="The actor id of whoever said it.",
    ),
    Question("quote-date", "Date of the quote", "statements", "date", hint="YYYY-MM-DD."),
    Question("quote-language", "Language of the quote", "statements", "language"),
)  # fmt: skip

NO_RESPONSE = "_No response_"
PARTICIPANT_FIELDS = ("actor_id", "role", "affiliation_id")


def _field(snapshot: Snapshot, table: str, column: str) -> dict[str, Any]:
    for f in snapshot.tables[table].fields:
        if f["name"] == column:
            return f
    raise KeyError(f"the issue form asks for {table}.{column}, which the schema does not have")


def issue_form(snapshot: Snapshot) -> str:
    """The issue form ``.github/ISSUE_TEMPLATE/add-event.yml``, with the package's vocabularies
    (written by scripts/build.py, so it never drifts from the schemas)."""
    roles = ", ".join(_constraints(snapshot.tables["event_actors"], "role").get("enum", []))
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "Propose one event with the source that reports it. When a maintainer "
                "labels this issue `add-event`, a workflow turns your answers into rows "
                "(`libya-events add --from-issue-body`), checks them, and opens a pull request; "
                "what it finds wrong is posted here. Leave out what you don't know."
            },
        }
    ]
    for q in FORM:
        described = _field(snapshot, q.table, q.column) if q.column else {}
        text = " ".join(p for p in (described.get("description", ""), q.hint) if p)
        attributes: dict[str, Any] = {"label": q.label, "description": text.format(roles=roles)}
        if q.kind == "dropdown":
            attributes["options"] = list(_constraints(snapshot.tables[q.table], q.column)["enum"])
        item: dict[str, Any] = {"type": q.kind, "id": q.id, "attributes": attributes}
        if q.required:
            item["validations"] = {"required": True}
        body.append(item)
    form = {
        "name": "Add an event",
        "description": "Propose an event, who took part, its source and a quote for the dataset.",
        "title": "Add event: ",
        "labels": ["contribution"],
        "body": body,
    }
    head = (
        "# Generated by scripts/build.py from the Table Schemas and libya_events/add.py (FORM);\n"
        "# edit those, not this file. Answers are read by `libya-events add --from-issue-body`.\n"
    )
    return head + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=100)


def issue_sections(body: str) -> dict[str, tuple[str, int]]:
    """The answers of an issue form's body by label, with the line each starts on.

    GitHub writes each answer as ``### Label``, a blank line and the answer, and
    ``_No response_`` for one left empty (here: ``""``).
    """
    out: dict[str, tuple[str, int]] = {}
    lines = body.replace("\r\n", "\n").split("\n")
    heads = [n for n, text in enumerate(lines) if text.startswith("### ")]
    for at, start in enumerate(heads):
        end = heads[at + 1] if at + 1 < len(heads) else len(lines)
        chunk = lines[start + 1 : end]
        first = next((n for n, text in enumerate(chunk) if text.strip()), len(chunk))
        value = "\n".join(chunk).strip()
        out[lines[start][4:].strip()] = ("" if value == NO_RESPONSE else value, start + 2 + first)
    return out


def contribution_from_issue_body(
    body: str, snapshot: Snapshot, name: str = "issue body"
) -> Contribution:
    """The contribution an issue written with the add-event form asks for: the event, one
    event_actors row per participant line, the source, and the quote if there is one."""
    answers = issue_sections(body)
    rows: dict[str, Row] = {}
    out = Contribution(name, [])
    for q in FORM:
        value, line = answers.get(q.label, ("", None))
        if not value or not q.column:
            continue
        row = rows.setdefault(q.table, Row(q.table, 0, line, {}))
        row.cells[q.column] = value
        row.lines[q.column] = line
    event = rows.get("events", Row("events", 0, None, {}))
    rows["events"] = event
    if not event.cells.get("event_id"):
        try:
            made, source = derive_id(snapshot.tables["events"], event.cells)
            event.cells["event_id"] = made
            out.notes.append(f"{event.at('event_id')}: {made!r}, made of {source}")
        except ValueError:
            pass  # `add` says that it is needed
    event_id = event.cells.get("event_id", "")
    if "statements" in rows:  # the quote was made at the event
        rows["statements"].cells["event_id"] = event_id
    participants = next(q for q in FORM if not q.column)
    value, first = answers.get(participants.label, ("", 0))
    actors = []
    for offset, text in enumerate(value.split("\n") if value else []):
        words = re.split(r"[\s,;]+", text.strip().lstrip("-*").strip())
        if not words or words == [""]:
            continue
        if len(words) > len(PARTICIPANT_FIELDS) or len(words) < 2:
            raise ContributionError(
                f"{participants.label}: {text.strip()!r} is not 'actor-id role' or "
                "'actor-id role affiliation-id'",
                name,
                first + offset,
            )
        cells = {"event_id": event_id, **dict(zip(PARTICIPANT_FIELDS, words, strict=False))}
        row = Row("event_actors", len(actors), first + offset, cells)
        row.lines = {column: first + offset for column in cells}
        actors.append(row)
    for table in snapshot.tables:  # the package's table order
        if table in rows:
            out.rows.append(rows[table])
            out.tables[table] = rows[table].line
        if table == "event_actors" and actors:
            out.rows += actors
            out.tables[table] = actors[0].line
    return out


# --- the template -------------------------------------------------------------------------------

#: The tables of a contribution of one event, as `template` lays them out.
TEMPLATE_TABLES = ("sources", "events", "event_actors", "statements")


def template(snapshot: Snapshot) -> str:
    """A commented contribution file for one event, listing every column of the tables it
    touches with its description and vocabulary, taken from the package's Table Schemas."""
    out = [
        "# A contribution to libya-events: one event, who took part, its source and a quote.",
        "# Fill in what you know and leave the rest empty (an empty value is an empty cell);",
        "# then `libya-events add FILE --dry-run` shows what would change, and",
        "# `libya-events add FILE` adds it. An id left empty where it says so is made of the",
        "# row's text and date and printed; a source_id left empty is this file's one source;",
        "# a source whose url the package has already is that source. Actors must be in",
        "# data/actors.csv or be added under 'actors:'. Rules: docs/codebook.md.",
    ]
    for name in [t for t in snapshot.tables if t in TEMPLATE_TABLES]:
        table = snapshot.tables[name]
        parts = _id_parts(table)
        out += ["", f"{name}:", "  -"]
        for f in table.fields:
            c = f.get("constraints") or {}
            notes = ["required" if c.get("required") else "optional"]
            if parts and f["name"] == parts[0]:
                notes = [f"may be left empty: made of {parts[2][0]} and a date"]
            if "enum" in c:
                notes.append("one of: " + ", ".join(str(v) for v in c["enum"]))
            elif f.get("type") == "date":
                notes.append("YYYY-MM-DD")
            elif "pattern" in c:
                notes.append(f"pattern {c['pattern']}")
            comment = f"{f.get('description', '').strip()} ({'; '.join(notes)})"
            wrap = textwrap.TextWrapper(96, "    # ", "    # ", break_on_hyphens=False)
            out += wrap.wrap(comment)
            out.append(f"    {f['name']}:")
    return "\n".join(out) + "\n"
