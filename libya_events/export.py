"""Export the data package for people who don't use Python: SQLite, Parquet, Excel, JSON, zip.

`export(path, fmt, dest)` writes the whole package with its keys and types taken from the
Table Schemas:

- ``sqlite``: one file; every table with its columns, NOT NULL, vocabulary CHECKs, PRIMARY KEY
  and FOREIGN KEY clauses (Datasette and any SQL client see them), an index per foreign key,
  and a ``_datapackage`` table holding the version, the citation and the descriptor;
- ``parquet``: a directory with one ``<table>.parquet`` per table, vocabularies as dictionary
  columns, the Table Schema and version in the file metadata;
- ``xlsx``: one workbook, a sheet per table after an ``about`` sheet describing every field;
- ``json``: one file, the descriptor with each resource's schema and rows (header first)
  inlined: a valid Frictionless data package;
- ``zip``: the release archive: the CSVs, ``datapackage.json``, the schemas, the codebook,
  ``CITATION.cff`` and, where present, the changelog, README and licences.

An empty cell is missing (NULL, null or an empty spreadsheet cell). Nothing is overwritten
unless asked.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from libya_events import _formats, codebook
from libya_events.errors import ExportError
from libya_events.release import citation_cff, citation_text
from libya_events.snapshot import Snapshot, Table, read_package

FORMATS = _formats.EXPORT
META_TABLE = "_datapackage"
FORMULA_PREFIXES = ("=", "+", "-", "@")
_ZIP_EXTRAS = ("docs/references.md", "CHANGELOG.md", "README.md", "LICENSE-DATA.md", "LICENSE")


def _typed(field: dict[str, Any], text: str, where: str) -> Any:
    """The cell `text` as the Python value its field's type names; None when empty."""
    if text == "":
        return None
    kind = field.get("type", "string")
    try:
        if kind == "number":
            return float(text)
        if kind == "integer":
            return int(text)
        if kind == "boolean":
            return text.strip().lower() in ("true", "1")
        if kind == "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        raise ExportError(
            f"{where}: {text!r} is not a {kind}; validate the package first"
        ) from None
    return text


def _rows(table: Table) -> Iterator[list[Any]]:
    path = table.resource["path"]
    for row, line in zip(table.rows, table.lines, strict=True):
        yield [
            _typed(f, row.get(f["name"], ""), f"{path} line {line}, field {f['name']}")
            for f in table.fields
        ]


def _fk_parts(table: Table, fk: dict[str, Any]) -> tuple[list[str], str, list[str]]:
    fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
    ref = fk["reference"]
    ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
    return fields, ref.get("resource") or table.name, ref_fields


# --- SQLite ------------------------------------------------------------------------------------

_SQL_TYPES = {"number": "REAL", "integer": "INTEGER", "boolean": "INTEGER"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def create_table_sql(table: Table) -> str:
    """CREATE TABLE for `table`, with its keys, NOT NULL and vocabulary CHECK constraints."""
    columns = []
    pk = table.primary_key
    for f in table.fields:
        c = f.get("constraints", {})
        parts = [_q(f["name"]), _SQL_TYPES.get(f.get("type", "string"), "TEXT")]
        if c.get("required") or f["name"] in pk:
            parts.append("NOT NULL")
        if c.get("unique") and pk != [f["name"]]:
            parts.append("UNIQUE")
        if "enum" in c:
            values = ", ".join(_literal(str(v)) for v in c["enum"])
            parts.append(f"CHECK ({_q(f['name'])} IN ({values}))")
        columns.append((" ".join(parts), _comment(f.get("description", ""))))
    clauses = [f"PRIMARY KEY ({', '.join(_q(k) for k in pk)})"] if pk else []
    for fk in table.schema.get("foreignKeys", []):
        fields, target, ref_fields = _fk_parts(table, fk)
        clauses.append(
            f"FOREIGN KEY ({', '.join(_q(f) for f in fields)}) "
            f"REFERENCES {_q(target)} ({', '.join(_q(f) for f in ref_fields)})"
        )
    lines = [f"CREATE TABLE {_q(table.name)} ( -- {_comment(table.schema.get('description', ''))}"]
    items = [text for text, _ in columns] + clauses
    for number, text in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        note = f" -- {columns[number][1]}" if number < len(columns) and columns[number][1] else ""
        lines.append(f"  {text}{comma}{note}")
    return "\n".join(lines) + "\n)"


def _write_sqlite(snapshot: Snapshot, dest: Path) -> None:
    con = sqlite3.connect(dest)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute(
            f"CREATE TABLE {META_TABLE} (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"
        )
        meta = {
            "name": str(snapshot.descriptor.get("name", "")),
            "version": snapshot.version,
            "citation": citation_text(snapshot.descriptor),
            "datapackage.json": json.dumps(snapshot.descriptor, ensure_ascii=False),
        }
        con.executemany(f"INSERT INTO {META_TABLE} VALUES (?, ?)", meta.items())
        for table in snapshot.tables.values():
            con.execute(create_table_sql(table))
            for number, fk in enumerate(table.schema.get("foreignKeys", [])):
                fields = _fk_parts(table, fk)[0]
                index = _q(f"{table.name}_fk{number}_" + "_".join(fields))
                columns = ", ".join(_q(f) for f in fields)
                con.execute(f"CREATE INDEX {index} ON {_q(table.name)} ({columns})")
            marks = ", ".join("?" for _ in table.fields)
            con.executemany(f"INSERT INTO {_q(table.name)} VALUES ({marks})", _rows(table))
        con.commit()
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table_name, rowid, parent, _ = broken[0]
            raise ExportError(
                f"{len(broken)} foreign key(s) do not resolve, the first in {table_name} "
                f"(row {rowid}) -> {parent}; validate the package first"
            )
    except sqlite3.Error as exc:
        raise ExportError(f"{dest}: SQLite refused the package: {exc}") from None
    finally:
        con.close()


# --- Parquet -----------------------------------------------------------------------------------


def _arrow_column(field: dict[str, Any], values: list[Any]) -> tuple[Any, Any]:
    import pyarrow as pa

    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    meta = {"description": field.get("description", "")}
    if enum is not None and kind == "string":
        vocabulary = [str(v) for v in enum]
        position = {v: i for i, v in enumerate(vocabulary)}
        indices = pa.array([position.get(v) if v is not None else None for v in values], pa.int32())
        array = pa.DictionaryArray.from_arrays(indices, pa.array(vocabulary, pa.string()))
        return array, pa.field(field["name"], array.type, metadata=meta)
    arrow_type = {
        "number": pa.float64(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }.get(kind, pa.string())
    array = pa.array(values, arrow_type)
    return array, pa.field(field["name"], arrow_type, metadata=meta)


def _write_parquet(snapshot: Snapshot, dest: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    dest.mkdir(parents=True)
    for table in snapshot.tables.values():
        rows = list(_rows(table))
        arrays, fields = [], []
        for number, f in enumerate(table.fields):
            array, arrow_field = _arrow_column(f, [r[number] for r in rows])
            arrays.append(array)
            fields.append(arrow_field)
        metadata = {
            "libya_events.version": snapshot.version,
            "libya_events.table_schema": json.dumps(table.schema, ensure_ascii=False),
        }
        arrow_table = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=metadata))
        pq.write_table(arrow_table, dest / f"{table.name}.parquet")


# --- Excel -------------------------------------------------------------------------------------


def _set(cell: Any, value: Any) -> None:
    """Put `value` in `cell`; text that looks like a formula stays text, never a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
        return
    cell.value = value
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _write_xlsx(snapshot: Snapshot, dest: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.exceptions import IllegalCharacterError

    bold = Font(bold=True)
    book = Workbook()
    about = book.active
    about.title = "about"
    d = snapshot.descriptor
    for row in (
        ["title", d.get("title", "")],
        ["version", snapshot.version],
        ["cite as", citation_text(d)],
        ["licences", ", ".join(lic["name"] for lic in d.get("licenses", []))],
        [],
        ["table", "field", "type", "required", "description"],
    ):
        about.append(row)
    for cell in about[about.max_row]:
        cell.font = bold
    for table in snapshot.tables.values():
        for f in table.fields:
            required = "yes" if f.get("constraints", {}).get("required") else "no"
            about.append(
                [table.name, f["name"], f.get("type", "string"), required, f.get("description")]
            )
    for table in snapshot.tables.values():
        sheet = book.create_sheet(table.name[:31])
        sheet.append(table.field_names)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for number, values in enumerate(_rows(table), start=2):
            for column, value in enumerate(values, start=1):
                try:
                    _set(sheet.cell(number, column), value)
                except IllegalCharacterError:
                    field = table.field_names[column - 1]
                    line = table.lines[number - 2]
                    raise ExportError(
                        f"{table.resource['path']} line {line}, field {field}: a control "
                        "character Excel cannot store; validate the package first"
                    ) from None
    book.save(dest)


# --- JSON --------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def package_json(snapshot: Snapshot) -> dict[str, Any]:
    """The descriptor with each resource's schema and rows inlined.

    Each resource's ``data`` is a list of rows, the header first, as Frictionless reads inline
    data; a missing value is null, a number a JSON number, a date its ISO text.
    """
    out = {k: v for k, v in snapshot.descriptor.items() if k != "resources"}
    resources = []
    for table in snapshot.tables.values():
        resource = {
            k: v
            for k, v in table.resource.items()
            if k not in ("path", "scheme", "format", "mediatype", "encoding", "dialect", "schema")
        }
        resource["schema"] = table.schema
        rows = [[_json_value(v) for v in row] for row in _rows(table)]
        resource["data"] = [table.field_names, *rows]
        resources.append(resource)
    out["resources"] = resources
    return out


def _write_json(snapshot: Snapshot, dest: Path) -> None:
    text = json.dumps(package_json(snapshot), indent=2, ensure_ascii=False) + "\n"
    dest.write_text(text, encoding="utf-8")


# --- release zip -------------------------------------------------------------------------------


def release_files(snapshot: Snapshot) -> dict[str, bytes]:
    """Archive name -> contents of every file in the release zip, in archive order."""
    root = snapshot.root

    def read(rel: str) -> bytes:
        path = root / rel
        if not path.resolve().is_relative_to(root.resolve()) or not path.is_file():
            raise ExportError(
                f"{path}: not a regular file inside the package; the release zip takes "
                "nothing from outside it"
            )
        return path.read_bytes()

    files: dict[str, bytes] = {"datapackage.json": read("datapackage.json")}
    for table in snapshot.tables.values():
        files[table.resource["path"]] = read(table.resource["path"])
    for schema in sorted((root / "schemas").glob("*.json")):
        files[f"schemas/{schema.name}"] = read(f"schemas/{schema.name}")
    files["docs/codebook.md"] = codebook.render(snapshot).encode("utf-8")
    files["CITATION.cff"] = citation_cff(snapshot.descriptor).encode("utf-8")
    for extra in _ZIP_EXTRAS:
        if (root / extra).is_file():
            files[extra] = read(extra)
    return files


def release_name(snapshot: Snapshot) -> str:
    return f"{snapshot.descriptor.get('name', 'package')}-{snapshot.version}"


def _write_zip(snapshot: Snapshot, dest: Path) -> None:
    top = release_name(snapshot)
    created = str(snapshot.descriptor.get("created", ""))[:10]
    try:
        stamp = dt.date.fromisoformat(created).timetuple()[:6]
    except ValueError:
        stamp = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in release_files(snapshot).items():
            info = zipfile.ZipInfo(f"{top}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


_WRITERS: dict[str, Callable[[Snapshot, Path], None]] = {
    "sqlite": _write_sqlite,
    "parquet": _write_parquet,
    "xlsx": _write_xlsx,
    "json": _write_json,
    "zip": _write_zip,
}
_NEEDS = {"xlsx": "openpyxl"}


@contextmanager
def _staged(dest: Path) -> Iterator[Path]:
    """A temporary path beside `dest`, moved onto `dest` only when writing succeeded."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        yield tmp / dest.name
        target = tmp / dest.name
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        elif dest.exists() or dest.is_symlink():
            dest.unlink()
        target.replace(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def export(path: str | Path | None, fmt: str, dest: str | Path, *, overwrite: bool = False) -> Path:
    """Write the package in directory `path` (None: the packaged data) as `fmt` to `dest`.

    `dest` is a file, or for ``parquet`` a directory. An existing `dest` is replaced only with
    ``overwrite=True``; a failed export leaves nothing behind. Returns `dest`.
    """
    if fmt not in _WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in _NEEDS:
        try:
            __import__(_NEEDS[fmt])
        except ImportError:
            raise ExportError(
                f"the {fmt} export needs {_NEEDS[fmt]}: pip install 'libya-events[export]'"
            ) from None
    if path is None:
        from libya_events._paths import packaged_root

        path = packaged_root()
    snapshot = read_package(path)
    target = Path(dest)
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise ExportError(f"{target} exists; choose another destination or pass --force")
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent}: no such directory")
    with _staged(target) as staging:
        _WRITERS[fmt](snapshot, staging)
    return target
