"""Regenerate the files derived from the package: record JSON Schemas, codebook, CITATION.cff,
and the issue form for contributions.

Run `python scripts/build.py` after editing `schemas/*.table.json`, `data/*.csv` or the
version in `datapackage.json`; `python scripts/build.py --check` exits 1 and names the stale
files instead. The Table Schemas are the one source of truth for fields, types and
vocabularies; `docs/codebook.md` also carries this version's row counts, `CITATION.cff`
its version and release date, and `.github/ISSUE_TEMPLATE/add-event.yml` the vocabularies as
dropdowns (its questions are `libya_events.add.FORM`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout: use this checkout's package
    sys.path.insert(0, str(ROOT))

from libya_events import codebook  # noqa: E402
from libya_events.add import issue_form  # noqa: E402
from libya_events.release import citation_cff  # noqa: E402
from libya_events.snapshot import read_package  # noqa: E402

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
}


def field_schema(field: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema for one cell, translated from a Table Schema field."""
    out: dict[str, Any] = {"description": field["description"], **_TYPES[field["type"]]}
    constraints = field.get("constraints", {})
    if "pattern" in constraints:
        out["pattern"] = constraints["pattern"]
    if "enum" in constraints:
        out["enum"] = constraints["enum"]
    if "minimum" in constraints:
        out["minimum"] = constraints["minimum"]
    if "maximum" in constraints:
        out["maximum"] = constraints["maximum"]
    if out["type"] == "string" and field["type"] == "string":
        out["minLength"] = 1
    return out


def record_schema(name: str, table_schema: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one row of a table, empty cells omitted."""
    fields = table_schema["fields"]
    schema: dict[str, Any] = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"urn:libya-events:schemas:{name}.record.json",
        "title": f"One record of {name}.csv",
        "description": (
            f"{table_schema['description']} Generated from schemas/{name}.table.json by "
            "scripts/build.py: a record is a row with its empty cells left out, numbers as "
            "JSON numbers and every other value as a string."
        ),
        "type": "object",
        "properties": {f["name"]: field_schema(f) for f in fields},
        "required": [f["name"] for f in fields if f.get("constraints", {}).get("required")],
        "additionalProperties": False,
    }
    rules = table_schema.get("x-record-rules", [])
    if rules:
        schema["allOf"] = [{"$comment": r["description"], **r["rule"]} for r in rules]
    return schema


def render(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    out: dict[Path, str] = {}
    for resource in package["resources"]:
        name = resource["name"]
        table_schema = json.loads((ROOT / resource["schema"]).read_text(encoding="utf-8"))
        out[ROOT / "schemas" / f"{name}.record.json"] = render(record_schema(name, table_schema))
    snapshot = read_package(ROOT)
    out[ROOT / "docs" / "codebook.md"] = codebook.render(snapshot)
    out[ROOT / "CITATION.cff"] = citation_cff(package)
    out[ROOT / ".github" / "ISSUE_TEMPLATE" / "add-event.yml"] = issue_form(snapshot)
    return out


def stale() -> list[Path]:
    return [
        p
        for p, text in outputs().items()
        if not p.exists() or p.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        bad = stale()
        for path in bad:
            print(f"stale: {path.relative_to(ROOT)} (run python scripts/build.py)")
        return int(bool(bad))
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
