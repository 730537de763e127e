"""The shipped data package: format, schemas, keys, dates and provenance."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import DESCRIPTOR, ROOT, TABLES


def table_schema(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / f"{name}.table.json").read_text(encoding="utf-8"))


def rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def index(name: str, key: str) -> dict[str, dict[str, str]]:
    return {r[key]: r for r in rows(name)}


def test_frictionless_validates_the_package() -> None:
    from frictionless import Package

    report = Package(str(ROOT / "datapackage.json")).validate()
    assert report.flatten(["rowNumber", "fieldName", "type"]) == []
    assert report.valid
    assert report.stats["tasks"] == len(TABLES)


def test_the_tables_are_the_expected_ones() -> None:
    assert TABLES == [
        "sources",
        "actors",
        "actor_names",
        "affiliations",
        "events",
        "event_actors",
        "event_links",
        "event_sources",
        "statements",
        "retired_ids",
    ]


@pytest.mark.parametrize("name", TABLES)
def test_csv_is_utf8_lf_with_schema_header_and_sorted_by_key(name: str) -> None:
    raw = (ROOT / "data" / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    schema = table_schema(name)
    header = raw.split(b"\n", 1)[0].decode()
    assert header.split(",") == [f["name"] for f in schema["fields"]]
    keys = [tuple(r[k] for k in schema["primaryKey"]) for r in rows(name)]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("name", TABLES)
def test_every_field_is_described_and_vocabularies_agree(name: str) -> None:
    for field in table_schema(name)["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
        categories = [c["value"] for c in field.get("categories", [])]
        enum = field.get("constraints", {}).get("enum", [])
        assert categories == enum, f"{name}.{field['name']}: categories and enum differ"
        assert all(c.get("label") for c in field.get("categories", []))


def test_generated_record_schemas_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.stdout == ""
    assert done.returncode == 0


@pytest.mark.parametrize("name", TABLES)
def test_record_schema_agrees_with_table_schema_field_by_field(name: str) -> None:
    record = json.loads((ROOT / "schemas" / f"{name}.record.json").read_text(encoding="utf-8"))
    fields = table_schema(name)["fields"]
    assert list(record["properties"]) == [f["name"] for f in fields]
    assert record["required"] == [
        f["name"] for f in fields if f.get("constraints", {}).get("required")
    ]
    for f in fields:
        assert record["properties"][f["name"]].get("enum") == f.get("constraints", {}).get("enum")


@pytest.mark.parametrize("name", TABLES)
def test_every_row_passes_its_json_schema(name: str) -> None:
    record = json.loads((ROOT / "schemas" / f"{name}.record.json").read_text(encoding="utf-8"))
    types = {f["name"]: f["type"] for f in table_schema(name)["fields"]}
    validator = jsonschema.Draft202012Validator(record, format_checker=jsonschema.FormatChecker())
    problems = []
    for line, row in enumerate(rows(name), start=2):
        rec = {k: float(v) if types[k] == "number" else v for k, v in row.items() if v != ""}
        problems += [(line, e.message) for e in validator.iter_errors(rec)]
    assert problems == []


def test_json_schema_catches_coordinates_without_partner() -> None:
    record = json.loads((ROOT / "schemas" / "events.record.json").read_text(encoding="utf-8"))
    event = {
        "event_id": "x",
        "title": "x",
        "kind": "meeting",
        "start_date": "2020-01-01",
        "end_date": "2020-01-01",
        "date_precision": "day",
        "status": "occurred",
        "location": "Cairo",
        "location_precision": "city",
        "latitude": 30.04,
        "summary": "x",
        "source_id": "s",
    }
    errors = list(jsonschema.Draft202012Validator(record).iter_errors(event))
    assert [e.message for e in errors] == ["'longitude' is a required property"]


def test_every_reference_resolves() -> None:
    """Every foreign key declared in the schemas points at an existing row."""
    for name in TABLES:
        for fk in table_schema(name).get("foreignKeys", []):
            (field,) = fk["fields"]
            target = fk["reference"]["resource"] or name
            (target_field,) = fk["reference"]["fields"]
            known = {r[target_field] for r in rows(target)}
            missing = [r[field] for r in rows(name) if r[field] and r[field] not in known]
            assert missing == [], f"{name}.{field} -> {target}.{target_field}"


def test_every_date_range_is_ordered() -> None:
    for name, start, end in [
        ("events", "start_date", "end_date"),
        ("affiliations", "start_date", "end_date"),
    ]:
        for r in rows(name):
            if r[start] and r[end]:
                assert r[start] <= r[end], (name, r)


def test_child_events_lie_within_their_parent() -> None:
    events = index("events", "event_id")
    for e in events.values():
        if e["parent_event_id"]:
            parent = events[e["parent_event_id"]]
            assert parent["start_date"] <= e["start_date"], e["event_id"]
            if parent["end_date"]:  # an ongoing parent is open-ended
                assert e["end_date"] and e["end_date"] <= parent["end_date"], e["event_id"]


def test_statements_fall_within_their_event() -> None:
    events = index("events", "event_id")
    for s in rows("statements"):
        if s["event_id"] and s["date"]:
            e = events[s["event_id"]]
            assert e["start_date"] <= s["date"] <= (e["end_date"] or s["date"])


def test_acting_offices_are_the_actors_own_and_in_force() -> None:
    events = index("events", "event_id")
    affiliations = index("affiliations", "affiliation_id")
    for ea in rows("event_actors"):
        if ea["affiliation_id"]:
            aff = affiliations[ea["affiliation_id"]]
            event = events[ea["event_id"]]
            assert aff["actor_id"] == ea["actor_id"]
            # in force on some day of the event (a range event's day is not known); an office
            # ending in a month or year known only to that precision ends with it
            last_day = event["end_date"] or event["start_date"]
            office_end = {
                "year": aff["end_date"][:4] + "-12-31",
                "month": aff["end_date"][:7] + "-31",
            }
            office_end = office_end.get(aff["end_precision"], aff["end_date"])
            assert not aff["start_date"] or aff["start_date"] <= last_day, ea
            assert not office_end or event["start_date"] <= office_end, ea


def test_wikidata_ids_are_only_the_verified_ones(shared_source: Path) -> None:
    references = (shared_source / "REFERENCES.md").read_text(encoding="utf-8")
    verified_q = set(re.findall(r"\bQ\d+\b", references))
    used_q = {r["wikidata_id"] for r in rows("actors") if r["wikidata_id"]}
    used_q |= {r["location_wikidata_id"] for r in rows("events") if r["location_wikidata_id"]}
    assert used_q <= verified_q


STATES = [r for r in rows("actors") if r["kind"] == "state"]
# States whose English short name in the dataset is not one of ISO 3166's names for them.
ISO_SPELLING = {
    "Turkey": "Türkiye",
    "Russia": "Russian Federation",
    "Syria": "Syrian Arab Republic",
    "Iran": "Iran, Islamic Republic of",
}


@pytest.mark.parametrize("state", STATES, ids=[r["actor_id"] for r in STATES])
def test_every_state_has_its_iso_3166_code(state: dict[str, str]) -> None:
    pycountry = pytest.importorskip("pycountry")
    record = pycountry.countries.get(alpha_3=state["country"])
    assert record is not None, f"{state['actor_id']}: {state['country']!r} is not in ISO 3166-1"
    iso_names = {getattr(record, a, None) for a in ("name", "common_name", "official_name")}
    assert ISO_SPELLING.get(state["name"], state["name"]) in iso_names


def test_every_country_code_is_in_iso_3166() -> None:
    pycountry = pytest.importorskip("pycountry")
    codes = {r["country"] for t in ("actors", "events") for r in rows(t) if r["country"]}
    assert sorted(c for c in codes if pycountry.countries.get(alpha_3=c) is None) == []


def test_quotes_from_the_report_are_verbatim(shared_source: Path) -> None:
    report = (shared_source / "tass-2020-06-20.txt").read_text(encoding="utf-8")
    tass_texts = [
        s["text"]
        for s in rows("statements")
        if s["source_id"] == "tass-2020-06-20" and s["kind"] in ("quote", "claim")
    ]
    assert len(tass_texts) == 3
    for text in tass_texts:
        assert text in report


def test_the_agencys_framing_is_a_claim_not_an_event() -> None:
    (claim,) = [s for s in rows("statements") if s["statement_id"] == "tass-nato-framing"]
    assert (claim["speaker_id"], claim["kind"], claim["about_event_id"]) == (
        "tass",
        "claim",
        "nato-operation-libya-2011",
    )
    assert all("demolish" not in e["summary"] for e in rows("events"))


def test_descriptor_metadata() -> None:
    assert DESCRIPTOR["name"] == "libya-events"
    assert re.fullmatch(r"\d+\.\d+\.\d+", DESCRIPTOR["version"])
    assert [lic["name"] for lic in DESCRIPTOR["licenses"]] == ["CC-BY-4.0"]
    assert DESCRIPTOR["created"]
    assert all(r["schema"] == f"schemas/{r['name']}.table.json" for r in DESCRIPTOR["resources"])


def test_every_source_can_be_followed_from_the_package_alone() -> None:
    without_url = {r["source_id"]: r for r in rows("sources") if not r["url"]}
    assert sorted(without_url) == ["references", "tass-2020-06-20"]
    assert without_url["tass-2020-06-20"]["notes"].startswith("Full reference: TASS, ")
    assert "docs/references.md" in without_url["references"]["description"]
    assert (ROOT / "docs" / "references.md").is_file()
    for table in TABLES:
        for row in rows(table):
            assert not any("shared/" in cell for cell in row.values()), (table, row)


@pytest.mark.parametrize(
    ("actor", "before", "after"),
    [
        ("fayez-al-sarraj", ["sarraj-head-of-gna"], []),
        ("abdullah-al-thani", ["al-thani-prime-minister"], []),
        ("abdul-hamid-dbeibah", [], ["dbeibah-prime-minister-gnu"]),
        ("mohamed-younis-ab-menfi", [], ["menfi-head-of-presidency-council"]),
    ],
)
def test_offices_answer_across_the_handover_of_march_2021(
    actor: str, before: list[str], after: list[str]
) -> None:
    import libya_events as le

    on = {
        d: le.affiliations_on(actor, d)["affiliation_id"].tolist()
        for d in ("2021-03-01", "2021-04-01")
    }
    assert on == {"2021-03-01": before, "2021-04-01": after}
