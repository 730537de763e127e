"""The coverage figures and the codebook's coverage section, checked against the tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from release_helpers import copy_package

import libya_events as le
from libya_events import codebook
from libya_events.coverage import coverage
from libya_events.snapshot import read_package

CODEBOOK = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")


def publishers_with_pandas() -> pd.Series:
    """Distinct publishers per event, computed independently of libya_events.coverage."""
    sources = le.sources()
    sources["counted"] = sources["original_publisher"].fillna(sources["publisher"])
    cited = pd.concat(
        [le.events()[["event_id", "source_id"]], le.event_sources()[["event_id", "source_id"]]]
    )
    joined = cited.merge(sources[["source_id", "counted"]], on="source_id")
    return joined.groupby("event_id")["counted"].nunique()


def section(title: str) -> str:
    start = CODEBOOK.index(f"\n### {title}\n")
    return CODEBOOK[start : CODEBOOK.index("\n#", start + 5)]


def test_corroboration_counts_distinct_publishers() -> None:
    c = coverage(read_package(ROOT))
    counts = publishers_with_pandas()
    assert c.events == len(le.events()) == len(counts)
    assert sorted(c.corroborated) == sorted(counts[counts >= 2].index)
    assert sorted(c.single_source) == sorted(counts[counts == 1].index)


def test_a_republished_story_counts_under_its_wire(tmp_path: Path) -> None:
    package = copy_package(tmp_path / "pkg")
    c = coverage(read_package(package))
    event = "lavrov-cavusoglu-call-2020-06-20"
    assert "Sputnik" in c.publishers[event]
    assert "UrduPoint" not in c.publishers[event]


def test_the_codebook_states_the_share_and_counts() -> None:
    c = coverage(read_package(ROOT))
    share = f"{len(c.corroborated) / c.events:.0%}"
    assert (
        f"{c.events} events from {c.first_date} to {c.last_date}. {len(c.corroborated)} "
        f"({share}) cite two or more distinct publishers, {len(c.single_source)} rest on one."
    ) in CODEBOOK


def test_events_per_month_match_the_start_dates() -> None:
    events = le.events()
    expected = events["start_date"].dt.strftime("%Y-%m").value_counts().sort_index()
    rows = [line for line in section("Events per month").splitlines() if line.startswith("| 2")]
    assert rows == [f"| {month} | {n} |" for month, n in expected.items()]


def test_events_per_kind_match_the_kind_column() -> None:
    counts = le.events()["kind"].value_counts()
    text = section("Events per kind")
    for kind, n in counts[counts > 0].items():
        assert f"| `{kind}` | {n} |" in text
    assert sum(1 for line in text.splitlines() if line.startswith("| `")) == (counts > 0).sum()


def test_single_source_events_are_listed_with_their_publisher() -> None:
    counts = publishers_with_pandas()
    text = section("Single-source events")
    listed = [line.split("`")[1] for line in text.splitlines() if line.startswith("| `")]
    assert listed == sorted(counts[counts == 1].index)


def test_recorded_disagreements_are_the_events_whose_notes_say_so() -> None:
    events = le.events()
    notes = events["notes"].fillna("").str.lower()
    expected = sorted(events.loc[notes.str.contains("disagree|differ"), "event_id"])
    text = section("Recorded disagreements")
    assert [line.split("`")[1] for line in text.splitlines() if line.startswith("| `")] == expected


@pytest.mark.parametrize("table", ["events", "sources"])
def test_a_package_without_the_tables_has_no_coverage_section(tmp_path: Path, table: str) -> None:
    package = copy_package(tmp_path / "pkg")
    snapshot = read_package(package)
    del snapshot.tables[table]
    assert "## Coverage" not in codebook.render(snapshot)
