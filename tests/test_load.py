"""`load()`, `Dataset` and the packaged-data shortcuts: typed tables, fresh copies, clear errors."""

from __future__ import annotations

import csv
import doctest
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import DESCRIPTOR, ROOT, TABLES

import libya_events as le
from libya_events.errors import NotADataPackageError, TableReadError, UnknownIdError


def table_schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / f"{name}.table.json").read_text(encoding="utf-8"))


def csv_rows(name: str, root: Path = ROOT) -> list[dict[str, str]]:
    with open(root / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_dtype(field: dict[str, Any]) -> Any:
    """What the README promises for each Table Schema type used in the shipped schemas."""
    enum = field.get("constraints", {}).get("enum")
    if field["type"] == "string":
        return pd.CategoricalDtype(enum) if enum else pd.StringDtype()
    return {"date": "datetime64[s]", "number": "Float64"}[field["type"]]


@pytest.fixture(scope="module")
def ds() -> le.Dataset:
    return le.load()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the shipped data package that a test may break."""
    for part in ("data", "schemas"):
        shutil.copytree(ROOT / part, tmp_path / part)
    shutil.copy(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    return tmp_path


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the typed tables ------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_columns_and_dtypes_follow_the_table_schema(ds: le.Dataset, name: str) -> None:
    frame = ds[name]
    fields = table_schema(name)["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        dtype = frame[field["name"]].dtype
        assert dtype == expected_dtype(field), field["name"]
        if isinstance(dtype, pd.CategoricalDtype):
            assert list(dtype.categories) == field["constraints"]["enum"]
            assert dtype.ordered is False


@pytest.mark.parametrize("name", TABLES)
def test_every_cell_holds_the_csv_text_typed(ds: le.Dataset, name: str) -> None:
    frame = ds[name]
    rows = csv_rows(name)
    assert len(frame) == len(rows)
    assert isinstance(frame.index, pd.RangeIndex)
    types = {f["name"]: f["type"] for f in table_schema(name)["fields"]}
    for i, row in enumerate(rows):
        for column, text in row.items():
            value = frame.at[i, column]
            if text == "":
                assert pd.isna(value), (name, i, column)
            elif types[column] == "date":
                assert value == pd.Timestamp(text), (name, i, column)
            elif types[column] == "number":
                assert value == float(text), (name, i, column)
            else:
                assert value == text, (name, i, column)


def test_the_shipped_schemas_use_only_the_types_tested_here() -> None:
    used = {f["type"] for name in TABLES for f in table_schema(name)["fields"]}
    assert used == {"string", "date", "number"}


def test_shortcuts_give_the_packaged_tables(ds: le.Dataset) -> None:
    for name in TABLES:
        assert name in le.__all__
        pd.testing.assert_frame_equal(getattr(le, name)(), ds[name])
        pd.testing.assert_frame_equal(getattr(ds, name), ds[name])


def test_tables_version_and_descriptor(ds: le.Dataset) -> None:
    assert ds.tables == tuple(TABLES)
    assert le.list_tables() == TABLES
    assert ds.version == DESCRIPTOR["version"] == le.__version__
    assert ds.descriptor == DESCRIPTOR
    assert ds.path == ROOT
    assert ds.schema("events") == table_schema("events")
    assert "events" in ds and "evnts" not in ds
    assert {"events", "event_actors"} <= set(dir(ds))


def test_repr_names_the_package_and_row_counts(ds: le.Dataset) -> None:
    counts = ", ".join(f"{name} ({len(csv_rows(name))} rows)" for name in TABLES)
    assert repr(ds) == f"<Dataset libya-events {DESCRIPTOR['version']} from {ROOT}: {counts}>"


def test_load_takes_a_directory_or_the_descriptor_file(package: Path) -> None:
    for path in (package, package / "datapackage.json", str(package)):
        loaded = le.load(path)
        assert loaded.path == package
        assert loaded.tables == tuple(TABLES)
        pd.testing.assert_frame_equal(loaded.events, le.events())


# --- fresh copies ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_changing_a_returned_table_never_changes_the_next(ds: le.Dataset, name: str) -> None:
    before = ds[name]
    for get in (lambda: ds[name], lambda: getattr(ds, name), lambda: getattr(le, name)()):
        frame = get()
        if len(frame):
            frame.iloc[0, 0] = "changed"
            frame.iloc[-1, 1] = pd.NA
        frame["added"] = 1
        del frame[frame.columns[2]]
        frame.columns = ["renamed", *frame.columns[1:]]
        frame.index = frame.index + 100
        pd.testing.assert_frame_equal(get(), before)
    pd.testing.assert_frame_equal(ds[name], before)


def test_changing_a_category_or_the_descriptor_never_leaks(ds: le.Dataset) -> None:
    events = ds.events
    events["kind"] = events["kind"].cat.add_categories(["invented"])
    events.loc[0, "kind"] = "invented"
    assert "invented" not in le.events()["kind"].cat.categories
    descriptor = ds.descriptor
    descriptor["version"] = "9.9.9"
    descriptor["resources"].clear()
    assert ds.version == DESCRIPTOR["version"]
    assert ds.descriptor == DESCRIPTOR
    schema = ds.schema("events")
    schema["fields"].clear()
    assert ds.schema("events") == table_schema("events")


# --- text is kept as written; only the missing-value marker is missing -----------------------


def test_na_like_text_is_kept_and_only_empty_cells_are_missing(package: Path) -> None:
    path = package / "data" / "actors.csv"
    rows = path.read_text(encoding="utf-8").split("\n")
    assert rows[1].startswith("abdel-fattah-el-sisi,") and rows[1].endswith(",")
    rows[1] = rows[1] + "NA"
    rows[2] = rows[2].replace("Abdullah al-Thani | Abdullah al-Thinni", "null")
    path.write_text("\n".join(rows), encoding="utf-8")
    actors = le.load(package).actors
    assert actors.at[0, "notes"] == "NA"
    assert actors.at[1, "aliases"] == "null"
    assert pd.isna(actors.at[0, "country"])


def test_declared_missing_values_are_honoured(package: Path) -> None:
    schema_path = package / "schemas" / "actors.table.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["missingValues"] = ["", "n/a"]
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    replace_in(package / "data" / "actors.csv", "Abdullah al-Thani | Abdullah al-Thinni", "n/a")
    assert pd.isna(le.load(package).actors.at[1, "aliases"])


def test_other_table_schema_types_get_nullable_dtypes(tmp_path: Path) -> None:
    fields = [
        {"name": "n", "type": "integer"},
        {"name": "flag", "type": "boolean"},
        {"name": "ok", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]},
        {"name": "amount", "type": "number", "groupChar": " ", "decimalChar": ","},
        {"name": "year", "type": "year"},
        {"name": "at", "type": "datetime"},
        {"name": "when", "type": "date", "format": "%d/%m/%Y"},
        {"name": "where", "type": "geopoint"},
        {"name": "size", "type": "integer", "constraints": {"enum": [1, 2]}},
    ]
    (tmp_path / "t.csv").write_text(
        "n,flag,ok,amount,year,at,when,where,size\n"
        '7,true,yes,"1 234,5",2020,2020-06-20T10:30:00Z,20/06/2020,"52.5,13.4",2\n'
        ",0,no,,,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields}}]}),
        encoding="utf-8",
    )
    t = le.load(tmp_path)["t"]
    assert t.dtypes.astype(str).to_dict() == {
        "n": "Int64",
        "flag": "boolean",
        "ok": "boolean",
        "amount": "Float64",
        "year": "Int64",
        "at": "datetime64[s, UTC]",
        "when": "datetime64[s]",
        "where": "string",
        "size": "Int64",
    }
    assert t.iloc[0].tolist() == [
        7,
        True,
        True,
        1234.5,
        2020,
        pd.Timestamp("2020-06-20T10:30:00Z"),
        pd.Timestamp("2020-06-20"),
        "52.5,13.4",
        2,
    ]
    assert pd.isna(t.at[1, "n"])
    assert t.loc[1, ["flag", "ok"]].tolist() == [False, False]
    assert t.iloc[1, 3:].isna().tolist() == [True] * 6
    assert le.load(tmp_path).version is None


# --- bad paths and broken packages -----------------------------------------------------------


def error(exc_type: type[Exception], call: Any, *args: Any) -> str:
    with pytest.raises(exc_type) as info:
        call(*args)
    return str(info.value)


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    message = error(NotADataPackageError, le.load, missing)
    assert message == f"not a data package: {missing} does not exist"


def test_a_directory_without_a_descriptor(tmp_path: Path) -> None:
    message = error(NotADataPackageError, le.load, tmp_path)
    assert message == f"not a data package: {tmp_path} has no datapackage.json"


def test_malformed_json_names_the_line(package: Path) -> None:
    descriptor = package / "datapackage.json"
    descriptor.write_text('{\n  "name": "x",\n  "resources": [\n}\n', encoding="utf-8")
    for path in (package, descriptor):
        assert error(NotADataPackageError, le.load, path) == (
            f"not a data package: descriptor {descriptor} is not valid JSON: "
            "line 4, column 1: Expecting value"
        )


def test_json_that_is_not_a_descriptor(package: Path) -> None:
    descriptor = package / "datapackage.json"
    descriptor.write_text("[1, 2]", encoding="utf-8")
    assert error(NotADataPackageError, le.load, package) == (
        f"not a data package: descriptor {descriptor} holds a JSON list, not an object"
    )
    descriptor.write_text('{"name": "x"}', encoding="utf-8")
    assert error(NotADataPackageError, le.load, package) == (
        f"not a data package: {descriptor} has no list of resources"
    )


def test_a_malformed_table_schema_names_its_file(package: Path) -> None:
    schema = package / "schemas" / "events.table.json"
    schema.write_text('{"fields": [}', encoding="utf-8")
    assert error(NotADataPackageError, le.load, package) == (
        f"not a data package: Table Schema {schema} is not valid JSON: "
        "line 1, column 13: Expecting value"
    )


def test_a_missing_csv_names_the_file(package: Path) -> None:
    (package / "data" / "event_links.csv").unlink()
    path = package / "data" / "event_links.csv"
    assert error(TableReadError, le.load, package) == (
        f"{path}: no such file (the data of table 'event_links')"
    )


def test_a_header_that_disagrees_with_the_schema_names_the_file(package: Path) -> None:
    path = package / "data" / "events.csv"
    schema = package / "schemas" / "events.table.json"
    names = ",".join(f["name"] for f in table_schema("events")["fields"])
    replace_in(path, ",source_id,notes\n", ",source_id,note\n")
    with pytest.raises(TableReadError) as info:
        le.load(package)
    assert str(info.value) == (
        f"{path}, line 1: the header does not match {schema}: missing notes; unexpected note; "
        f"expected {names}"
    )
    assert (info.value.path, info.value.line, info.value.field) == (str(path), 1, None)
    replace_in(path, ",source_id,note\n", ",notes,source_id\n")
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 1: the header does not match {schema}: columns out of order; "
        f"expected {names}"
    )


def test_a_row_with_too_many_cells_names_its_line(package: Path) -> None:
    path = package / "data" / "event_links.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] += ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 4: 6 cells, but the header has 5"
    )


def test_a_row_after_a_bare_carriage_return_is_on_the_line_the_validator_names(
    package: Path,
) -> None:
    path = package / "data" / "event_links.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2:4] = [lines[2] + "\r" + lines[3] + ",extra"]
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 3: 6 cells, but the header has 5"
    )
    assert le.validate(package).flatten(["code", "table", "line", "field"]) == [
        ["bare-cr", "event_links", 3, None],
        ["extra-cell", "event_links", 3, None],
    ]


def test_a_row_with_too_few_cells_names_its_line(package: Path) -> None:
    path = package / "data" / "event_links.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[3].endswith(",tass-2020-06-20,")
    lines[3] = lines[3].removesuffix(",tass-2020-06-20,")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 4: 3 cells, but the header has 5"
    )


def test_a_typed_column_with_every_cell_empty(package: Path) -> None:
    path = package / "data" / "statements.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",2020-06-20,", ",,").replace(",2020-01-14,", ",,"))
    statements = le.load(package).statements
    assert statements["date"].dtype == "datetime64[s]"
    assert statements["date"].isna().all()
    assert len(statements) == len(csv_rows("statements"))


def test_a_bad_date_names_file_line_and_field(package: Path) -> None:
    path = package / "data" / "events.csv"
    replace_in(
        path, "Operation Unified Protector,military-operation,2011-03-23,", "X,offensive,2011-3-23,"
    )
    with pytest.raises(TableReadError) as info:
        le.load(package)
    assert str(info.value) == (
        f"{path}, line 18, field 'start_date': '2011-3-23' is not a date (YYYY-MM-DD)"
    )
    assert (info.value.line, info.value.field) == (18, "start_date")


def test_line_numbers_count_quoted_line_breaks(package: Path) -> None:
    path = package / "data" / "events.csv"
    replace_in(path, "Berlin Conference final communique", '"Berlin\nConference\nfinal communique"')
    replace_in(path, "Operation Unified Protector,military-operation,", "X,war,")
    kinds = ", ".join(le.load(ROOT).schema("events")["fields"][2]["constraints"]["enum"])
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 20, field 'kind': 'war' is not one of the declared values ({kinds})"
    )


def test_a_bad_number_names_file_line_and_field(package: Path) -> None:
    path = package / "data" / "events.csv"
    replace_in(path, "Q64,DEU,52.52,13.41,city,,", "Q64,DEU,52.52,13.41E,city,,")
    assert error(TableReadError, le.load, package) == (
        f"{path}, line 3, field 'longitude': '13.41E' is not a number"
    )


def test_text_that_is_not_utf8_names_its_line(package: Path) -> None:
    path = package / "data" / "sources.csv"
    raw = path.read_bytes().split(b"\n")
    raw[5] = raw[5].replace(b"Report", b"R\xe9port", 1)
    path.write_bytes(b"\n".join(raw))
    message = error(TableReadError, le.load, package)
    assert message == f"{path}, line 6: not valid utf-8-sig text (invalid continuation byte)"


def test_the_resource_dialect_is_followed(tmp_path: Path) -> None:
    fields = [{"name": "a", "type": "string"}, {"name": "b", "type": "number"}]
    (tmp_path / "t.csv").write_text("x;'1;5'\n'p;q';2.5\n", encoding="utf-8")
    dialect = {"delimiter": ";", "quoteChar": "'", "header": False}
    resource = {"name": "t", "path": "t.csv", "dialect": dialect, "schema": {"fields": fields}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    with pytest.raises(TableReadError) as info:
        le.load(tmp_path)
    assert str(info.value) == f"{tmp_path / 't.csv'}, line 1, field 'b': '1;5' is not a number"
    (tmp_path / "t.csv").write_text("x;1.5\n'p;q';2.5\n", encoding="utf-8")
    t = le.load(tmp_path)["t"]
    assert t["a"].tolist() == ["x", "p;q"]
    assert t["b"].tolist() == [1.5, 2.5]
    dialect["skipInitialSpace"] = True
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    (tmp_path / "t.csv").write_text("x;  1.5\n  ;2.5\n", encoding="utf-8")
    t = le.load(tmp_path)["t"]
    assert t["b"].tolist() == [1.5, 2.5]
    assert t.loc[0, "a"] == "x" and pd.isna(t.loc[1, "a"])
    resource["dialect"] = {"delimiter": ";;"}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}))
    assert error(NotADataPackageError, le.load, tmp_path) == (
        "not a data package: the dialect of resource 't' has delimiter ';;'; "
        "it must be one character"
    )


def test_unknown_table_names_suggest_close_ones(ds: le.Dataset) -> None:
    assert error(UnknownIdError, ds.__getitem__, "evnts") == (
        f"unknown table 'evnts': not in the data package {ROOT}; "
        "did you mean 'events' or 'event_links'?"
    )
    assert error(AttributeError, getattr, ds, "evnts") == (
        "'Dataset' has no table or attribute 'evnts'; did you mean 'events'?"
    )
    assert error(UnknownIdError, ds.schema, "nothing") == (
        f"unknown table 'nothing': not in the data package {ROOT}"
    )


# --- import cost -----------------------------------------------------------------------------


def imported_after(code: str) -> list[str]:
    heavy = ("pandas", "numpy", "frictionless", "jsonschema")
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.split()


def test_importing_the_package_imports_no_pandas_frictionless_or_jsonschema() -> None:
    assert imported_after("import libya_events") == []


def test_loading_and_querying_import_no_frictionless_or_jsonschema() -> None:
    code = (
        "import libya_events as le\n"
        "le.load(); le.events(); le.timeline(); le.events_with('sergey-lavrov')\n"
        "le.events_between('2020-01-01', '2020-12-31')\n"
        "le.statements_about('moscow-talks-2020-01-13')\n"
        "le.affiliations_on('sergey-lavrov', '2020-01-01'); le.statements_by('zakharova')"
    )
    assert imported_after(code) == ["pandas", "numpy"]


# --- the README's tour ------------------------------------------------------------------------


def test_the_readme_tour_shows_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    (tour,) = re.findall(r"```pycon\n(.*?)```", section, re.DOTALL)
    test = doctest.DocTestParser().get_doctest(tour, {}, "README: Python API", "README.md", 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert runner.tries >= 10
