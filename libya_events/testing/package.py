"""The data package as plain Python: its schemas, tables of CSV cells, and a writer.

A package here is ``{table name: [row, ...]}`` where each row maps every field of the
table, in schema order, to its CSV cell text ("" for an empty cell). ``write_package``
turns such tables (or typed DataFrames, rendered back to the same text) into a data
package directory beside a copy of the real descriptor and schemas.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from libya_events._paths import DESCRIPTOR, packaged_root
from libya_events.snapshot import render_rows, row_lines  # noqa: F401 - re-exported

Row = dict[str, str]
Tables = dict[str, list[Row]]


@dataclass(frozen=True)
class Schemas:
    """The descriptor and Table Schemas of a data package, with the look-ups strategies need."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, dict[str, Any]]

    @property
    def names(self) -> list[str]:
        return list(self.tables)

    def fields(self, table: str) -> list[dict[str, Any]]:
        return self.tables[table]["fields"]

    def field_names(self, table: str) -> list[str]:
        return [f["name"] for f in self.fields(table)]

    def field(self, table: str, name: str) -> dict[str, Any]:
        for f in self.fields(table):
            if f["name"] == name:
                return f
        raise KeyError(f"{table} has no field {name!r}")

    def constraints(self, table: str, name: str) -> dict[str, Any]:
        return self.field(table, name).get("constraints", {})

    def required(self, table: str, name: str) -> bool:
        return bool(self.constraints(table, name).get("required"))

    def enum(self, table: str, name: str) -> list[str]:
        return list(self.constraints(table, name).get("enum", []))

    def pattern(self, table: str, name: str) -> str | None:
        return self.constraints(table, name).get("pattern")

    def primary_key(self, table: str) -> list[str]:
        return list(self.tables[table]["primaryKey"])

    def foreign_keys(self, table: str) -> list[tuple[str, str, str]]:
        """(field, referenced table, referenced field) for each single-field foreign key."""
        out = []
        for fk in self.tables[table].get("foreignKeys", []):
            (field,) = fk["fields"]
            (target_field,) = fk["reference"]["fields"]
            out.append((field, fk["reference"]["resource"] or table, target_field))
        return out

    def record_rules(self, table: str) -> list[dict[str, Any]]:
        return [r["rule"] for r in self.tables[table].get("x-record-rules", [])]

    def resource(self, table: str) -> dict[str, Any]:
        for r in self.descriptor["resources"]:
            if r["name"] == table:
                return r
        raise KeyError(table)


def read_schemas(root: Path) -> Schemas:
    descriptor = json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))
    tables = {
        r["name"]: json.loads((root / r["schema"]).read_text(encoding="utf-8"))
        for r in descriptor["resources"]
    }
    return Schemas(root=root, descriptor=descriptor, tables=tables)


@cache
def shipped_schemas() -> Schemas:
    """The schemas of the data package this installation ships."""
    return read_schemas(packaged_root())


def render_number(value: float) -> str:
    """A number as the package writes it: two decimals, never '-0.00'."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def render_cell(value: Any, field_type: str) -> str:
    """One typed value (from a loaded DataFrame) back to the text of its CSV cell."""
    if value is None or (not isinstance(value, str) and _is_missing(value)):
        return ""
    if field_type == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "date"):  # pandas Timestamp, numpy datetime64 via pandas
            return value.date().isoformat()
        return str(value)
    if field_type == "number":
        return render_number(float(value))
    return str(value)


def _is_missing(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
    except ImportError:  # pragma: no cover - pandas is a runtime dependency
        return isinstance(value, float) and math.isnan(value)


def frame_rows(frame: Any, table: str, schemas: Schemas | None = None) -> list[Row]:
    """The rows of a typed DataFrame of ``table`` as CSV cell text, in schema field order."""
    schemas = schemas or shipped_schemas()
    types = {f["name"]: f["type"] for f in schemas.fields(table)}
    names = schemas.field_names(table)
    columns = {name: frame[name].tolist() for name in names}
    return [
        {name: render_cell(columns[name][i], types[name]) for name in names}
        for i in range(len(frame))
    ]


def write_package(tables: Mapping[str, Any], dest: Path, *, schemas: Schemas | None = None) -> Path:
    """Write a data package directory at ``dest`` and return its descriptor's path.

    ``tables`` maps each table name to rows of cell text or to a typed DataFrame.
    The descriptor and every file under ``schemas/`` are copied from the shipped package
    (or ``schemas.root``); tables not given are written with their header only.
    """
    schemas = schemas or shipped_schemas()
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(schemas.root / DESCRIPTOR, dest / DESCRIPTOR)
    shutil.copytree(schemas.root / "schemas", dest / "schemas", dirs_exist_ok=True)
    for table in schemas.names:
        given = tables.get(table, [])
        rows = given if isinstance(given, list) else frame_rows(given, table, schemas)
        path = dest / schemas.resource(table)["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        text = render_rows(rows, schemas.field_names(table))
        path.write_bytes(text.encode("utf-8"))
    return dest / DESCRIPTOR


def read_tables(root: Path | None = None, schemas: Schemas | None = None) -> Tables:
    """A package directory's tables as cell text (the shipped package by default)."""
    schemas = schemas or (read_schemas(root) if root else shipped_schemas())
    root = root or schemas.root
    out: Tables = {}
    for name in schemas.names:
        with open(root / schemas.resource(name)["path"], encoding="utf-8", newline="") as fh:
            out[name] = list(csv.DictReader(fh))
    return out


def validate_tables(tables: Mapping[str, Any], schemas: Schemas | None = None) -> Any:
    """The validator's report on ``tables`` written as a package in a temporary directory."""
    import tempfile

    from libya_events.validate import validate

    with tempfile.TemporaryDirectory(prefix="libya-events-") as tmp:
        return validate(write_package(tables, Path(tmp) / "package", schemas=schemas).parent)
