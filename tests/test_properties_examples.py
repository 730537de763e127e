"""Shrunk counterexamples the property-based tests found, kept as regular tests."""

from __future__ import annotations

import pytest

from libya_events.testing import Row, Tables, shipped_schemas
from libya_events.testing.package import validate_tables


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
