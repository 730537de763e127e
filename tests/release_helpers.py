"""Helpers for the release-tool tests: copy the shipped package and edit the copy."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

from conftest import ROOT


def copy_package(dest: Path, root: Path = ROOT) -> Path:
    """A copy of the data package (descriptor, data, schemas, the reference list) at `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "datapackage.json", dest / "datapackage.json")
    if (root / "docs" / "references.md").is_file():
        (dest / "docs").mkdir()
        shutil.copyfile(root / "docs" / "references.md", dest / "docs" / "references.md")
    shutil.copytree(root / "data", dest / "data")
    shutil.copytree(root / "schemas", dest / "schemas")
    return dest


def read_rows(package: Path, table: str) -> list[dict[str, str]]:
    with open(package / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def header(package: Path, table: str) -> list[str]:
    with open(package / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def write_rows(
    package: Path, table: str, rows: list[dict[str, str]], fields: list[str] | None = None
) -> None:
    fields = fields or header(package, table)
    with open(package / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read_schema(package: Path, table: str) -> dict[str, Any]:
    return json.loads((package / "schemas" / f"{table}.table.json").read_text(encoding="utf-8"))


def write_schema(package: Path, table: str, schema: dict[str, Any]) -> None:
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    (package / "schemas" / f"{table}.table.json").write_text(text, encoding="utf-8")


def field_of(schema: dict[str, Any], name: str) -> dict[str, Any]:
    (field,) = [f for f in schema["fields"] if f["name"] == name]
    return field


def set_version(package: Path, version: str) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"] = version
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def add_event(package: Path, event_id: str, like: str = "berlin-conference-2020-01-19") -> None:
    """Add an event copied from `like` under a new id, keeping the rows sorted by key."""
    rows = read_rows(package, "events")
    (template,) = [r for r in rows if r["event_id"] == like]
    rows.append({**template, "event_id": event_id})
    write_rows(package, "events", sorted(rows, key=lambda r: r["event_id"]))


def retire(package: Path, table: str, rid: str, version: str, reason: str, by: str = "") -> None:
    rows = read_rows(package, "retired_ids")
    rows.append(
        {
            "table": table,
            "id": rid,
            "retired_in": version,
            "reason": reason,
            "replaced_by": by,
            "source_id": "",
            "notes": f"{rid} is {reason}.",
        }
    )
    write_rows(package, "retired_ids", sorted(rows, key=lambda r: (r["table"], r["id"])))
