"""`libya_events.export` and `libya-events export`: SQLite, Parquet, Excel, JSON and release zip."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT, TABLES
from release_helpers import copy_package, read_rows, read_schema, write_rows

from libya_events import codebook
from libya_events.cli import main
from libya_events.errors import ExportError, PackageReadError
from libya_events.export import FORMATS, export
from libya_events.snapshot import read_package

VERSION = DESCRIPTOR["version"]


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    dest = export(ROOT, "sqlite", tmp_path_factory.mktemp("sqlite") / "libya.sqlite")
    con = sqlite3.connect(dest)
    yield con
    con.close()


@pytest.mark.parametrize("name", TABLES)
def test_sqlite_declares_the_schemas_keys(sqlite_db: sqlite3.Connection, name: str) -> None:
    schema = read_schema(ROOT, name)
    info = sqlite_db.execute(f'PRAGMA table_info("{name}")').fetchall()
    assert [c[1] for c in info] == [f["name"] for f in schema["fields"]]
    assert [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] == schema["primaryKey"]
    required = [f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")]
    assert [c[1] for c in info if c[3]] == required
    declared = sorted(
        (fk["reference"]["resource"] or name, fk["fields"][0], fk["reference"]["fields"][0])
        for fk in schema.get("foreignKeys", [])
    )
    found = sorted(
        (row[2], row[3], row[4])
        for row in sqlite_db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
    )
    assert found == declared


@pytest.mark.parametrize("name", TABLES)
def test_sqlite_holds_every_row_with_empty_cells_null(sqlite_db, name: str) -> None:
    rows = read_rows(ROOT, name)
    assert sqlite_db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(rows)
    for f in read_schema(ROOT, name)["fields"]:
        empty = sum(1 for r in rows if r[f["name"]] == "")
        nulls = sqlite_db.execute(f'SELECT count(*) FROM "{name}" WHERE "{f["name"]}" IS NULL')
        assert nulls.fetchone()[0] == empty, f["name"]


def test_sqlite_foreign_keys_hold_and_vocabularies_are_checked(sqlite_db) -> None:
    assert sqlite_db.execute("PRAGMA foreign_key_check").fetchall() == []
    sqlite_db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY constraint failed"):
        sqlite_db.execute(
            "INSERT INTO event_sources VALUES ('no-such-event', 'tass-2020-06-20', 'x')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        sqlite_db.execute("UPDATE events SET kind = 'picnic' WHERE rowid = 1")
    sqlite_db.rollback()


def test_sqlite_numbers_are_real_and_the_version_is_recorded(sqlite_db) -> None:
    (lat,) = sqlite_db.execute(
        "SELECT latitude FROM events WHERE event_id = 'berlin-conference-2020-01-19'"
    ).fetchone()
    (csv_lat,) = [
        r["latitude"]
        for r in read_rows(ROOT, "events")
        if r["event_id"] == "berlin-conference-2020-01-19"
    ]
    assert lat == float(csv_lat)
    meta = dict(sqlite_db.execute("SELECT key, value FROM _datapackage").fetchall())
    assert meta["version"] == VERSION
    assert json.loads(meta["datapackage.json"]) == DESCRIPTOR


def test_parquet_types_follow_the_schemas(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    dest = export(ROOT, "parquet", tmp_path / "parquet")
    assert sorted(p.name for p in dest.iterdir()) == sorted(f"{t}.parquet" for t in TABLES)
    expected = {"number": pa.float64(), "date": pa.date32(), "string": pa.string()}
    for name in TABLES:
        table = pq.read_table(dest / f"{name}.parquet")
        assert table.num_rows == len(read_rows(ROOT, name))
        assert table.schema.metadata[b"libya_events.version"].decode() == VERSION
        for f in read_schema(ROOT, name)["fields"]:
            arrow_type = table.schema.field(f["name"]).type
            enum = f.get("constraints", {}).get("enum")
            if enum:
                assert arrow_type == pa.dictionary(pa.int32(), pa.string()), f["name"]
                if table.num_rows:  # an empty table stores no dictionary page
                    column = table.column(f["name"]).combine_chunks()
                    assert column.dictionary.to_pylist() == enum
            else:
                assert arrow_type == expected[f["type"]], f["name"]
    events = pq.read_table(dest / "events.parquet").to_pylist()
    csv_events = read_rows(ROOT, "events")
    assert [e["event_id"] for e in events] == [e["event_id"] for e in csv_events]
    assert [e["start_date"] for e in events] == [
        dt.date.fromisoformat(e["start_date"]) if e["start_date"] else None for e in csv_events
    ]


def test_xlsx_has_a_sheet_per_table_and_keeps_formulas_as_text(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    package = copy_package(tmp_path / "pkg")
    rows = read_rows(package, "sources")
    rows[0]["notes"] = '=HYPERLINK("http://example.org")'
    write_rows(package, "sources", rows)
    dest = export(package, "xlsx", tmp_path / "libya.xlsx")
    book = openpyxl.load_workbook(dest)
    assert book.sheetnames == ["about", *TABLES]
    for name in TABLES:
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header == [f["name"] for f in read_schema(ROOT, name)["fields"]]
        assert sheet.max_row == 1 + len(read_rows(ROOT, name))
    notes = book["sources"].cell(2, header_index(book["sources"], "notes"))
    assert (notes.value, notes.data_type, notes.quotePrefix) == (rows[0]["notes"], "s", True)
    start = book["events"].cell(2, header_index(book["events"], "start_date")).value
    assert start.date().isoformat() == read_rows(ROOT, "events")[0]["start_date"]


def header_index(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def test_json_is_a_valid_frictionless_package_with_every_row(tmp_path: Path) -> None:
    from frictionless import Package

    dest = export(ROOT, "json", tmp_path / "libya.json")
    data = json.loads(dest.read_text(encoding="utf-8"))
    assert data["version"] == VERSION
    for resource in data["resources"]:
        assert resource["data"][0] == [f["name"] for f in resource["schema"]["fields"]]
        assert len(resource["data"]) == 1 + len(read_rows(ROOT, resource["name"]))
    report = Package(str(dest)).validate()
    assert report.flatten(["rowNumber", "fieldName", "type"]) == []


def test_release_zip_holds_the_release_and_is_reproducible(tmp_path: Path) -> None:
    first = export(ROOT, "zip", tmp_path / "a.zip")
    second = export(ROOT, "zip", tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    top = f"libya-events-{VERSION}"
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        expected = {
            "datapackage.json",
            "docs/codebook.md",
            "docs/references.md",
            "CITATION.cff",
            "CHANGELOG.md",
            "README.md",
            "LICENSE",
            "LICENSE-DATA.md",
            *(r["path"] for r in DESCRIPTOR["resources"]),
            *(f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")),
        }
        assert sorted(names) == sorted(f"{top}/{n}" for n in expected)
        assert archive.read(f"{top}/data/events.csv") == (ROOT / "data" / "events.csv").read_bytes()
        codebook_text = archive.read(f"{top}/docs/codebook.md").decode("utf-8")
    assert codebook_text == codebook.render(read_package(ROOT))
    assert codebook_text == (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")


def test_an_existing_destination_is_kept_unless_forced(tmp_path: Path) -> None:
    dest = tmp_path / "libya.json"
    dest.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        export(ROOT, "json", dest)
    assert str(caught.value) == f"{dest} exists; choose another destination or pass --force"
    assert dest.read_text(encoding="utf-8") == "mine"
    export(ROOT, "json", dest, overwrite=True)
    assert json.loads(dest.read_text(encoding="utf-8"))["version"] == VERSION
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libya.json"]


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "pkg")
    rows = read_rows(package, "events")
    rows[0]["latitude"] = "north"
    write_rows(package, "events", rows)
    with pytest.raises(ExportError) as caught:
        export(package, "sqlite", tmp_path / "out.sqlite")
    assert str(caught.value) == (
        "data/events.csv line 2, field latitude: 'north' is not a number; "
        "validate the package first"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_sqlite_refuses_a_package_whose_keys_do_not_resolve(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "pkg")
    rows = read_rows(package, "event_sources")
    rows[0]["source_id"] = "no-such-source"
    write_rows(package, "event_sources", rows)
    with pytest.raises(ExportError, match=r"^1 foreign key\(s\) do not resolve, the first in "):
        export(package, "sqlite", tmp_path / "out.sqlite")


def test_cli_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert FORMATS == ("sqlite", "parquet", "xlsx", "json", "zip")
    dest = tmp_path / "x.sqlite"
    assert main(["export", "--format", "sqlite", str(dest), "--package", str(ROOT)]) == 0
    assert capsys.readouterr().out == f"wrote {dest} (sqlite)\n"
    assert main(["export", "--format", "sqlite", str(dest)]) == 2
    assert capsys.readouterr().err == (
        f"libya-events export: {dest} exists; choose another destination or pass --force\n"
    )
    missing = tmp_path / "no" / "x.json"
    assert main(["export", "--format", "json", str(missing)]) == 2
    assert capsys.readouterr().err == f"libya-events export: {missing.parent}: no such directory\n"


def test_xlsx_without_openpyxl_names_the_extra(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ExportError) as caught:
        export(ROOT, "xlsx", tmp_path / "libya.xlsx")
    assert str(caught.value) == "the xlsx export needs openpyxl: pip install 'libya-events[export]'"
    assert list(tmp_path.iterdir()) == []


def test_nothing_outside_the_package_is_read_or_zipped(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text("{}", encoding="utf-8")
    package = copy_package(tmp_path / "pkg")
    (package / "schemas" / "leak.json").symlink_to(secret)
    with pytest.raises(ExportError) as caught:
        export(package, "zip", tmp_path / "out.zip")
    assert str(caught.value) == (
        f"{package / 'schemas' / 'leak.json'}: not a regular file inside the package; the "
        "release zip takes nothing from outside it"
    )
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../secret.json"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(PackageReadError) as caught:
        export(package, "json", tmp_path / "out.json")
    assert str(caught.value) == (
        f"{package / 'datapackage.json'}: resources[0]: '../secret.json' is not a relative path "
        "inside the package"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg", "secret.json"]
