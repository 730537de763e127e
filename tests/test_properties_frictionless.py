"""Property (differential): on generated packages with type, constraint, key and foreign-key
faults, our table layer and a plain frictionless validation flag the same rows, and each of our
codes at a row is one of the error types frictionless reports there."""

from __future__ import annotations

import copy
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from libya_events.testing import Tables, shipped_schemas, write_package
from libya_events.testing.strategies import packages
from libya_events.validate import validate

ROW_TYPES = {"type-error", "constraint-error", "unique-error", "primary-key", "foreign-key"}
Rows = dict[tuple[str, int], set[str]]

BAD = {
    "date": ["2020-02-30", "2019-13-01", "31/12/2020", "yesterday", "2020-1-5"],
    "number": ["north", "1,5", "12.3.4", "NaN-ish"],
    "pattern": ["Not A Slug", "x_y", "ly", "Q0", "ENGL", "q12", "a--b"],
    "range": ["90.01", "-90.01", "180.01", "-180.01", "999.00"],
}


@st.composite
def faulty_packages(draw: st.DrawFn) -> Tables:
    """A valid package with one to four faults of the kinds Table Schema checks."""
    schemas = shipped_schemas()
    tables = copy.deepcopy(draw(packages(max_events=5, max_statements=3)))
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from([t for t in schemas.names if tables[t]]))
        rows = tables[table]
        i = draw(st.integers(0, len(rows) - 1))
        fields = schemas.fields(table)
        kind = draw(
            st.sampled_from(
                ["type", "pattern", "enum", "required", "range", "duplicate", "unique", "reference"]
            )
        )
        event(kind)
        if kind == "type":
            typed = [f for f in fields if f["type"] in ("date", "number")]
            if typed:
                f = draw(st.sampled_from(typed))
                rows[i][f["name"]] = draw(st.sampled_from(BAD[f["type"]]))
        elif kind == "pattern":
            patterned = [f["name"] for f in fields if schemas.pattern(table, f["name"])]
            if patterned:
                rows[i][draw(st.sampled_from(patterned))] = draw(st.sampled_from(BAD["pattern"]))
        elif kind == "enum":
            enums = [f["name"] for f in fields if schemas.enum(table, f["name"])]
            if enums:
                rows[i][draw(st.sampled_from(enums))] = "not-in-the-vocabulary"
        elif kind == "required":
            required = [f["name"] for f in fields if schemas.required(table, f["name"])]
            rows[i][draw(st.sampled_from(required))] = ""
        elif kind == "range":
            bounded = [
                f["name"] for f in fields if "minimum" in schemas.constraints(table, f["name"])
            ]
            if bounded:
                rows[i][draw(st.sampled_from(bounded))] = draw(st.sampled_from(BAD["range"]))
        elif kind == "duplicate":
            rows.insert(i + 1, dict(rows[i]))
        elif kind == "unique":
            unique = [
                f["name"]
                for f in fields
                if schemas.constraints(table, f["name"]).get("unique") and len(rows) > 1
            ]
            if unique:
                name = draw(st.sampled_from(unique))
                j = draw(st.sampled_from([j for j in range(len(rows)) if j != i]))
                rows[i][name] = rows[j][name]
        else:
            fks = schemas.foreign_keys(table)
            if fks:
                field, _, _ = draw(st.sampled_from(fks))
                rows[i][field] = "no-such-row"
    return tables


def frictionless_rows(directory: Path) -> Rows:
    from frictionless import Package

    report = Package(str(directory / "datapackage.json")).validate()
    found: Rows = defaultdict(set)
    for task in report.tasks:
        for error in task.errors:
            if error.type in ROW_TYPES:
                found[(task.name, error.row_number)].add(error.type)
    return dict(found)


def our_rows(directory: Path) -> Rows:
    found: Rows = defaultdict(set)
    for f in validate(directory).findings:
        if f.layer in ("text", "table") and f.row is not None and f.table:
            found[(f.table, f.row)].add(f.code)
    return dict(found)


@given(faulty_packages())
def test_our_table_layer_and_frictionless_flag_the_same_rows(tables: Tables) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_package(tables, directory)
        theirs, ours = frictionless_rows(directory), our_rows(directory)
        assert sorted(ours) == sorted(theirs)
        for key, codes in ours.items():
            assert codes <= theirs[key], (key, codes, theirs[key])
