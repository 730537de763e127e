"""Property: a package written as CSV and loaded through the API keeps every value and dtype,
and writing the loaded tables again gives the same bytes."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import given

from libya_events import load
from libya_events.testing import Tables, read_tables, shipped_schemas, write_package
from libya_events.testing.strategies import packages


def expected_dtype(field: dict[str, Any]) -> Any:
    """The dtype issue 3 promises for a field: enums categorical in declared order, dates as
    dates, numbers nullable, other text as pandas strings."""
    enum = field.get("constraints", {}).get("enum")
    if enum:
        return pd.CategoricalDtype(categories=enum, ordered=False)
    return {"date": "datetime64[s]", "number": pd.Float64Dtype()}.get(
        field["type"], pd.StringDtype()
    )


def expected_value(cell: str, field_type: str) -> Any:
    if cell == "":
        return None
    if field_type == "date":
        return pd.Timestamp(dt.date.fromisoformat(cell))
    if field_type == "number":
        return float(cell)
    return cell


def assert_loads_as_written(tables: Tables, directory: Path) -> None:
    schemas = shipped_schemas()
    dataset = load(directory)
    for name in schemas.names:
        frame = dataset[name]
        fields = schemas.fields(name)
        assert list(frame.columns) == [f["name"] for f in fields]
        assert len(frame) == len(tables[name])
        for field in fields:
            column = frame[field["name"]]
            assert column.dtype == expected_dtype(field), (name, field["name"], column.dtype)
            got = [None if pd.isna(v) else v for v in column.tolist()]
            want = [expected_value(r[field["name"]], field["type"]) for r in tables[name]]
            assert got == want, (name, field["name"])


def assert_rewrites_byte_identical(directory: Path, again: Path) -> None:
    schemas = shipped_schemas()
    dataset = load(directory)
    write_package({name: dataset[name] for name in schemas.names}, again)
    for name in schemas.names:
        path = schemas.resource(name)["path"]
        assert (again / path).read_bytes() == (directory / path).read_bytes(), name


@given(packages())
def test_a_written_package_loads_with_the_same_values_and_dtypes(tables: Tables) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "pkg"
        write_package(tables, directory)
        assert read_tables(directory) == tables
        assert_loads_as_written(tables, directory)
        assert_rewrites_byte_identical(directory, Path(tmp) / "again")


def test_the_shipped_package_round_trips(tmp_path: Path) -> None:
    root = shipped_schemas().root
    tables = read_tables()
    assert_loads_as_written(tables, root)
    assert_rewrites_byte_identical(root, tmp_path / "again")


def test_cells_that_look_like_missing_values_stay_text(tmp_path: Path) -> None:
    """Readers with pandas' default NA list would turn these into missing values."""
    tables = read_tables()
    row = dict(tables["actors"][0])
    for value in ("NA", "N/A", "null", "None", "nan", "#N/A"):
        tables["actors"] = [dict(row, notes=value)]
        write_package(tables, tmp_path / value.replace("/", "_").replace("#", "h"))
        loaded = load(tmp_path / value.replace("/", "_").replace("#", "h")).actors
        assert loaded["notes"].tolist() == [value]
