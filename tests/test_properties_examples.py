"""Shrunk counterexamples the property-based tests found, kept as regular tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from libya_events.testing import Row, Tables, read_tables, shipped_schemas, write_package
from libya_events.testing.package import validate_tables
from libya_events.validate import validate


def row(table: str, **cells: str) -> Row:
    return {name: cells.get(name, "") for name in shipped_schemas().field_names(table)}


def small_package() -> Tables:
    """One source, two actors (one affiliated with the other), one event, one participant,
    one statement."""
    return {
        "sources": [
            row("sources", source_id="s", kind="news-report", publisher="p", description="d")
        ],
        "actors": [
            row("actors", actor_id="a", name="n", kind="person", description="d", source_id="s"),
            row("actors", actor_id="b", name="n", kind="state", description="d", source_id="s"),
        ],
        "affiliations": [
            row(
                "affiliations",
                affiliation_id="f",
                actor_id="a",
                organization_id="b",
                kind="member",
                role="r",
                source_id="s",
            )
        ],
        "events": [
            row(
                "events",
                event_id="e",
                title="t",
                kind="meeting",
                start_date="2000-01-01",
                end_date="2000-01-01",
                date_precision="day",
                status="occurred",
                summary="s",
                source_id="s",
            )
        ],
        "event_actors": [
            row("event_actors", event_id="e", actor_id="a", role="host", source_id="s")
        ],
        "statements": [
            row(
                "statements",
                statement_id="x",
                date="2000-01-01",
                speaker_id="a",
                event_id="e",
                kind="claim",
                text="t",
                language="en",
                source_id="s",
            )
        ],
    }


def found(tables: Tables) -> list[list[object]]:
    return validate_tables(tables).flatten(["code", "table", "line", "field", "value"])


def test_a_package_without_affiliations_is_valid() -> None:
    """Found by test_every_generated_valid_package_validates_without_findings: the rule on
    acting affiliations indexed into the empty affiliations table (internal-error)."""
    tables = small_package()
    tables["affiliations"] = []
    assert found(tables) == [["orphan-actor", "actors", 3, "actor_id", "b"]]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "sources",
            [
                ["foreign-key", "actors", 2, "source_id", "s"],
                ["foreign-key", "actors", 3, "source_id", "s"],
                ["foreign-key", "affiliations", 2, "source_id", "s"],
                ["foreign-key", "events", 2, "source_id", "s"],
                ["foreign-key", "event_actors", 2, "source_id", "s"],
                ["foreign-key", "statements", 2, "source_id", "s"],
            ],
        ),
        (
            "events",
            [
                ["foreign-key", "event_actors", 2, "event_id", "e"],
                ["foreign-key", "statements", 2, "event_id", "e"],
            ],
        ),
    ],
)
def test_an_emptied_referenced_table_gives_foreign_key_findings_only(
    table: str, expected: list[list[object]]
) -> None:
    """The rules on publication dates and statement dates indexed into an empty sources or
    events table (internal-error, which also hid every other cross-table finding)."""
    tables = small_package()
    tables[table] = []
    assert found(tables) == expected


def test_the_small_package_is_valid() -> None:
    assert found(small_package()) == []


def _write_shipped(tmp_path: Path) -> Path:
    directory = tmp_path / "package"
    write_package(read_tables(), directory)
    return directory


@pytest.mark.parametrize(
    ("key", "value", "note"),
    [
        ("delimiter", "abcd", "delimiter 'abcd' is not a single character other than a line break"),
        ("quoteChar", "", "quoteChar '' is not a single character other than a line break"),
        ("delimiter", "\n", "delimiter '\\n' is not a single character other than a line break"),
        ("quoteChar", ",", "delimiter, quoteChar and escapeChar must differ"),
    ],
)
def test_a_dialect_character_frictionless_cannot_use_is_a_finding(
    tmp_path: Path, key: str, value: str, note: str
) -> None:
    """Found by test_a_descriptor_with_any_value_replaced_never_breaks_the_validator: such a
    dialect made frictionless fail on the table, while our reader silently fell back to the
    default dialect and the package validated clean (exit status 0)."""
    directory = _write_shipped(tmp_path)
    descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["dialect"][key] = value
    (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(directory)
    assert report.flatten(["code", "table", "line", "field"]) == [
        ["descriptor-invalid", None, None, None]
    ]
    assert report.findings[0].message == f"datapackage.json: dialect of 'sources': {note}"
    assert report.exit_code == 1


def test_every_layer_puts_a_row_after_a_bare_carriage_return_on_the_same_line(
    tmp_path: Path,
) -> None:
    """Found by test_arbitrary_bytes_in_place_of_a_csv_end_in_findings: the history layer read
    the file in universal-newline mode and counted the bare CR as a line break (line 2), the
    text and table layers did not (line 1)."""
    directory = _write_shipped(tmp_path)
    header = ",".join(shipped_schemas().field_names("retired_ids"))
    (directory / "data" / "retired_ids.csv").write_bytes(f"{header}\r x,,,,,,\n".encode())
    found = validate(directory).flatten(["layer", "code", "line", "field"])
    assert sorted(found) == [
        ["history", "retired-invalid", 1, "table"],
        ["table", "constraint-error", 1, "id"],
        ["table", "constraint-error", 1, "notes"],
        ["table", "constraint-error", 1, "reason"],
        ["table", "constraint-error", 1, "retired_in"],
        ["text", "bare-cr", 1, None],
        ["text", "whitespace", 1, "table"],
    ]


def test_the_writer_quotes_a_cell_holding_a_bare_carriage_return(tmp_path: Path) -> None:
    """Found by test_each_rule_is_alive_on_the_shipped_package[text_with_a_control_character]:
    csv.writer with LF line ends left such a cell unquoted, so every reader split the row."""
    tables = read_tables()
    tables["sources"][0]["publisher"] = "Al Arabiya\rx"
    directory = tmp_path / "package"
    write_package(tables, directory)
    raw = (directory / "data" / "sources.csv").read_bytes()
    assert b',"Al Arabiya\rx",' in raw
    assert validate(directory).flatten(["code", "table", "line", "field"]) == [
        ["control-character", "sources", 2, "publisher"]
    ]
