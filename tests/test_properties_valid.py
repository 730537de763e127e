"""Properties: every generated valid package, and the shipped package, keep every rule."""

from __future__ import annotations

from hypothesis import given

from libya_events.testing import Tables, read_tables
from libya_events.testing.package import validate_tables
from libya_events.testing.strategies import packages
from libya_events.validate import validate


def findings(report) -> list[list[object]]:
    return report.flatten(["code", "table", "line", "field", "value"])


@given(packages())
def test_every_generated_valid_package_validates_without_findings(tables: Tables) -> None:
    report = validate_tables(tables)
    assert findings(report) == []
    assert report.exit_code == 0
    assert report.rows == sum(len(rows) for rows in tables.values())


def test_the_shipped_package_keeps_every_rule() -> None:
    report = validate()
    assert findings(report) == []
    assert report.exit_code == 0
    assert report.rows == sum(len(rows) for rows in read_tables().values())
