"""What changed between two releases of the data package, and the version bump it requires.

`diff(old, new)` compares two package directories (or `git:REV` for a revision of the
repository holding NEW): per table, rows added, removed and changed by primary key with the
changed cells' old and new text, and every schema change with the bump it needs:

- major: a change that can break a reader or invalidate a record the old schema accepted:
  a table, column or vocabulary value removed, a column renamed, a type changed, a constraint
  tightened or added, a key changed, a file moved, a row removed without a retired_ids record;
- minor: an addition: rows, tables, columns, vocabulary values, a constraint loosened or
  dropped, a row retired with a record;
- patch: a correction: a cell value, a description or label.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libya_events import _formats
from libya_events.errors import VersionError
from libya_events.release import Bump, bump_between
from libya_events.snapshot import Key, Snapshot, Table, checkout, read_package
from libya_events.stable_ids import id_text, removals

FORMATS = _formats.DIFF

MAJOR, MINOR, PATCH = Bump.MAJOR, Bump.MINOR, Bump.PATCH


@dataclass(frozen=True)
class SchemaChange:
    """One change to the descriptor or a Table Schema; `table`/`field` are "" when not about one."""

    table: str
    field: str
    change: str
    detail: str
    bump: Bump

    def to_dict(self) -> dict[str, str]:
        return {
            "table": self.table,
            "field": self.field,
            "change": self.change,
            "detail": self.detail,
            "bump": str(self.bump),
        }


@dataclass(frozen=True)
class RowChange:
    """A row whose key is in both versions, with {field: (old, new)} for each changed cell."""

    key: Key
    fields: dict[str, tuple[str, str]]


@dataclass(frozen=True)
class TableDiff:
    name: str
    primary_key: list[str]
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    retired: list[Key] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    schema: list[SchemaChange] = field(default_factory=list)
    note: str = ""

    @property
    def bump(self) -> Bump:
        bumps = [c.bump for c in self.schema]
        bumps += [MAJOR] if self.removed else []
        bumps += [MINOR] if self.added or self.retired else []
        bumps += [PATCH] if self.changed else []
        return max(bumps, default=Bump.NONE)

    @property
    def empty(self) -> bool:
        return self.bump is Bump.NONE and not self.note


@dataclass(frozen=True)
class Diff:
    old_version: str
    new_version: str
    package: list[SchemaChange]
    tables: list[TableDiff]

    @property
    def required(self) -> Bump:
        """The smallest bump the changes require."""
        return max(
            [c.bump for c in self.package] + [t.bump for t in self.tables], default=Bump.NONE
        )

    @property
    def declared(self) -> Bump | None:
        """The bump from OLD's version to NEW's; None when NEW's does not follow OLD's."""
        try:
            return bump_between(self.old_version, self.new_version)
        except VersionError:
            return None

    def reasons(self) -> list[str]:
        """Why the required bump is what it is: each change of that size, briefly."""
        need = self.required
        out = [c.detail for c in self.package if c.bump is need]
        for t in self.tables:
            out += [f"{t.name}: {c.detail}" for c in t.schema if c.bump is need]
            if need is MAJOR and t.removed:
                out.append(f"{t.name}: {len(t.removed)} row(s) removed without a retired_ids row")
            if need is MINOR and t.added:
                out.append(f"{t.name}: {len(t.added)} row(s) added")
            if need is MINOR and t.retired:
                out.append(f"{t.name}: {len(t.retired)} row(s) retired")
            if need is PATCH and t.changed:
                out.append(f"{t.name}: {len(t.changed)} row(s) changed")
        return out

    def check_bump(self) -> tuple[bool, str]:
        """Whether NEW's version is a large enough step from OLD's, and a one-line verdict."""
        need = self.required
        try:
            have = bump_between(self.old_version, self.new_version)
        except VersionError as exc:
            return False, f"version check failed: {exc}"
        step = (
            f"{self.old_version} -> {self.new_version} is a {have} bump"
            if have is not Bump.NONE
            else f"the version stays {self.new_version}"
        )
        if have >= need:
            return True, f"version check passed: {step}; the changes require {need}"
        wanted = ", ".join(self.reasons())
        return False, (
            f"version check failed: {step}, the changes require {need} ({wanted}); "
            f"set the version in datapackage.json to {_successor(self.old_version, need)}"
        )

    def to_dict(self) -> dict[str, Any]:
        declared = self.declared
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "required_bump": str(self.required),
            "declared_bump": str(declared) if declared is not None else None,
            "bump_ok": self.check_bump()[0],
            "package": [c.to_dict() for c in self.package],
            "tables": {t.name: _table_dict(t) for t in self.tables if not t.empty},
        }

    def render(self, fmt: str = "text") -> str:
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "markdown":
            return _markdown(self)
        if fmt == "text":
            return _text(self)
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _successor(version: str, bump: Bump) -> str:
    from libya_events.release import Version

    try:
        return str(Version.parse(version).bumped(bump))
    except VersionError:
        return "a valid MAJOR.MINOR.PATCH"


def _key_dict(primary_key: list[str], key: Key) -> dict[str, str]:
    return dict(zip(primary_key, key, strict=True))


def _table_dict(t: TableDiff) -> dict[str, Any]:
    pk = t.primary_key
    return {
        "primary_key": pk,
        "bump": str(t.bump),
        "added": [_key_dict(pk, k) for k in t.added],
        "removed": [_key_dict(pk, k) for k in t.removed],
        "retired": [_key_dict(pk, k) for k in t.retired],
        "changed": [
            {
                "key": _key_dict(pk, c.key),
                "fields": {f: {"old": o, "new": n} for f, (o, n) in c.fields.items()},
            }
            for c in t.changed
        ],
        "schema": [c.to_dict() for c in t.schema],
        **({"note": t.note} if t.note else {}),
    }


# --- comparing ---------------------------------------------------------------------------------


def _constraints(f: dict[str, Any]) -> dict[str, Any]:
    return dict(f.get("constraints", {}))


def _canon(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False)


_BOUNDS = {"minimum": 1, "minLength": 1, "maximum": -1, "maxLength": -1}


def _field_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[SchemaChange]:
    name = new["name"]

    def change(kind: str, detail: str, bump: Bump) -> SchemaChange:
        return SchemaChange(table, name, kind, f"column {name}: {detail}", bump)

    for prop in ("type", "format"):
        if old.get(prop) != new.get(prop):
            before, after = old.get(prop, "default"), new.get(prop, "default")
            yield change(f"{prop}-changed", f"{prop} {before} -> {after}", MAJOR)
    before_c, after_c = _constraints(old), _constraints(new)
    for flag in ("required", "unique"):
        was, now = bool(before_c.pop(flag, False)), bool(after_c.pop(flag, False))
        if now and not was:
            yield change("constraint-tightened", f"now {flag}", MAJOR)
        elif was and not now:
            yield change("constraint-loosened", f"no longer {flag}", MINOR)
    was_enum, now_enum = before_c.pop("enum", None), after_c.pop("enum", None)
    if was_enum is not None and now_enum is not None:
        gone = [v for v in was_enum if v not in now_enum]
        added = [v for v in now_enum if v not in was_enum]
        if gone:
            yield change("enum-values-removed", f"vocabulary values removed: {_list(gone)}", MAJOR)
        if added:
            yield change("enum-values-added", f"vocabulary values added: {_list(added)}", MINOR)
    elif now_enum is not None:
        yield change("constraint-tightened", "now limited to a vocabulary", MAJOR)
    elif was_enum is not None:
        yield change("constraint-loosened", "no longer limited to a vocabulary", MINOR)
    for bound, direction in _BOUNDS.items():
        was, now = before_c.pop(bound, None), after_c.pop(bound, None)
        if was == now:
            continue
        if was is None or (now is not None and (now - was) * direction > 0):
            yield change("constraint-tightened", f"{bound} {_opt(was)} -> {_opt(now)}", MAJOR)
        else:
            yield change("constraint-loosened", f"{bound} {_opt(was)} -> {_opt(now)}", MINOR)
    for other in sorted(set(before_c) | set(after_c)):
        was, now = before_c.get(other), after_c.get(other)
        if was == now:
            continue
        if now is None:
            yield change("constraint-loosened", f"{other} constraint dropped", MINOR)
        else:
            yield change("constraint-tightened", f"{other} {_opt(was)} -> {_opt(now)}", MAJOR)
    old_cats = {c.get("value"): c for c in old.get("categories", [])}
    for cat in new.get("categories", []):
        before = old_cats.get(cat.get("value"))
        if before is not None and before != cat:
            props = sorted(k for k in set(before) | set(cat) if before.get(k) != cat.get(k))
            yield change(
                "category-changed", f"value {cat.get('value')!r}: {', '.join(props)} changed", PATCH
            )
    skip = {"name", "type", "format", "constraints", "categories"}
    for prop in sorted((set(old) | set(new)) - skip):
        if old.get(prop) != new.get(prop):
            yield change(f"{prop}-changed", f"{prop} changed", PATCH)


def _opt(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)


def _list(values: list[Any]) -> str:
    return ", ".join(str(v) for v in values)


def _schema_changes(name: str, old: Table, new: Table) -> list[SchemaChange]:
    out: list[SchemaChange] = []

    def add(kind: str, detail: str, bump: Bump, column: str = "") -> None:
        out.append(SchemaChange(name, column, kind, detail, bump))

    before = {f["name"]: f for f in old.fields}
    after = {f["name"]: f for f in new.fields}
    removed = [n for n in before if n not in after]
    added = [n for n in after if n not in before]
    old_names, new_names = old.field_names, new.field_names
    for gone in removed:
        position = old_names.index(gone)
        twin = new_names[position] if position < len(new_names) else None
        if twin in added and after[twin].get("type") == before[gone].get("type"):
            added.remove(twin)
            add("field-renamed", f"column {gone} renamed to {twin} (probably)", MAJOR, twin)
        else:
            add("field-removed", f"column {gone} removed", MAJOR, gone)
    for new_name in added:
        add("field-added", f"column {new_name} added", MINOR, new_name)
    common_old = [n for n in old_names if n in after]
    common_new = [n for n in new_names if n in before]
    if common_old != common_new:
        add("fields-reordered", "columns reordered (read columns by name)", MINOR)
    for column in common_new:
        out.extend(_field_changes(name, before[column], after[column]))
    if old.primary_key != new.primary_key:
        keys = f"{_list(old.primary_key) or 'none'} -> {_list(new.primary_key) or 'none'}"
        add("primary-key-changed", f"primary key {keys}", MAJOR)
    old_fks = {_canon(fk): fk for fk in old.schema.get("foreignKeys", [])}
    new_fks = {_canon(fk): fk for fk in new.schema.get("foreignKeys", [])}
    for text in new_fks.keys() - old_fks.keys():
        add("foreign-key-added", f"foreign key added: {_fk_text(name, new_fks[text])}", MAJOR)
    for text in old_fks.keys() - new_fks.keys():
        add("foreign-key-removed", f"foreign key removed: {_fk_text(name, old_fks[text])}", MINOR)
    if old.schema.get("missingValues", [""]) != new.schema.get("missingValues", [""]):
        add("missing-values-changed", "missingValues changed", MAJOR)
    old_rules = {_canon(r.get("rule")): r for r in old.schema.get("x-record-rules", [])}
    new_rules = {_canon(r.get("rule")): r for r in new.schema.get("x-record-rules", [])}
    for text in sorted(new_rules.keys() - old_rules.keys()):
        add("record-rule-added", f"record rule added: {new_rules[text].get('description')}", MAJOR)
    for text in sorted(old_rules.keys() - new_rules.keys()):
        rule = old_rules[text].get("description")
        add("record-rule-removed", f"record rule removed: {rule}", MINOR)
    for text in sorted(old_rules.keys() & new_rules.keys()):
        if old_rules[text].get("description") != new_rules[text].get("description"):
            add("record-rule-described", "record rule description changed", PATCH)
    if old.schema.get("description") != new.schema.get("description"):
        add("description-changed", "table description changed", PATCH)
    for prop in ("path", "format", "encoding", "dialect", "mediatype", "scheme"):
        if old.resource.get(prop) != new.resource.get(prop):
            add("resource-changed", f"resource {prop} changed", MAJOR)
    for prop in ("title", "description"):
        if old.resource.get(prop) != new.resource.get(prop):
            add("resource-described", f"resource {prop} changed", PATCH)
    return out


def _fk_text(table: str, fk: dict[str, Any]) -> str:
    ref = fk.get("reference", {})
    target = f"{ref.get('resource') or table}.{_list(ref.get('fields', []))}"
    return f"{_list(fk.get('fields', []))} -> {target}"


def _same(a: str, b: str, kind: str) -> bool:
    if a == b:
        return True
    if kind in ("number", "integer") and a and b:
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return False


def _row_changes(old: Table, new: Table) -> tuple[list[Key], list[RowChange]]:
    types = {f["name"]: f.get("type", "string") for f in new.fields}
    common = [n for n in new.field_names if n in old.field_names and n not in new.primary_key]
    before, after = old.by_key(), new.by_key()
    added = sorted(k for k in after if k not in before)
    changed = []
    for key in sorted(k for k in after if k in before):
        if before[key] == after[key]:
            continue
        cells = {
            n: (before[key].get(n, ""), after[key].get(n, ""))
            for n in common
            if not _same(before[key].get(n, ""), after[key].get(n, ""), types[n])
        }
        if cells:
            changed.append(RowChange(key, cells))
    return added, changed


_META_MAJOR = ("licenses",)
_META_PATCH = ("name", "title", "description", "keywords", "sources", "contributors", "homepage")


def compare(old: Snapshot, new: Snapshot) -> Diff:
    """The Diff between two packages already read."""
    package: list[SchemaChange] = []
    for prop in _META_MAJOR + _META_PATCH:
        if old.descriptor.get(prop) != new.descriptor.get(prop):
            bump = MAJOR if prop in _META_MAJOR else PATCH
            package.append(
                SchemaChange("", "", "descriptor-changed", f"package {prop} changed", bump)
            )
    for name in old.tables:
        if name not in new.tables:
            package.append(SchemaChange(name, "", "table-removed", f"table {name} removed", MAJOR))
    gone: dict[str, list[Key]] = {}
    kept: dict[str, list[Key]] = {}
    for r in removals(old, new):
        (kept if r.recorded_as else gone).setdefault(r.table, []).append(r.key)
    tables: list[TableDiff] = []
    for name, after in new.tables.items():
        before = old.tables.get(name)
        if before is None:
            package.append(SchemaChange(name, "", "table-added", f"table {name} added", MINOR))
            tables.append(TableDiff(name, after.primary_key, added=sorted(after.by_key())))
            continue
        schema = _schema_changes(name, before, after)
        if before.primary_key != after.primary_key or not after.primary_key:
            note = "rows not compared: the primary key changed or is missing"
            tables.append(TableDiff(name, after.primary_key, schema=schema, note=note))
            continue
        added, changed = _row_changes(before, after)
        tables.append(
            TableDiff(
                name,
                after.primary_key,
                added=added,
                removed=gone.get(name, []),
                retired=kept.get(name, []),
                changed=changed,
                schema=schema,
            )
        )
    return Diff(old.version, new.version, package, tables)


def diff(old: str | Path, new: str | Path = ".") -> Diff:
    """Compare data package OLD with NEW; either may be a directory or ``git:REV``.

    A ``git:REV`` is read from the git repository holding the other (directory) argument, or
    the current directory, at the same place inside it; the repository is only read.
    """
    repo = next((str(p) for p in (new, old) if not str(p).startswith("git:")), ".")
    with ExitStack() as stack:
        old_dir = stack.enter_context(checkout(old, repo))
        new_dir = stack.enter_context(checkout(new, repo))
        return compare(read_package(old_dir), read_package(new_dir))


# --- rendering ---------------------------------------------------------------------------------


def _header(d: Diff) -> list[str]:
    declared = d.declared
    return [
        f"libya-events {d.old_version} -> {d.new_version}",
        f"required bump: {d.required}; declared bump: "
        + (str(declared) if declared is not None else "none (the version does not follow)"),
    ]


def _text(d: Diff) -> str:
    lines = _header(d)
    for c in d.package:
        lines.append(f"[{c.bump}] {c.detail}")
    changed_tables = [t for t in d.tables if not t.empty]
    for t in changed_tables:
        lines.append("")
        lines.append(
            f"{t.name}: {len(t.added)} added, {len(t.removed)} removed, {len(t.retired)} retired, "
            f"{len(t.changed)} changed, {len(t.schema)} schema change(s) [{t.bump}]"
        )
        if t.note:
            lines.append(f"  ({t.note})")
        lines += [f"  [{c.bump}] {c.detail}" for c in t.schema]
        lines += [f"  + {id_text(k)}" for k in t.added]
        lines += [f"  - {id_text(k)}  (no retired_ids row: breaking)" for k in t.removed]
        lines += [f"  - {id_text(k)}  (retired)" for k in t.retired]
        for c in t.changed:
            lines.append(f"  ~ {id_text(c.key)}")
            lines += [f"      {f}: {o!r} -> {n!r}" for f, (o, n) in c.fields.items()]
    if not d.package and not changed_tables:
        lines.append("no changes")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    if not text:
        return "(empty)"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def _markdown(d: Diff) -> str:
    declared = d.declared
    out = [
        f"## Changes from {d.old_version} to {d.new_version}",
        "",
        f"Required version bump: **{d.required}**. Declared: **"
        + (str(declared) if declared is not None else "none, the version does not follow")
        + f"** ({d.old_version} → {d.new_version}).",
        "",
    ]
    if d.package:
        out += [f"- **{c.bump}**: {c.detail}" for c in d.package] + [""]
    changed_tables = [t for t in d.tables if not t.empty]
    if not changed_tables and not d.package:
        return "\n".join([*out, "No changes.", ""])
    if changed_tables:
        out += [
            "| table | added | removed | retired | changed | schema changes | bump |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        out += [
            f"| {t.name} | {len(t.added)} | {len(t.removed)} | {len(t.retired)} | "
            f"{len(t.changed)} | {len(t.schema)} | {t.bump} |"
            for t in changed_tables
        ]
    for t in changed_tables:
        out += ["", f"### {t.name}", ""]
        if t.note:
            out += [f"_{t.note}_", ""]
        if t.schema:
            out += [f"- **{c.bump}**: {c.detail}" for c in t.schema] + [""]
        for label, keys in (
            ("Added", t.added),
            ("Removed without a retired_ids row (breaking)", t.removed),
            ("Retired", t.retired),
        ):
            if keys:
                out += [f"{label}: " + ", ".join(f"`{id_text(k)}`" for k in keys), ""]
        if t.changed:
            out += ["| key | field | old | new |", "|---|---|---|---|"]
            for c in t.changed:
                for f, (o, n) in c.fields.items():
                    out.append(f"| `{id_text(c.key)}` | {f} | {_cell(o)} | {_cell(n)} |")
    text = "\n".join(line for n, line in enumerate(out) if line or (n and out[n - 1]))
    return text.strip("\n") + "\n"
