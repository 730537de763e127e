"""The cross-table rules (libya_events/rules.py): one broken fixture per rule, one finding each."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.packages import append, copy_package, line_of, read_json, rows, set_cell, write_json

from libya_events.rules import REFERENCES, RULES
from libya_events.validate import validate

KEYS = ["code", "table", "line", "field"]
EVENT = ("event_id",)


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def findings(pkg: Path) -> list[list[object]]:
    report = validate(pkg)
    assert report.exit_code == (0 if report.valid else 1)
    return report.flatten(KEYS)


def test_every_rule_code_has_a_statement_and_a_test_here() -> None:
    source = Path(__file__).read_text("utf-8")
    for rule in RULES:
        assert rule.check.__doc__, rule.check.__name__
        for code in rule.codes:
            assert code.layer == "rules"
            assert f'"{code.value}"' in source, f"no test names {code.value}"


def test_the_real_package_has_every_reference_it_relies_on(root: Path) -> None:
    """Every pair in REFERENCES is a column of the real schemas (the list is not stale)."""
    for table, column, target, target_column in REFERENCES:
        for name, field in ((table, column), (target, target_column)):
            schema = read_json(root, f"schemas/{name}.table.json")
            assert field in [f["name"] for f in schema["fields"]], (name, field)


def test_a_reference_the_schema_does_not_declare_is_checked_by_the_rules(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/statements.table.json")
    schema["foreignKeys"] = [
        fk for fk in schema["foreignKeys"] if fk["fields"] != ["about_event_id"]
    ]
    write_json(pkg, "schemas/statements.table.json", schema)
    line = set_cell(
        pkg, "statements", ("statement_id", "tass-nato-framing"), "about_event_id", "nato-2011"
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["missing-reference", "statements", line, "about_event_id"]]
    assert report.findings[0].message.endswith(
        "about_event_id 'nato-2011' is not a event_id in events"
    )


def test_a_declared_reference_is_left_to_the_foreign_key_check(pkg: Path) -> None:
    line = set_cell(
        pkg, "statements", ("statement_id", "tass-nato-framing"), "about_event_id", "nato-2011"
    )
    assert findings(pkg) == [["foreign-key", "statements", line, "about_event_id"]]


def test_a_cycle_of_parent_events(pkg: Path) -> None:
    line = set_cell(
        pkg,
        "events",
        ("event_id", "berlin-conference-2020-01-19"),
        "parent_event_id",
        "berlin-communique-2020-01-19",
    )
    first = line_of(pkg, "events", "berlin-communique-2020-01-19,")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["parent-cycle", "events", min(first, line), "parent_event_id"]]
    assert report.findings[0].message.endswith(
        "parent_event_id makes a cycle: berlin-communique-2020-01-19 -> "
        "berlin-conference-2020-01-19 -> berlin-communique-2020-01-19"
    )


def test_an_event_that_is_its_own_parent(pkg: Path) -> None:
    line = set_cell(
        pkg,
        "events",
        ("event_id", "ceasefire-2020-01-12"),
        "parent_event_id",
        "ceasefire-2020-01-12",
    )
    assert findings(pkg) == [["parent-cycle", "events", line, "parent_event_id"]]


def test_an_actor_affiliated_with_itself(pkg: Path) -> None:
    line = set_cell(
        pkg, "affiliations", ("affiliation_id", "akar-defence-minister"), "organization_id", "akar"
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["self-affiliation", "affiliations", line, "organization_id"]]


def test_a_cycle_of_affiliations(pkg: Path) -> None:
    """zakharova speaks for the ministry; the ministry made part of zakharova closes a cycle."""
    line = set_cell(
        pkg,
        "affiliations",
        ("affiliation_id", "foreign-ministry-of-russia"),
        "organization_id",
        "zakharova",
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["affiliation-cycle", "affiliations", line, "organization_id"]]
    assert report.findings[0].message.endswith(
        "affiliations make a cycle: russian-foreign-ministry -> zakharova -> "
        "russian-foreign-ministry"
    )


@pytest.mark.parametrize(
    ("table", "key", "start", "end"),
    [
        (
            "events",
            ("event_id", "joint-military-commission-geneva-2020-02"),
            "2020-02-09",
            "2020-02-08",
        ),
        (
            "affiliations",
            ("affiliation_id", "cavusoglu-foreign-minister-2015"),
            "2023-07-01",
            "2023-06-04",
        ),
    ],
)
def test_a_start_after_its_end(
    pkg: Path, table: str, key: tuple[str, str], start: str, end: str
) -> None:
    line = set_cell(pkg, table, key, "start_date", start)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["date-order", table, line, "end_date"]]
    assert report.findings[0].message.endswith(f"end_date {end} is before start_date {start}")


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("range", "2020-06-06", "2020-06-06"),
        ("month", "2020-06-01", "2020-06-29"),
        ("month", "2020-06-02", "2020-06-30"),
        ("year", "2020-01-01", "2020-12-30"),
        ("year", "2020-01-01", "2021-12-31"),
    ],
)
def test_dates_that_disagree_with_their_precision(
    pkg: Path, precision: str, start: str, end: str
) -> None:
    key = ("event_id", "gna-rejects-cairo-initiative-2020-06")
    set_cell(pkg, "events", key, "date_precision", precision)
    set_cell(pkg, "events", key, "start_date", start)
    line = set_cell(pkg, "events", key, "end_date", end)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["date-precision", "events", line, "date_precision"]]
    assert f"date_precision '{precision}' needs" in report.findings[0].message


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("range", "2020-06-06", "2020-06-07"),
        ("month", "2020-06-01", "2020-06-30"),
        ("year", "2020-01-01", "2020-12-31"),
        ("day", "2020-06-06", "2020-06-07"),
    ],
)
def test_dates_that_agree_with_their_precision(
    pkg: Path, precision: str, start: str, end: str
) -> None:
    key = ("event_id", "gna-rejects-cairo-initiative-2020-06")
    set_cell(pkg, "events", key, "date_precision", precision)
    set_cell(pkg, "events", key, "start_date", start)
    set_cell(pkg, "events", key, "end_date", end)
    assert findings(pkg) == []


@pytest.mark.parametrize(
    ("column", "precision_column", "value", "where"),
    [
        ("start_date", "start_precision", "2014-08-05", "the 1st of the month"),
        ("end_date", "end_precision", "2015-08-02", "the 1st of the month"),
    ],
)
def test_affiliation_dates_known_to_the_month_are_on_the_first(
    pkg: Path, column: str, precision_column: str, value: str, where: str
) -> None:
    key = ("affiliation_id", "cavusoglu-foreign-minister-2014")
    line = set_cell(pkg, "affiliations", key, column, value)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["date-precision", "affiliations", line, column]]
    assert f"{precision_column} 'month' needs {column} on {where}" in report.findings[0].message


def test_affiliation_dates_known_to_the_year_are_on_the_first_of_january(pkg: Path) -> None:
    key = ("affiliation_id", "sisi-president")
    set_cell(pkg, "affiliations", key, "start_precision", "year")
    line = set_cell(pkg, "affiliations", key, "start_date", "2014-06-01")
    assert findings(pkg) == [["date-precision", "affiliations", line, "start_date"]]


def test_a_child_event_outside_its_parent(pkg: Path) -> None:
    line = set_cell(
        pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "end_date", "2020-01-20"
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["child-outside-parent", "events", line, "end_date"]]
    assert report.findings[0].message.endswith(
        "event 'berlin-communique-2020-01-19' (2020-01-19 to 2020-01-20) is not within its "
        "parent 'berlin-conference-2020-01-19' (2020-01-19)"
    )


def test_a_child_event_starting_before_its_parent(pkg: Path) -> None:
    key = ("event_id", "moscow-ministers-meeting-2020-01-13")
    set_cell(pkg, "events", key, "start_date", "2020-01-12")
    line = set_cell(pkg, "events", key, "date_precision", "range")
    assert findings(pkg) == [["child-outside-parent", "events", line, "start_date"]]


def test_a_statement_outside_its_event(pkg: Path) -> None:
    line = set_cell(
        pkg, "statements", ("statement_id", "mfa-call-coronavirus"), "date", "2020-06-19"
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["statement-outside-event", "statements", line, "date"]]
    assert report.findings[0].message.endswith(
        "date 2020-06-19 is not within event 'lavrov-cavusoglu-call-2020-06-20' (2020-06-20)"
    )


def _acting(pkg: Path, affiliation: str) -> dict[str, str]:
    return next(r for r in rows(pkg, "event_actors") if r["affiliation_id"] == affiliation)


def test_an_actor_acting_in_someone_elses_office(pkg: Path) -> None:
    row = _acting(pkg, "lavrov-foreign-minister")
    line = line_of(pkg, "event_actors", f"{row['event_id']},{row['actor_id']},{row['role']},")
    path = pkg / "data" / "event_actors.csv"
    text = path.read_text("utf-8")
    before = f"{row['event_id']},{row['actor_id']},{row['role']},lavrov-foreign-minister,"
    after = f"{row['event_id']},{row['actor_id']},{row['role']},akar-defence-minister,"
    path.write_text(text.replace(before, after, 1), "utf-8")
    report = validate(pkg)
    assert report.flatten(KEYS) == [
        ["affiliation-other-actor", "event_actors", line, "affiliation_id"]
    ]
    assert report.findings[0].message.endswith(
        "affiliation_id 'akar-defence-minister' is an affiliation of 'akar', not of actor_id "
        "'sergey-lavrov'"
    )


def test_an_office_not_in_force_at_the_event(pkg: Path) -> None:
    """Putin's presidency ending in 2019 (to the month) cannot be his office in January 2020."""
    key = ("affiliation_id", "putin-president")
    set_cell(pkg, "affiliations", key, "end_date", "2019-12-01")
    set_cell(pkg, "affiliations", key, "end_precision", "month")
    uses = [r for r in rows(pkg, "event_actors") if r["affiliation_id"] == "putin-president"]
    assert len(uses) == 1
    line = line_of(pkg, "event_actors", f"{uses[0]['event_id']},vladimir-putin,")
    report = validate(pkg)
    assert report.flatten(KEYS) == [
        ["affiliation-not-in-force", "event_actors", line, "affiliation_id"]
    ]


def test_an_office_ending_within_the_month_of_the_event_is_in_force(pkg: Path) -> None:
    """An end known to the month may be its last day: no finding for a January event."""
    key = ("affiliation_id", "putin-president")
    set_cell(pkg, "affiliations", key, "end_date", "2020-01-01")
    set_cell(pkg, "affiliations", key, "end_precision", "month")
    assert findings(pkg) == []


def test_an_event_occurring_after_its_source_was_published(pkg: Path) -> None:
    """The Guardian of 14 January 2020 cannot report an event of 15 January as occurred."""
    key = ("event_id", "ceasefire-2020-01-12")
    set_cell(pkg, "events", key, "start_date", "2020-01-15")
    line = set_cell(pkg, "events", key, "end_date", "2020-01-15")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["after-publication", "events", line, "start_date"]]
    assert report.findings[0].message.endswith(
        "event 'ceasefire-2020-01-12' (occurred) starts 2020-01-15, after its source "
        "'guardian-haftar-leaves-moscow' was published on 2020-01-14"
    )


def test_a_corroborating_source_published_before_the_event(pkg: Path) -> None:
    row = next(
        r for r in rows(pkg, "event_sources") if r["event_id"] == "cairo-initiative-2020-06-06"
    )
    line = line_of(pkg, "event_sources", f"{row['event_id']},{row['source_id']},")
    path = pkg / "data" / "event_sources.csv"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            f"{row['event_id']},{row['source_id']},",
            f"{row['event_id']},guardian-haftar-leaves-moscow,",
            1,
        ),
        "utf-8",
    )
    report = validate(pkg)
    assert [f[:2] + f[3:] for f in report.flatten(KEYS)] == [
        ["after-publication", "event_sources", "source_id"]
    ] and report.findings[0].line == line


def test_a_statement_dated_after_its_source(pkg: Path) -> None:
    line = set_cell(pkg, "statements", ("statement_id", "tass-nato-framing"), "date", "2020-06-21")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["after-publication", "statements", line, "date"]]
    assert report.findings[0].message.endswith(
        "date 2020-06-21 is after its source 'tass-2020-06-20' was published on 2020-06-20"
    )


def test_an_actor_nobody_refers_to_is_a_warning(pkg: Path) -> None:
    line = append(pkg, "actors", "zz-nobody,Nobody,person,,,,Named nowhere else.,tass-2020-06-20,")
    report = validate(pkg)
    assert report.flatten(KEYS + ["severity"]) == [
        ["orphan-actor", "actors", line, "actor_id", "warning"]
    ]
    assert (report.valid, report.exit_code) == (True, 0)


def test_a_source_nobody_cites_is_a_warning(pkg: Path) -> None:
    line = append(pkg, "sources", "zz-uncited,news-report,Nobody,,,Cited by no row.,,,,")
    report = validate(pkg)
    assert report.flatten(KEYS + ["severity"]) == [
        ["orphan-source", "sources", line, "source_id", "warning"]
    ]


def test_a_rule_whose_column_the_package_lacks_is_skipped_with_a_warning(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/statements.table.json")
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "date"]
    write_json(pkg, "schemas/statements.table.json", schema)
    path = pkg / "data" / "statements.csv"
    import csv
    import io

    records = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    column = records[0].index("date")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:column] + r[column + 1 :] for r in records])
    path.write_text(out.getvalue(), "utf-8")
    record = read_json(pkg, "schemas/statements.record.json")
    del record["properties"]["date"]
    write_json(pkg, "schemas/statements.record.json", record)
    report = validate(pkg)
    assert report.flatten(KEYS + ["severity"]) == [["rule-skipped", None, None, None, "warning"]]
    assert "rule statement-outside-event was not checked: the package has no statements.date" in (
        report.findings[0].message
    )
