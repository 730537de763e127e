"""The table layer: header, rows, types, constraints and keys against each Table Schema.

Columnar: every check runs on a whole column at once (pyarrow kernels, numpy), and the few
checks that need Python (a date's parse, a URI's syntax) run once per distinct value. The
error types and their semantics follow frictionless-py, which a differential test holds us to:
the same rows are flagged for the same faults. Where frictionless reports one fault twice
(a blank row is also a primary-key error; a missing cell also a required one) we report it once.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code
from libya_events.validate import arrow, cells
from libya_events.validate.arrow import mask
from libya_events.validate.context import TableState
from libya_events.validate.text import keep

_FAST_STRING_CONSTRAINTS = {"required", "unique", "pattern", "enum", "minLength", "maxLength"}
_TYPE_NAMES = {
    "date": "date (YYYY-MM-DD)",
    "datetime": "datetime (YYYY-MM-DDThh:mm:ssZ)",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean (true or false)",
    "year": "year (YYYY)",
}


# -- helpers shared with the record layer ----------------------------------------------------------


#: From this many cells on, a pattern is matched against the distinct values only.
_DISTINCT_FROM = 10_000


def regex_mask(
    values: pa.Array, pattern: str, *, search: bool = False, simple: np.ndarray | None = None
) -> np.ndarray:
    """Where ``values`` match ``pattern`` as Python's ``re.match`` (or ``re.search``) would.

    Cells of printable ASCII go to RE2 (linear time, vectorised), anchored to behave as
    ``re.match``; for them the two engines agree. Any other cell, or every cell when RE2 cannot
    compile the pattern, is matched by Python's ``re``, once per distinct value. Nulls match.
    A long column is matched once per distinct value (ids repeat: encoding them costs less than
    matching every cell).
    """
    if len(values) == 0:
        return np.ones(0, dtype=bool)
    compiled = re.compile(pattern)  # raises re.error for a pattern Python cannot read
    if len(values) >= _DISTINCT_FROM and pa.types.is_string(values.type):
        encoded = values.dictionary_encode()
        distinct = _regex_mask(encoded.dictionary, compiled, search, None)
        at = arrow.positions(encoded.indices)
        result = np.ones(len(values), dtype=bool)  # a null matches
        result[at >= 0] = distinct[at[at >= 0]]
        return result
    return _regex_mask(values, compiled, search, simple)


def _regex_mask(
    values: pa.Array, compiled: re.Pattern[str], search: bool, simple: np.ndarray | None
) -> np.ndarray:
    n = len(values)
    result = np.ones(n, dtype=bool)
    if n == 0:
        return result
    pattern = compiled.pattern
    valid = arrow.valid(values)
    rest = valid.copy()
    try:
        fast = mask(pc.match_substring_regex(values, pattern if search else f"^(?:{pattern})"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        fast = None
    if fast is not None:
        if simple is None:
            simple = mask(pc.ascii_is_printable(values))
        simple = simple & valid
        result[simple] = fast[simple]
        rest &= ~simple
    index = np.flatnonzero(rest)
    if index.size:
        test = compiled.search if search else compiled.match
        encoded = values.take(arrow.from_numpy(index)).dictionary_encode()
        ok = np.array([bool(test(v)) for v in encoded.dictionary.to_pylist()], dtype=bool)
        result[index] = ok[encoded.indices.to_numpy(zero_copy_only=False)]
    return result


def codes(values: pa.Array) -> np.ndarray:
    """An int64 code per value, equal values sharing a code; -1 for null."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    indices = values.dictionary_encode().indices
    return arrow.positions(indices)


def repeats(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows whose key (>= 0) appeared before, the row it last appeared at)."""
    index = np.flatnonzero(keys >= 0)
    order = index[np.argsort(keys[index], kind="stable")]
    sorted_keys = keys[order]
    same = sorted_keys[1:] == sorted_keys[:-1]
    return order[1:][same], order[:-1][same]


def combine(parts: list[np.ndarray]) -> np.ndarray:
    """One code per row for a tuple of code columns (null parts count as a value)."""
    combined = parts[0] + 1
    for part in parts[1:]:
        combined = combined * (int(part.max(initial=-1)) + 2) + (part + 1)
        combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
    return combined


# -- header and row structure ---------------------------------------------------------------


def check_header(state: TableState) -> None:
    """Header labels against the schema's field names, by position (as frictionless)."""
    sheet, spec = state.sheet, state.spec
    assert sheet is not None
    if sheet.header_line is None:
        return
    names = spec.field_names
    labels = sheet.labels
    if labels and names and not set(labels) & set(names) and len(labels) == len(names):
        state.add(Code.MISSING_HEADER, line=sheet.header_line, header=",".join(names))
        _header_as_row(state)
        return
    for j in range(max(len(labels), len(names))):
        position = j + 1
        if j >= len(labels):
            state.add(Code.MISSING_LABEL, line=sheet.header_line, field=names[j], position=position)
        elif j >= len(names):
            state.add(
                Code.EXTRA_LABEL,
                line=sheet.header_line,
                field=None,
                value=labels[j],
                label=labels[j],
                position=position,
            )
        elif labels[j] == "":
            state.add(Code.BLANK_LABEL, line=sheet.header_line, field=names[j], position=position)
        elif labels[j] in labels[:j]:
            state.add(
                Code.DUPLICATE_LABEL,
                line=sheet.header_line,
                field=names[j],
                value=labels[j],
                label=labels[j],
                position=position,
                first=labels.index(labels[j]) + 1,
            )
        elif labels[j] != names[j]:
            state.add(
                Code.INCORRECT_LABEL,
                line=sheet.header_line,
                field=names[j],
                value=labels[j],
                label=labels[j],
                position=position,
            )


def _header_as_row(state: TableState) -> None:
    """Treat line 1 as a data row (the header is missing); labels become the field names."""
    sheet = state.sheet
    assert sheet is not None and sheet.header_line is not None
    labels = sheet.labels
    sheet.columns = [
        pa.concat_arrays([pa.array([label], pa.string()), col.cast(pa.string())])
        for label, col in zip(labels, sheet.columns, strict=True)
    ]
    sheet.ncells = np.concatenate([[len(labels)], sheet.ncells]).astype(np.int32)
    sheet.lines = np.concatenate([[sheet.header_line], sheet.lines]).astype(np.int64)
    sheet.rows = np.arange(1, len(sheet.lines) + 1, dtype=np.int64)
    sheet.extras = {i + 1: cells for i, cells in sheet.extras.items()}
    sheet.bad_bytes = [(0 if i is None else i + 1, j, v) for i, j, v in sheet.bad_bytes]
    if sheet.unclosed is not None:
        index, column, line = sheet.unclosed
        sheet.unclosed = (index + 1, column, line)
    sheet.labels = list(state.spec.field_names)
    sheet.header_line = None
    state.claimed_rows = None
    state.claimed = {}
    state.cache = {}


def missing_mask(state: TableState, column: int) -> np.ndarray:
    """Cells at ``column`` that hold no value: a missing value, or beyond the row's end."""
    return state.missing(column)


def check_rows(state: TableState) -> None:
    """Rows repeating the header, blank rows, rows with too many or too few cells."""
    sheet = state.sheet
    assert sheet is not None
    n, width = sheet.nrows, sheet.width
    if n == 0:
        return
    free = state.free()
    if sheet.header_line is not None and width:
        same = sheet.ncells == width
        for j, col in enumerate(sheet.columns):
            if not same.any():
                break
            same &= mask(pc.equal(col, sheet.labels[j]))
        for index in np.flatnonzero(same & free).tolist():
            state.add(Code.DUPLICATE_HEADER, index)
        state.claim_rows(same)
        free &= ~same
    blank = np.ones(n, dtype=bool)
    for j in range(width):
        blank &= missing_mask(state, j)
    for index in np.flatnonzero(blank & free).tolist():
        state.add(Code.BLANK_ROW, index)
    state.claim_rows(blank)
    free &= ~blank
    for index, extra in sorted(sheet.extras.items()):
        if free[index]:
            count = width + len(extra)
            state.add(
                Code.EXTRA_CELL,
                index,
                field=None,
                value=extra[0],
                count=count,
                extra=len(extra),
                expected=width,
            )
    short = np.flatnonzero((sheet.ncells < width) & free)
    for index in short.tolist():
        count = int(sheet.ncells[index])
        state.add(
            Code.MISSING_CELL,
            index,
            count,
            count=count,
            expected=width,
        )
        for j in range(count, width):
            state.claim(j, index)


# -- types and constraints -------------------------------------------------------------------


def check_fields(state: TableState) -> None:
    """Types and per-cell constraints of each field; fills ``state.typed`` and ``state.present``.

    Anything the vectorised string path does not cover is read once per distinct value by
    frictionless's cell reader for the field (`cells.reader`'s copy of it where there is one).
    """
    sheet, spec = state.sheet, state.spec
    assert sheet is not None
    n = sheet.nrows
    for j, field in enumerate(spec.fields):
        name = field.get("name")
        if not isinstance(name, str) or j >= sheet.width:
            continue
        values = sheet.columns[j]
        present = ~missing_mask(state, j)
        rows_free = state.free()
        constraints = field.get("constraints") or {}
        if constraints.get("required"):
            empty = ~present & state.free(j)
            for index in np.flatnonzero(empty).tolist():
                state.add(Code.CONSTRAINT_ERROR, index, j, detail="is empty but required")
            state.claim(j, empty)
        ftype = field.get("type", "string")
        fmt = field.get("format", "default")
        if (
            ftype == "string"
            and fmt in (None, "default")
            and set(constraints) <= (_FAST_STRING_CONSTRAINTS)
        ):
            typed = keep(values, present)
            _string_constraints(state, j, values, present & rows_free, constraints)
        else:
            try:
                typed = _read_distinct(state, j, values, present & rows_free)
            except _Unusable as exc:
                state.add(
                    Code.DESCRIPTOR_INVALID,
                    field=name,
                    path=state.spec.schema_path or "datapackage.json",
                    note=f"field {name!r} cannot be applied: frictionless fails on it ({exc})",
                )
                state.claim(j, np.ones(n, dtype=bool))
                typed = pa.nulls(n)
        state.typed[name] = typed
        state.present[name] = present
        state.columns[name] = j


def _string_constraints(
    state: TableState, j: int, values: pa.Array, check: np.ndarray, constraints: dict[str, Any]
) -> None:
    failing: list[tuple[np.ndarray, str, Any]] = []
    if "minLength" in constraints or "maxLength" in constraints:
        lengths = np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False))
        if isinstance(constraints.get("minLength"), int):
            failing.append((lengths < constraints["minLength"], "minLength", None))
        if isinstance(constraints.get("maxLength"), int):
            failing.append((lengths > constraints["maxLength"], "maxLength", None))
    if isinstance(constraints.get("pattern"), str):
        pattern = constraints["pattern"]
        try:
            hits = ~regex_mask(values, f"^{pattern}$", simple=state.printable(j))
        except re.error as exc:
            state.add(
                Code.CONSTRAINT_ERROR,
                field=state.label(j),
                detail=f"has a pattern that is not a regular expression ({exc}); not checked",
            )
        else:
            failing.append((hits, "pattern", pattern))
    if isinstance(constraints.get("enum"), list):
        allowed = [v for v in constraints["enum"] if isinstance(v, str)]
        hits = ~mask(pc.is_in(values, value_set=pa.array(allowed, pa.string())))
        failing.append((hits, "enum", allowed))
    for hits, name, _ in failing:
        hits &= check & state.free(j)
        for index in np.flatnonzero(hits).tolist():
            value = values[index].as_py()
            state.add(
                Code.CONSTRAINT_ERROR,
                index,
                j,
                value=value,
                detail=_constraint_detail(name, constraints[name], value),
            )
        state.claim(j, hits)


def _constraint_detail(name: str, constraint: Any, value: Any) -> str:
    shown = repr(value)
    if name == "pattern":
        return f"{shown} does not match the pattern {constraint}"
    if name == "enum":
        options = ", ".join(map(str, constraint))
        return f"{shown} is not one of: {options}"
    if name == "minimum":
        return f"{shown} is below the minimum {constraint}"
    if name == "maximum":
        return f"{shown} is above the maximum {constraint}"
    if name == "exclusiveMinimum":
        return f"{shown} is not above {constraint}"
    if name == "exclusiveMaximum":
        return f"{shown} is not below {constraint}"
    if name == "minLength":
        return f"{shown} is shorter than {constraint} characters"
    if name == "maxLength":
        return f"{shown} is longer than {constraint} characters"
    return f"{shown} breaks the constraint {name} {constraint!r}"


class _Unusable(Exception):
    """frictionless accepted a field's definition but fails when it reads a cell with it."""


@dataclass(frozen=True)
class _Field:
    """What reading a field's cells needs: its cell reader, type, format and constraints."""

    read: cells.CellReader
    type: str
    format: str
    constraints: dict[str, Any]


def _field_reader(state: TableState, j: int) -> _Field:
    """The cell reader of field ``j``: a copy of frictionless's (`cells.reader`) where there is
    one, else frictionless's own (frictionless is imported only then)."""
    field = state.spec.fields[j]
    missing = state.spec.schema.get("missingValues", [""]) if state.spec.schema else [""]
    if isinstance(missing, list) and all(isinstance(v, str) for v in missing):
        read = cells.reader(field, missing)
        if read is not None:
            constraints = field.get("constraints") or {}
            ftype, fmt = field.get("type", "string"), field.get("format", "default")
            return _Field(read, ftype, fmt, constraints)
    theirs = _frictionless_schema(json.dumps(state.spec.schema, sort_keys=True)).fields[j]
    return _Field(theirs.create_cell_reader(), theirs.type, theirs.format, theirs.constraints)


@functools.lru_cache(maxsize=64)
def _frictionless_schema(text: str) -> Any:
    from frictionless import Schema

    from libya_events.validate.package import strip_profiles

    schema = json.loads(text)
    strip_profiles(schema)
    return Schema.from_descriptor(schema)


def _read_distinct(state: TableState, j: int, values: pa.Array, check: np.ndarray) -> pa.Array:
    """Parse and check each distinct value with the field's cell reader; typed result."""
    n = len(values)
    index = np.flatnonzero(check)
    if index.size == 0:
        return pa.nulls(n)
    field = _field_reader(state, j)
    reader = field.read
    encoded = values.take(arrow.from_numpy(index)).dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    try:
        results = [reader(v) for v in distinct]
    except Exception as exc:  # noqa: BLE001 - frictionless's reader on a schema it accepted
        raise _Unusable(f"{type(exc).__name__}: {exc}") from exc
    typed_distinct = [_arrow_value(target) for target, _ in results]
    positions = encoded.indices.to_numpy(zero_copy_only=False)
    free = state.free(j)
    bad_type = np.zeros(n, dtype=bool)
    bad_constraint = np.zeros(n, dtype=bool)
    notes_at: dict[int, dict[str, str]] = {}
    for k, (_, notes) in enumerate(results):
        if notes:
            notes_at[k] = notes
    for k, notes in notes_at.items():
        rows = index[positions == k]
        rows = rows[free[rows]]
        for row in rows.tolist():
            value = distinct[k]
            if "type" in notes:
                expected = _TYPE_NAMES.get(field.type, field.type)
                if field.format not in (None, "default"):
                    expected = f"{field.type} in format {field.format!r}"
                state.add(Code.TYPE_ERROR, row, j, value=value, expected=expected)
                bad_type[row] = True
            else:
                details = [
                    _constraint_detail(name, field.constraints.get(name), value) for name in notes
                ]
                state.add(Code.CONSTRAINT_ERROR, row, j, value=value, detail="; ".join(details))
                bad_constraint[row] = True
    state.claim(j, bad_type | bad_constraint)
    try:
        pool = pa.array(typed_distinct)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pool = pa.array([None if v is None else str(v) for v in typed_distinct], pa.string())
    full = np.full(n, -1, dtype=np.int64)
    full[index] = positions  # a value that did not parse is None in the pool
    return pool.take(arrow.from_numpy(full, valid=full >= 0))


def _arrow_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, dt.date | dt.time | bool | int | float | str):
        return value
    return str(value)


# -- keys ------------------------------------------------------------------------------------


def check_keys(state: TableState) -> None:
    """Unique fields and the primary key, on typed values."""
    spec = state.spec
    if state.sheet is None or state.nrows == 0:
        return
    free_rows = state.free()
    pk = spec.schema.get("primaryKey") if spec.schema else None
    if isinstance(pk, str):
        pk = [pk]
    pk = [f for f in pk or [] if isinstance(f, str)]
    pk_ok = bool(pk) and all(f in state.typed for f in pk)
    for field in spec.fields:
        name = field.get("name")
        if name not in state.typed or not (field.get("constraints") or {}).get("unique"):
            continue
        if pk_ok and pk == [name]:
            continue  # the primary-key finding names the same fault
        j = state.columns[name]
        keys = codes(state.typed[name])
        keys[~(free_rows & state.free(j))] = -1
        dup, prev = repeats(keys)
        for index, before in zip(dup.tolist(), prev.tolist(), strict=True):
            state.add(
                Code.UNIQUE_ERROR,
                index,
                j,
                value=state.typed[name][index].as_py(),
                first=int(state.sheet.lines[before]),
            )
    if not pk_ok or _strictly_increasing([state.typed[f] for f in pk]):
        return  # keys in strictly increasing order (as the package sorts them) never repeat
    parts = [codes(state.typed[f]) for f in pk]
    all_null = np.logical_and.reduce([p < 0 for p in parts])
    claimed_any = np.logical_or.reduce([~state.free(state.columns[f]) for f in pk])
    keys = combine(parts)
    keys[~free_rows | all_null] = -1
    for index in np.flatnonzero(all_null & free_rows & ~claimed_any).tolist():
        state.add(Code.PRIMARY_KEY, index, field=pk[0], key=f"({', '.join(pk)})", detail="is empty")
    keys[claimed_any] = -1
    dup, prev = repeats(keys)
    for index, before in zip(dup.tolist(), prev.tolist(), strict=True):
        shown = ", ".join(str(state.typed[f][index].as_py()) for f in pk)
        state.add(
            Code.PRIMARY_KEY,
            index,
            field=pk[0],
            value=shown,
            key=f"({', '.join(pk)}) = ({shown})",
            detail=f"repeats line {int(state.sheet.lines[before])}",
        )


def _strictly_increasing(columns: list[pa.Array]) -> bool:
    """True when string key columns without an empty cell hold row-by-row increasing tuples
    (so every key is distinct); False when that is not so or not known."""
    if not all(pa.types.is_string(c.type) and c.null_count == 0 for c in columns):
        return False
    n = len(columns[0])
    if n < 2:
        return True
    increasing = None
    for column in reversed(columns):
        this, after = column.slice(0, n - 1), column.slice(1)
        less = pc.less(this, after)
        if increasing is not None:
            less = pc.or_(less, pc.and_(pc.equal(this, after), increasing))
        increasing = less
    return bool(pc.all(increasing).as_py())


def check_foreign_keys(state: TableState, tables: dict[str, TableState]) -> None:
    """Every declared foreign key of the table against the rows of the table it references.

    A referenced table that could not be read is skipped (its own finding says why), instead
    of turning every reference to it into an error.
    """
    if not state.usable or state.nrows == 0:
        return
    for target, fields, ref_fields in _foreign_keys(state, tables):
        _check_fk(state, target, fields, ref_fields, tables)


def _foreign_keys(
    state: TableState, tables: dict[str, TableState]
) -> Iterator[tuple[TableState, list[str], list[str]]]:
    """(referenced table, fields, referenced fields) of each foreign key that can be checked."""
    spec = state.spec
    for fk in spec.items("foreignKeys"):
        if not isinstance(fk.get("reference"), dict):
            continue
        fields = fk.get("fields")
        ref = fk["reference"]
        ref_fields = ref.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        if not isinstance(fields, list) or not isinstance(ref_fields, list):
            continue
        target_name = ref.get("resource") or spec.name
        target = tables.get(target_name)
        if target is None or not target.usable:
            continue
        if not all(f in state.typed for f in fields):
            continue
        if not all(f in target.typed for f in ref_fields):
            continue
        yield target, fields, ref_fields


def _shared_lookups(tables: dict[str, TableState], target: TableState, ref_field: str) -> None:
    """For every single-field foreign key pointing at ``target.ref_field``, where each of its
    values first occurs among all of the target's values (``state.lookups``; -1: nowhere).

    One dictionary encoding of the referenced column and all the columns pointing at it: the
    hash table of the referenced ids is built once, however many tables point at them.
    """
    ref_values = target.typed[ref_field]
    sources = [
        (state, fields[0])
        for state in tables.values()
        if state.usable and state.nrows
        for t, fields, ref_fields in _foreign_keys(state, tables)
        if t is target
        and len(fields) == 1
        and ref_fields == [ref_field]
        and state.typed[fields[0]].type == ref_values.type
    ]
    if not sources:
        return
    encoded = pa.chunked_array(
        [ref_values, *(state.typed[f] for state, f in sources)], ref_values.type
    ).dictionary_encode()
    if encoded.num_chunks != len(sources) + 1:
        return  # an empty column dropped a chunk: each key is looked up on its own
    codes = [arrow.positions(c.indices) for c in encoded.chunks]
    size = max(int(c.max(initial=-1)) for c in codes) + 1
    first = np.full(size + 1, -1, dtype=np.int64)  # first[-1]: an empty cell matches nothing
    seen, rows = _first_rows(codes[0])
    first[seen] = rows
    for (state, field), found in zip(sources, codes[1:], strict=True):
        state.lookups[(field, target.spec.name, ref_field)] = first[found]


def _first_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each code >= 0, the row where it first occurs).

    Dictionary encoding numbers values in the order they first occur, so a code's first row is
    where the running maximum of the codes rises: one pass instead of a sort. Checked, and
    sorted after all if the codes ever come in another order.
    """
    if codes.size == 0:
        return codes, codes
    rows = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    seen = codes[rows]
    if np.array_equal(seen, np.arange(len(seen))):
        return seen, rows
    seen, rows = np.unique(codes, return_index=True)
    return seen[seen >= 0], rows[seen >= 0]


def _check_fk(
    state: TableState,
    target: TableState,
    fields: list[str],
    ref_fields: list[str],
    tables: dict[str, TableState] | None = None,
):
    sheet = state.sheet
    assert sheet is not None
    free = state.free()
    for f in fields:
        free &= state.free(state.columns[f])
    local = [state.typed[f] for f in fields]
    remote = [target.typed[f] for f in ref_fields]
    target_rows = target.free()
    if len(fields) == 1:
        values, ref_values = local[0], remote[0]
        present = arrow.valid(values)
        check = present & free
        if not check.any():
            return
        if values.type != ref_values.type:
            found = np.zeros(len(values), dtype=bool)
        else:
            key = ref_fields[0]
            shared = (fields[0], target.spec.name, key)
            if shared not in state.lookups and tables is not None:
                _shared_lookups(tables, target, key)
            if shared not in state.lookups:
                first = pc.index_in(values, value_set=ref_values, skip_nulls=True)
                at = arrow.positions(first)
                state.lookups[shared] = at
            at = state.lookups[shared]
            found = at >= 0
            found[found] = target_rows[at[found]]
            # A value whose first row in the target is left out may still be on a later row.
            again = np.flatnonzero((at >= 0) & ~found)
            if again.size:
                if key not in target.pools:
                    rows = arrow.from_numpy(target_rows)
                    target.pools[key] = pc.unique(ref_values.filter(rows).drop_null())
                pool = target.pools[key]
                found[again] = mask(pc.is_in(values.take(arrow.from_numpy(again)), value_set=pool))
        bad = np.flatnonzero(check & ~found)
        shown = {i: [values[i].as_py()] for i in bad.tolist()}
    else:
        rows = list(zip(*(col.to_pylist() for col in local), strict=True))
        pool_rows = zip(*(col.to_pylist() for col in remote), strict=True)
        pool = {
            t
            for t, ok in zip(pool_rows, target_rows.tolist(), strict=True)
            if ok and any(v is not None for v in t)
        }
        bad = np.array(
            [
                i
                for i, t in enumerate(rows)
                if free[i] and any(v is not None for v in t) and t not in pool
            ],
            dtype=np.int64,
        )
        shown = {i: list(rows[i]) for i in bad.tolist()}
    ref_table = target.spec.name
    for index in bad.tolist():
        values_shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in shown[index])
        state.add(
            Code.FOREIGN_KEY,
            index,
            state.columns[fields[0]],
            value=", ".join(str(v) for v in shown[index]),
            fields=", ".join(fields),
            values=values_shown,
            ref_table=ref_table,
            ref_fields=", ".join(ref_fields),
            ref_path=target.spec.path,
        )
        for f in fields:
            state.claim(state.columns[f], index)
