"""The record layer: each row as a JSON record against schemas/<table>.record.json.

One test per record rule (each ``allOf`` entry, named by its ``$comment``), plus the JSON
Schema checks the Table Schema does not make, and no double reporting with the table layer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.packages import ROOT, copy_package, set_cell

from libya_events.validate import validate

KEYS = ["code", "table", "line", "field"]


def rule_comments(table: str) -> list[str]:
    schema = json.loads((ROOT / "schemas" / f"{table}.record.json").read_text("utf-8"))
    return [rule["$comment"] for rule in schema.get("allOf", [])]


# (table, key, {field: new value}, the rule broken, the field reported)
CASES = {
    "lat-without-long": (
        "events",
        "berlin-conference-2020-01-19",
        {"longitude": ""},
        "latitude and longitude are both given or both empty.",
        "longitude",
    ),
    "coordinates-without-location": (
        "events",
        "berlin-conference-2020-01-19",
        {"location": "", "location_precision": "", "location_wikidata_id": ""},
        "Coordinates need a location.",
        "location",
    ),
    "location-without-precision": (
        "events",
        "lavrov-visit-turkey-2020-06-14",
        {"location_precision": ""},
        "location_precision is set exactly when location is.",
        "location_precision",
    ),
    "unknown-precision-with-a-date": (
        "events",
        "geneva-talks-proposal-2020-06",
        {"start_date": "2020-06-20"},
        "An undated event has date_precision 'unknown', and an 'unknown' one has no dates.",
        "start_date",
    ),
    "occurred-without-end": (
        "events",
        "ceasefire-2020-01-12",
        {"end_date": ""},
        "Only ongoing, planned or proposed events, or undated ones, may lack an end_date.",
        "end_date",
    ),
    "ongoing-with-end": (
        "events",
        "tripoli-offensive-2019",
        {"end_date": "2020-06-20"},
        "An event that is still ongoing has no end_date.",
        "end_date",
    ),
    "range-without-end": (
        "events",
        "cairo-ceasefire-proposal-2020-06-08",
        {"date_precision": "range"},
        "A date known only to a range, month or year has both ends.",
        "end_date",
    ),
    "start-without-precision": (
        "affiliations",
        "al-thani-prime-minister",
        {"start_precision": ""},
        "start_precision is set exactly when start_date is.",
        "start_precision",
    ),
    "end-without-precision": (
        "affiliations",
        "cavusoglu-foreign-minister-2014",
        {"end_precision": ""},
        "end_precision is set exactly when end_date is.",
        "end_precision",
    ),
    "quote-in-quotation-marks": (
        "statements",
        "mfa-call-coordinated-steps",
        {"text": "\u201cThey have stressed the importance of coordinated steps.\u201d"},
        "A quote carries no enclosing quotation marks.",
        "text",
    ),
}
KEY_FIELD = {"events": "event_id", "affiliations": "affiliation_id", "statements": "statement_id"}


def test_every_record_rule_has_a_case() -> None:
    covered = {(table, comment) for table, _, _, comment, _ in CASES.values()}
    every = {(t, c) for t in ("events", "affiliations", "statements") for c in rule_comments(t)}
    assert covered == every


@pytest.mark.parametrize("name", CASES)
def test_a_broken_record_rule_is_one_finding_naming_the_rule(tmp_path: Path, name: str) -> None:
    table, key, changes, comment, field = CASES[name]
    pkg = copy_package(tmp_path / "pkg")
    for column, value in changes.items():
        line = set_cell(pkg, table, (KEY_FIELD[table], key), column, value)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["record-rule", table, line, field]]
    assert f"breaks the record rule: {comment}" in report.findings[0].message
    assert report.findings[0].layer == "record"


def test_a_date_frictionless_accepts_but_the_json_schema_does_not(tmp_path: Path) -> None:
    """frictionless parses '2020-1-19' with strptime; the record schema wants YYYY-MM-DD."""
    pkg = copy_package(tmp_path / "pkg")
    line = set_cell(
        pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "start_date", "2020-1-19"
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["record-error", "events", line, "start_date"]]
    assert report.findings[0].message.endswith("start_date '2020-1-19' is not a 'date'")


def test_a_cell_the_table_layer_reported_is_not_reported_again(tmp_path: Path) -> None:
    """'2020-13-01' is a type error (table) and fails the record's date format too: one."""
    pkg = copy_package(tmp_path / "pkg")
    line = set_cell(
        pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "end_date", "2020-13-01"
    )
    assert validate(pkg).flatten(KEYS) == [["type-error", "events", line, "end_date"]]


def test_a_stale_record_schema_is_one_finding_per_unknown_field(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    path = pkg / "schemas" / "event_links.record.json"
    schema = json.loads(path.read_text("utf-8"))
    del schema["properties"]["notes"]
    path.write_text(json.dumps(schema), "utf-8")
    assert any(r["notes"] for r in _rows(pkg, "event_links")), "needs a row with notes"
    report = validate(pkg)
    assert report.flatten(KEYS) == [["record-error", "event_links", None, "notes"]]
    assert "has no property 'notes'; regenerate it (python scripts/build.py)" in (
        report.findings[0].message
    )


def _rows(pkg: Path, table: str) -> list[dict[str, str]]:
    import csv

    with (pkg / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
