"""Differential tests: our columnar table layer against frictionless-py on the same faulty packages.

For faults frictionless checks (types, constraints, keys, foreign keys, row structure) both
must flag the same rows, and our code for a row must be one of the error types frictionless
reports there (it may report one fault twice, e.g. a blank row also as a primary-key error;
we report it once).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from fixtures.packages import append, copy_package, replace, rows, set_cell

from libya_events.validate import validate

ROW_TYPES = {
    "type-error",
    "constraint-error",
    "unique-error",
    "primary-key",
    "foreign-key",
    "blank-row",
    "extra-cell",
    "missing-cell",
}


def frictionless_rows(pkg: Path) -> dict[tuple[str, int], set[str]]:
    from frictionless import Package

    report = Package(str(pkg / "datapackage.json")).validate()
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for task in report.tasks:
        for error in task.errors:
            if error.type in ROW_TYPES:
                found[(task.name, error.row_number)].add(error.type)
    return dict(found)


def our_rows(pkg: Path) -> dict[tuple[str, int], set[str]]:
    found: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in validate(pkg).findings:
        if f.layer in ("text", "table") and f.row is not None and f.table:
            found[(f.table, f.row)].add(f.code)
    return dict(found)


def assert_same_rows(pkg: Path) -> dict[tuple[str, int], set[str]]:
    theirs, ours = frictionless_rows(pkg), our_rows(pkg)
    assert sorted(ours) == sorted(theirs)
    for key, codes in ours.items():
        assert codes <= theirs[key], (key, codes, theirs[key])
    return ours


def test_the_real_package_is_clean_for_both(root: Path) -> None:
    assert frictionless_rows(root) == our_rows(root) == {}


def test_type_constraint_key_and_structure_faults(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    actors = rows(pkg, "actors")
    holder = next(r for r in actors if r["wikidata_id"])
    others = [r["actor_id"] for r in actors if not r["wikidata_id"]]
    set_cell(
        pkg,
        "events",
        ("event_id", "joint-military-commission-geneva-2020-02"),
        "end_date",
        "2020-02-31",
    )
    set_cell(pkg, "actors", ("actor_id", others[0]), "country", "Libya")
    set_cell(pkg, "actors", ("actor_id", others[1]), "kind", "country")
    set_cell(pkg, "actors", ("actor_id", others[2]), "name", "")
    set_cell(pkg, "actors", ("actor_id", others[3]), "wikidata_id", holder["wikidata_id"])
    replace(pkg, "events", ",LBY,32.88,13.19,", ",LBY,-91,13.19,")
    set_cell(pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "parent_event_id", "x-1")
    set_cell(pkg, "event_actors", ("affiliation_id", "putin-president"), "actor_id", "putin")
    link = rows(pkg, "event_links")[0]
    append(pkg, "event_links", ",".join(link.values()))
    append(
        pkg,
        "event_links",
        ",".join(link.values()).replace(link["event_id"], "moscow-talks-2020-01-13", 1) + ",extra",
    )
    append(pkg, "event_sources", ",,")
    statement = rows(pkg, "statements")[-1]
    append(
        pkg,
        "statements",
        ",".join(list(statement.values())[:4]).replace(statement["statement_id"], "zz-short"),
    )
    ours = assert_same_rows(pkg)
    assert sorted(c for codes in ours.values() for c in codes) == sorted(
        [
            "blank-row",
            "constraint-error",
            "constraint-error",
            "constraint-error",
            "constraint-error",
            "extra-cell",
            "foreign-key",
            "foreign-key",
            "missing-cell",
            "primary-key",
            "type-error",
            "unique-error",
        ]
    )


def test_a_quoted_line_break_shifts_lines_but_not_rows(tmp_path: Path) -> None:
    pkg = copy_package(tmp_path / "pkg")
    set_cell(pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "notes", "a\nb")
    line = set_cell(pkg, "events", ("event_id", "ceasefire-2020-01-12"), "latitude", "north")
    ours = assert_same_rows(pkg)
    assert ours == {("events", line - 1): {"type-error"}}


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_packages_with_planted_faults(tmp_path: Path, seed: int) -> None:
    from libya_events.testing.synthetic import write_synthetic

    faults = {"type": 2, "enum": 2, "pattern": 2, "duplicate-key": 2, "missing-reference": 2}
    package = write_synthetic(tmp_path / "syn", 150, seed=seed, faults=faults)
    ours = assert_same_rows(package.path)
    planted = {(f.table, f.line) for f in package.faults}
    assert {(t, r) for t, r in ours} == planted  # no quoted line breaks: rows are lines
