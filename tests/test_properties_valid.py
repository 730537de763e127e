"""Properties: every generated valid package, and the shipped package, keep every rule; on the
shipped package each rule is also alive (a mutation that breaks it is caught where it was made)."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from libya_events.testing import Tables, read_tables
from libya_events.testing.mutations import MUTATIONS, draw_mutated
from libya_events.testing.package import validate_tables
from libya_events.testing.strategies import packages
from libya_events.validate import validate

# The shipped package is one fixed package: a sixteenth of the profile's examples per kind of
# mutation (ci: 2, dev: 125).
PER_KIND = max(2, settings.default.max_examples // 16)


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


@cache
def applies_to_the_shipped_package(kind: str) -> bool:
    """Whether the mutation finds anything to break in the shipped data (generation only)."""
    tables, hits = read_tables(), []

    @settings(max_examples=10, phases=[Phase.generate], database=None)
    @given(MUTATIONS[kind](tables))
    def probe(result: object) -> None:
        hits.append(result is not None)

    probe()
    return any(hits)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_each_rule_is_alive_on_the_shipped_package(kind: str) -> None:
    if not applies_to_the_shipped_package(kind):
        pytest.skip(f"the shipped data has nothing that {kind} can break")
    tables = read_tables()

    @settings(max_examples=PER_KIND, suppress_health_check=[HealthCheck.filter_too_much])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        mutated, expected = draw_mutated(data, kind, tables)
        found = validate_tables(mutated).flatten(["code", "table", "line", "field"])
        assert sorted(map(tuple, found)) == sorted(expected)

    check()
