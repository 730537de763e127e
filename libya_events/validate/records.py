"""The record layer: every row as a JSON record against its table's JSON Schema (draft 2020-12).

A record is the row with its empty cells left out, numbers as JSON numbers and every other value
as the cell's text. The check is columnar and exact:

- ``required`` and each property's own keywords run per column (vectorised, or once per
  distinct value through jsonschema for keywords without a vectorised form);
- each record rule (an ``allOf`` entry) looks only at the properties it names, so rows are
  grouped by what the rule can see of them (which of those properties are present and how each
  value fares against the sub-schemas the rule applies to it), and jsonschema validates one
  representative record per group.

A cell the table layer already reported is not reported again here; a broken record rule (one
of the ``x-record-rules`` of the Table Schema) is a ``record-rule`` finding naming the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code
from libya_events.validate import arrow, judge
from libya_events.validate.arrow import mask
from libya_events.validate.context import TableState
from libya_events.validate.table import regex_mask
from libya_events.validate.text import keep

_NUMERIC = {"number", "integer", "boolean", "year"}
_VECTOR_KEYWORDS = {
    "description",
    "title",
    "$comment",
    "type",
    "pattern",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "format",
}
#: Object-level keywords whose outcome depends only on the properties they name.
_LOCAL_KEYWORDS = {
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "required",
    "properties",
    "$comment",
    "description",
    "title",
}


def _validator(schema: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


class _Records:
    """Record values of one table, column by column."""

    def __init__(self, state: TableState):
        self.state = state
        self.fields = {f.get("name"): f for f in state.spec.fields}

    def values(self, name: str) -> pa.Array:
        """The record value of each cell (null where the cell is empty)."""
        state = self.state
        field = self.fields.get(name, {})
        typed = state.typed.get(name)
        raw = state.sheet.columns[state.columns[name]]  # type: ignore[union-attr]
        present = arrow.from_numpy(state.present[name])
        numeric = typed is not None and (
            pa.types.is_floating(typed.type)
            or pa.types.is_integer(typed.type)
            or pa.types.is_boolean(typed.type)
        )
        if field.get("type") in _NUMERIC and numeric:
            assert typed is not None
            return pc.if_else(present, typed, pa.nulls(len(typed), typed.type))
        return keep(raw, state.present[name])

    def value(self, name: str, index: int) -> Any:
        state = self.state
        field = self.fields.get(name, {})
        if field.get("type") in _NUMERIC:
            typed = state.typed.get(name)
            if typed is not None and typed[index].is_valid:
                return typed[index].as_py()
        return state.sheet.columns[state.columns[name]][index].as_py()  # type: ignore[union-attr]


def check_records(state: TableState) -> None:
    schema = state.spec.record_schema
    if schema is None or not state.usable or state.nrows == 0:
        return
    records = _Records(state)
    rows = state.free()
    properties = schema.get("properties") or {}
    _check_required(state, schema, rows)
    _check_unknown(state, schema, properties)
    for name, subschema in properties.items():
        if name in state.columns and isinstance(subschema, dict):
            _check_property(state, records, name, subschema, rows)
    for k, rule in enumerate(schema.get("allOf") or []):
        if isinstance(rule, dict):
            _check_rule(state, records, k, rule, rows)


def _check_required(state: TableState, schema: dict[str, Any], rows: np.ndarray) -> None:
    for name in schema.get("required") or []:
        j = state.columns.get(name)
        if j is None:
            continue  # the header lacks the column: a missing-label finding
        hits = ~state.present[name] & rows & state.free(j)
        for index in np.flatnonzero(hits).tolist():
            state.add(
                Code.RECORD_ERROR,
                index,
                j,
                layer="record",
                detail=f"{name!r} is a required property",
            )
        state.claim(j, hits)


def _check_unknown(state: TableState, schema: dict[str, Any], properties: dict[str, Any]) -> None:
    """Schema fields the record schema does not know: one finding per field (a stale schema)."""
    if schema.get("additionalProperties") is not False:
        return
    for name in state.columns:
        if name not in properties and state.present[name].any():
            state.add(
                Code.RECORD_ERROR,
                field=name,
                detail=f"the record schema {state.spec.record_schema_path} has no property "
                f"{name!r}; regenerate it (python scripts/build.py)",
            )


def _check_property(
    state: TableState, records: _Records, name: str, subschema: dict[str, Any], rows: np.ndarray
) -> None:
    j = state.columns[name]
    check = state.present[name] & rows & state.free(j)
    if not check.any():
        return
    rest = _left_to_check(state, name, subschema)
    if not rest:
        return
    values = records.values(name)
    ok = _outcome(values, rest, check)
    hits = check & ~ok
    if not hits.any():
        return
    validator = _validator(subschema)
    for index in np.flatnonzero(hits).tolist():
        value = records.value(name, index)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.schema_path))
        detail = errors[0].message if errors else "does not conform to its JSON Schema"
        state.add(Code.RECORD_ERROR, index, j, value=value, detail=f"{name} {detail}")
    state.claim(j, hits)


_NOTES = {"description", "title", "$comment", "examples", "default"}


def _left_to_check(state: TableState, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The keywords of a property's schema the table layer has not already enforced.

    A cell the table layer passed (or reported, and so claimed) needs no second look for a
    keyword it enforces identically: the same enum, the same anchored pattern without
    alternation (frictionless's ``re.match("^p$")`` is then ``re.search(p)``), the same length
    or range bounds, a string for a string field, a number for a parsed number field.
    """
    field = next((f for f in state.spec.fields if f.get("name") == name), {})
    constraints = field.get("constraints") or {}
    ftype = field.get("type", "string")
    rest = {}
    for key, value in schema.items():
        if key in _NOTES:
            continue
        if key == "type" and (
            (value == "string" and ftype == "string")
            or (value in ("number", "integer") and ftype == value)
        ):
            continue
        if key == "pattern" and value == constraints.get("pattern") and _anchored(value):
            continue
        if key == "enum" and value == constraints.get("enum") and ftype == "string":
            continue
        if key in ("maxLength", "minimum", "maximum") and value == constraints.get(key):
            continue
        if key == "minLength" and (
            value == constraints.get(key) or (value == 1 and "" in state.spec.missing_values)
        ):
            continue
        rest[key] = value
    if "type" in schema and rest and "type" not in rest:
        rest["type"] = schema["type"]
    return rest


def _anchored(pattern: str) -> bool:
    return (
        pattern.startswith("^")
        and pattern.endswith("$")
        and not pattern.endswith("\\$")
        and "|" not in pattern
    )


def _outcome(values: pa.Array, schema: Any, check: np.ndarray) -> np.ndarray:
    """Where each value (at ``check``) is valid against ``schema``; vectorised where possible."""
    n = len(values)
    if schema is True or schema == {}:
        return np.ones(n, dtype=bool)
    if schema is False:
        return np.zeros(n, dtype=bool)
    is_string = pa.types.is_string(values.type) or pa.types.is_large_string(values.type)
    if isinstance(schema, dict) and set(schema) <= _VECTOR_KEYWORDS | {"not"} and is_string:
        if schema.get("type") not in (None, "string") or "format" in schema:
            return _outcome_distinct(values, schema, check)
        ok = np.ones(n, dtype=bool)
        if "not" in schema:
            ok &= ~_outcome(values, schema["not"], check)
        if "pattern" in schema:
            ok &= regex_mask(values, schema["pattern"], search=True)
        if "enum" in schema:
            allowed = [v for v in schema["enum"] if isinstance(v, str)]
            ok &= mask(pc.is_in(values, value_set=pa.array(allowed, pa.string())))
        if "const" in schema:
            const = schema["const"]
            ok &= mask(pc.equal(values, const)) if isinstance(const, str) else False
        if "minLength" in schema or "maxLength" in schema:
            lengths = np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False))
            if "minLength" in schema:
                ok &= lengths >= schema["minLength"]
            if "maxLength" in schema:
                ok &= lengths <= schema["maxLength"]
        return ok | ~check
    return _outcome_distinct(values, schema, check)


def _outcome_distinct(values: pa.Array, schema: Any, check: np.ndarray) -> np.ndarray:
    """jsonschema's verdict once per distinct value."""
    ok = np.ones(len(values), dtype=bool)
    index = np.flatnonzero(check)
    if index.size == 0:
        return ok
    encoded = values.take(arrow.from_numpy(index)).dictionary_encode()
    distinct = encoded.dictionary.to_pylist()
    verdicts = judge.verdicts(schema, distinct)
    if verdicts is None:
        validator = _validator(schema)
        verdicts = [validator.is_valid(v) for v in distinct]
    verdict = np.array(verdicts, dtype=bool)
    ok[index] = verdict[encoded.indices.to_numpy(zero_copy_only=False)]
    return ok


def _walk(schema: Any) -> Iterator[tuple[str, Any]]:
    """(keyword, value) of every object-level keyword in a rule, sub-schemas included."""
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        yield key, value
        if key in ("if", "then", "else", "not"):
            yield from _walk(value)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            for item in value:
                yield from _walk(item)


def _check_rule(
    state: TableState, records: _Records, k: int, rule: dict[str, Any], rows: np.ndarray
) -> None:
    comment = str(rule.get("$comment") or f"allOf[{k}]")
    names: list[str] = []
    tests: list[tuple[str, Any]] = []
    local = True
    for key, value in _walk(rule):
        if key not in _LOCAL_KEYWORDS:
            local = False
        elif key == "required" and isinstance(value, list):
            names += [v for v in value if isinstance(v, str)]
        elif key == "properties" and isinstance(value, dict):
            for name, sub in value.items():
                names.append(name)
                tests.append((name, sub))
    names = list(dict.fromkeys(names))
    known = [n for n in names if n in state.columns]
    check = rows.copy()
    if not check.any():
        return
    if local:
        columns = [state.present[n].astype(np.int8) for n in known]
        for name, sub in tests:
            if name in state.columns:
                present = state.present[name]
                outcome = _outcome(records.values(name), sub, present)
                columns.append(np.where(present, outcome.astype(np.int8), 2))
        signature = np.zeros(len(check), dtype=np.int64)
        for column in columns[:39]:  # base 3 fits 39 digits in int64
            signature = signature * 3 + column
        if len(columns) > 39:
            stacked = np.stack(columns[39:], axis=1)
            rest = np.unique(stacked, axis=0, return_inverse=True)[1].reshape(-1)
            signature = np.unique(signature, return_inverse=True)[1] * (rest.max() + 1) + rest
        idx = np.flatnonzero(check)
        _, first, inverse = np.unique(signature[idx], return_index=True, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.cumsum(np.bincount(inverse, minlength=len(first)))[:-1]
        members = np.split(idx[order], bounds)
        groups = [(idx[f], m) for f, m in zip(first, members, strict=True)]
    else:
        groups = [(i, np.array([i])) for i in np.flatnonzero(check).tolist()]
    validator = None  # jsonschema, for a rule it alone can judge or a record that breaks it
    for representative, members in groups:
        record = {
            n: records.value(n, int(representative))
            for n in known
            if state.present[n][representative]
        }
        if judge.verdict(rule, record):
            continue
        validator = validator or _validator(rule)
        errors = list(validator.iter_errors(record))
        if not errors:
            continue
        error = errors[0]
        for index in members.tolist():
            state.add(
                Code.RECORD_RULE,
                index,
                field=_rule_field(error, record, names),
                rule=comment,
                detail=error.message,
            )


def _rule_field(error: Any, record: dict[str, Any], names: list[str]) -> str | None:
    """The property a broken rule is best reported at."""
    if error.path:
        return str(error.path[0])
    if error.validator == "required":
        missing = [n for n in error.validator_value if n not in record]
        if missing:
            return str(missing[0])
    mentioned = [n for key, v in _walk(error.schema) for n in _names(key, v)]
    if error.validator in ("anyOf", "oneOf"):
        absent = [n for n in mentioned if n not in record]
        if absent:
            return absent[0]
    present = [n for n in mentioned if n in record]
    if present:
        return present[0]
    return names[0] if names else None


def _names(key: str, value: Any) -> list[str]:
    if key == "required" and isinstance(value, list):
        return [str(v) for v in value]
    if key == "properties" and isinstance(value, dict):
        return [str(v) for v in value]
    return []
