"""The synthetic package generator: valid packages that keep every rule, faults where recorded."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest

from libya_events.errors import Code
from libya_events.testing.package import shipped_schemas
from libya_events.testing.synthetic import (
    FAULT_KINDS,
    SyntheticPackage,
    write_synthetic,
)
from libya_events.validate import validate

N_EVENTS = 200
EVERY_FAULT = dict.fromkeys(FAULT_KINDS, 2)
# The Frictionless error type each Table-Schema-level fault is reported as; the other kinds
# break rules that Table Schema cannot state.
FRICTIONLESS_TYPE = {
    "type": "type-error",
    "enum": "constraint-error",
    "pattern": "constraint-error",
    "duplicate-key": "primary-key",
    "missing-reference": "foreign-key",
}
# The finding code the validator reports for each kind of planted fault.
CODE = {
    "type": Code.TYPE_ERROR,
    "enum": Code.CONSTRAINT_ERROR,
    "pattern": Code.CONSTRAINT_ERROR,
    "duplicate-key": Code.PRIMARY_KEY,
    "missing-reference": Code.FOREIGN_KEY,
    "reversed-dates": Code.DATE_ORDER,
    "statement-outside-event": Code.STATEMENT_OUTSIDE_EVENT,
    "record-rule": Code.RECORD_RULE,
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> SyntheticPackage:
    return write_synthetic(tmp_path_factory.mktemp("clean") / "pkg", N_EVENTS, seed=7)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> SyntheticPackage:
    return write_synthetic(
        tmp_path_factory.mktemp("faulty") / "pkg", N_EVENTS, seed=7, faults=EVERY_FAULT
    )


def rows(package: SyntheticPackage, table: str) -> list[dict[str, str]]:
    path = package.path / shipped_schemas().resource(table)["path"]
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def by_key(package: SyntheticPackage, table: str, key: str) -> dict[str, dict[str, str]]:
    return {r[key]: r for r in rows(package, table)}


def frictionless_errors(package: SyntheticPackage) -> set[tuple[str, int, str]]:
    from frictionless import Package

    report = Package(str(package.descriptor)).validate()
    return {
        (task.name, error.row_number, error.type) for task in report.tasks for error in task.errors
    }


def test_sizes_follow_the_number_of_events(clean: SyntheticPackage) -> None:
    assert clean.rows == {
        "sources": 4,
        "actors": 10,
        "actor_names": 14,
        "affiliations": 9,
        "events": 200,
        "event_actors": 400,
        "event_links": 40,
        "event_sources": 100,
        "statements": 100,
        "retired_ids": 3,
    }
    assert {t: len(rows(clean, t)) for t in clean.rows} == clean.rows
    assert clean.faults == []


def test_every_table_has_its_schema_header_and_is_sorted_by_key(clean: SyntheticPackage) -> None:
    schemas = shipped_schemas()
    for table in schemas.names:
        path = clean.path / schemas.resource(table)["path"]
        raw = path.read_bytes()
        assert raw.split(b"\n", 1)[0].decode() == ",".join(schemas.field_names(table))
        assert b"\r" not in raw
        keys = [tuple(r[k] for k in schemas.primary_key(table)) for r in rows(clean, table)]
        assert keys == sorted(keys), table
        assert len(set(keys)) == len(keys), table


def test_the_schemas_and_descriptor_are_the_real_ones(clean: SyntheticPackage) -> None:
    root = shipped_schemas().root
    assert filecmp.cmp(root / "datapackage.json", clean.descriptor, shallow=False)
    for schema in (root / "schemas").iterdir():
        assert filecmp.cmp(schema, clean.path / "schemas" / schema.name, shallow=False)


def test_every_reference_resolves_and_nothing_is_an_orphan(clean: SyntheticPackage) -> None:
    schemas = shipped_schemas()
    referenced: dict[str, set[str]] = {"actors": set(), "sources": set()}
    for table in schemas.names:
        for field, target, target_field in schemas.foreign_keys(table):
            known = {r[target_field] for r in rows(clean, target)}
            values = {r[field] for r in rows(clean, table) if r[field]}
            assert values <= known, f"{table}.{field}"
            if target in referenced and table != target:
                referenced[target] |= values
    assert referenced["actors"] == set(by_key(clean, "actors", "actor_id"))
    assert referenced["sources"] == set(by_key(clean, "sources", "source_id"))


def test_dates_are_ordered_across_tables(clean: SyntheticPackage) -> None:
    events = by_key(clean, "events", "event_id")
    sources = by_key(clean, "sources", "source_id")
    affiliations = by_key(clean, "affiliations", "affiliation_id")
    for table in ("events", "affiliations"):
        for r in rows(clean, table):
            if r["start_date"] and r["end_date"]:
                assert r["start_date"] <= r["end_date"]
    children = [e for e in events.values() if e["parent_event_id"]]
    assert children
    for e in children:
        parent = events[e["parent_event_id"]]
        assert parent["start_date"] <= e["start_date"] <= e["end_date"] <= parent["end_date"]
    for s in rows(clean, "statements"):
        if s["date"]:
            e = events[s["event_id"]]
            assert e["start_date"] <= s["date"] <= (e["end_date"] or s["date"])
    acting = [ea for ea in rows(clean, "event_actors") if ea["affiliation_id"]]
    assert acting
    for ea in acting:
        aff, event = affiliations[ea["affiliation_id"]], events[ea["event_id"]]
        assert aff["actor_id"] == ea["actor_id"]
        assert not aff["start_date"] or aff["start_date"] <= event["start_date"]
        assert not aff["end_date"] or event["start_date"] <= aff["end_date"]
    published = [s["published"] for s in sources.values() if s["published"]]
    latest = max(
        d
        for t in ("events", "affiliations")
        for r in rows(clean, t)
        for d in (r["start_date"], r["end_date"])
        if d
    )
    assert latest < min(published)


def test_vocabularies_come_from_the_schemas(clean: SyntheticPackage) -> None:
    schemas = shipped_schemas()
    for table in schemas.names:
        for name in schemas.field_names(table):
            enum = schemas.enum(table, name)
            if enum:
                used = {r[name] for r in rows(clean, table)} - {""}
                assert used <= set(enum), f"{table}.{name}"


def test_frictionless_finds_nothing_in_a_clean_package(clean: SyntheticPackage) -> None:
    assert frictionless_errors(clean) == set()


def test_planted_faults_are_recorded_two_of_each_kind(faulty: SyntheticPackage) -> None:
    assert sorted(f.kind for f in faulty.faults) == sorted(FAULT_KINDS * 2)
    assert faulty.rows["event_sources"] == 102


def test_each_planted_fault_sits_at_its_recorded_line_and_field(faulty: SyntheticPackage) -> None:
    for fault in faulty.faults:
        table = rows(faulty, fault.table)
        row = table[fault.line - 2]
        assert row[fault.field] == fault.value, fault
        if fault.kind == "duplicate-key":
            above = table[fault.line - 3]
            assert (row["event_id"], row["source_id"]) == (above["event_id"], above["source_id"])


def test_frictionless_finds_exactly_the_table_schema_faults(faulty: SyntheticPackage) -> None:
    expected = {
        (f.table, f.line, FRICTIONLESS_TYPE[f.kind])
        for f in faulty.faults
        if f.kind in FRICTIONLESS_TYPE
    }
    assert len(expected) == 2 * len(FRICTIONLESS_TYPE)
    assert frictionless_errors(faulty) == expected


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    first = write_synthetic(tmp_path / "a", 60, seed=3, faults={"reversed-dates": 1})
    second = write_synthetic(tmp_path / "b", 60, seed=3, faults={"reversed-dates": 1})
    assert first.faults == second.faults
    for table in shipped_schemas().names:
        path = shipped_schemas().resource(table)["path"]
        assert (first.path / path).read_bytes() == (second.path / path).read_bytes()


def test_bad_requests_are_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown fault kind 'typo'"):
        write_synthetic(tmp_path / "a", 60, faults={"typo": 1})
    with pytest.raises(ValueError, match="cannot plant 500 pattern faults: only 4 rows qualify"):
        write_synthetic(tmp_path / "b", 60, faults={"pattern": 500})
    with pytest.raises(ValueError, match="at least 40"):
        write_synthetic(tmp_path / "c", 39)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_text("")
    with pytest.raises(FileExistsError, match="is not empty"):
        write_synthetic(tmp_path / "d", 60)


def test_the_validator_finds_nothing_in_a_clean_package(clean: SyntheticPackage) -> None:
    report = validate(clean.path)
    assert report.flatten(["code", "table", "line", "field", "message"]) == []
    assert report.stats["rows"] == sum(clean.rows.values())


def test_the_validator_finds_each_planted_fault_once_where_it_was_planted(
    faulty: SyntheticPackage,
) -> None:
    report = validate(faulty.path)
    found = sorted(report.flatten(["code", "table", "line", "field"]))
    planted = sorted([CODE[f.kind].value, f.table, f.line, f.field] for f in faulty.faults)
    assert found == planted
    assert report.exit_code == 1
