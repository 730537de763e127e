"""Property: one mutation breaking exactly one rule yields exactly that rule's finding, at the
mutated table, line and field, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libya_events.testing.mutations import MUTATIONS, draw_mutated
from libya_events.testing.package import validate_tables

# Each kind of mutation gets a twelfth of the profile's examples (ci: 2, dev: 166), so the
# whole property runs about twice the profile's count over the 24 kinds.
PER_KIND = max(2, settings.default.max_examples // 12)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
@settings(max_examples=PER_KIND, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_one_mutation_yields_exactly_its_finding(kind: str, data: st.DataObject) -> None:
    mutated, expected = draw_mutated(data, kind)
    report = validate_tables(mutated)
    found = report.flatten(["code", "table", "line", "field"])
    assert sorted(map(tuple, found)) == sorted(expected)
    assert report.exit_code == 1
