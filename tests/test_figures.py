"""libya_events.figures: the rows the timeline and the network draw, the figures, their SVG, and
the README's committed figures (stale when the data or the drawing code changed)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT
from fixtures.packages import copy_package, set_cell
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import libya_events as le
from libya_events import figures
from libya_events.testing.synthetic import write_synthetic


@pytest.fixture(scope="module")
def ds() -> le.Dataset:
    return le.load(ROOT)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> le.Dataset:
    return le.load(write_synthetic(tmp_path_factory.mktemp("syn") / "pkg", 250).path)


def test_timeline_rows_are_the_dated_events_with_their_ranges(ds: le.Dataset) -> None:
    rows = figures.timeline_rows(ds)
    events = ds.events.set_index("event_id")
    dated = events[events["start_date"].notna()]
    assert sorted(rows["event_id"]) == sorted(dated.index)
    assert figures.undated_count(ds) == len(events) - len(dated)
    last_day = pd.concat([events["start_date"], events["end_date"]]).max()
    for row in rows.itertuples():
        event = events.loc[row.event_id]
        assert row.start == event["start_date"]
        assert row.open_ended == pd.isna(event["end_date"])
        assert row.end == (last_day if row.open_ended else event["end_date"])
        assert (row.kind, row.status) == (event["kind"], event["status"])
    starts = list(zip(rows["start"], rows["event_id"], strict=True))
    assert starts == sorted(starts)


def test_a_window_clips_ranges_to_it_and_an_actor_keeps_its_events(ds: le.Dataset) -> None:
    first, last = pd.Timestamp("2020-01-13"), pd.Timestamp("2020-06-10")
    rows = figures.timeline_rows(ds, start="2020-01-13", end="2020-06-10")
    expected = ds.events_between("2020-01-13", "2020-06-10")
    assert sorted(rows["event_id"]) == sorted(expected["event_id"][expected["start_date"].notna()])
    assert rows["start"].min() >= first and rows["end"].max() <= last
    open_ended = rows[rows["open_ended"]]
    assert set(open_ended["end"]) <= {last}
    actor = ds.event_actors["actor_id"].value_counts().index[0]
    mine = figures.timeline_rows(ds, actor=actor)
    assert set(mine["event_id"]) == set(ds.events_with(actor)["event_id"])


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_events_sharing_a_lane_never_overlap(
    which: str, ds: le.Dataset, synthetic: le.Dataset
) -> None:
    rows = figures.timeline_rows(ds if which == "shipped" else synthetic)
    for _, lane in rows.groupby(["kind", "lane"], observed=True):
        spans = sorted(zip(lane["start"], lane["end"], strict=True))
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start > end
    assert rows["lane"].min() == 0


def test_the_timeline_draws_a_bar_per_range_and_a_diamond_per_day(ds: le.Dataset) -> None:
    rows = figures.timeline_rows(ds)
    fig = figures.timeline(ds)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    single = (rows["start"] == rows["end"]) & ~rows["open_ended"]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    diamonds = [line for line in ax.lines if line.get_marker() == "D"]
    assert len(bars) == int((~single).sum())
    assert len(diamonds) == int(single.sum())
    hatched = [p for p in bars if p.get_hatch() == "///"]
    assert len(hatched) == int(rows["open_ended"].sum())
    kinds = [t.get_text() for t in ax.get_yticklabels()]
    declared = list(ds.events["kind"].cat.categories)
    assert kinds == [k for k in declared if k in set(rows["kind"].astype(str))]


def test_an_empty_selection_gives_a_figure_that_says_so(ds: le.Dataset) -> None:
    fig = figures.timeline(ds, start="1990-01-01", end="1990-12-31")
    assert [t.get_text() for t in fig.axes[0].texts] == ["no dated events in this selection"]
    fig = figures.network(ds, min_weight=10_000)
    assert [t.get_text() for t in fig.axes[0].texts] == [
        "no two actors share an event in this selection"
    ]


def test_network_edges_count_the_events_two_actors_share(ds: le.Dataset) -> None:
    edges = figures.network_edges(ds)
    taking_part: dict[str, set[str]] = {}
    for event, actor in zip(ds.event_actors["event_id"], ds.event_actors["actor_id"], strict=True):
        taking_part.setdefault(event, set()).add(actor)
    expected: Counter[tuple[str, str]] = Counter()
    for actors in taking_part.values():
        expected.update(itertools.combinations(sorted(actors), 2))
    got = {(s, t): w for s, t, w in edges.itertuples(index=False)}
    assert got == dict(expected)
    weights = list(edges["weight"])
    assert weights == sorted(weights, reverse=True)
    assert figures.network_edges(ds, min_weight=2)["weight"].min() >= 2


def test_the_network_draws_every_linked_actor_once(ds: le.Dataset) -> None:
    edges = figures.network_edges(ds)
    fig = figures.network(ds)
    ax = fig.axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == len(set(edges["source"]) | set(edges["target"]))
    lines = [line for line in ax.lines if isinstance(line, Line2D) and line.get_marker() != "o"]
    assert len(lines) == len(edges)


def test_the_svg_is_the_same_every_time_and_carries_no_date(ds: le.Dataset) -> None:
    one = figures.to_svg(figures.network(ds), title="network", description="d")
    two = figures.to_svg(figures.network(ds), title="network", description="d")
    assert one == two
    assert "<dc:date>" not in one
    assert "<dc:description>d</dc:description>" in one
    assert "<text" not in one  # text drawn as paths: no font needed to view it


def test_importing_the_package_does_not_import_the_site_extra() -> None:
    probe = (
        "import sys, libya_events, libya_events.figures, libya_events.site; "
        "print(sorted(m for m in ('jinja2', 'matplotlib', 'networkx') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def _build_figures(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(ROOT, "scripts", "build_figures.py")
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True)


def test_the_readme_figures_are_current() -> None:
    done = _build_figures("--check")
    assert done.returncode == 0, done.stdout + done.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/figures/timeline.svg" in readme and "docs/figures/network.svg" in readme


def test_a_figure_is_stale_once_its_data_change(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_figures
    finally:
        sys.path.remove(str(ROOT / "scripts"))

    pkg = copy_package(tmp_path / "pkg")
    before = {p.name: digest for p, (digest, _) in build_figures.outputs(pkg).items()}
    event = ds_first_dated_event(pkg)
    set_cell(pkg, "events", ("event_id", event), "status", "postponed")
    after = {p.name: digest for p, (digest, _) in build_figures.outputs(pkg).items()}
    assert before["network.svg"] == after["network.svg"]
    assert before["timeline.svg"] != after["timeline.svg"]
    svg = tmp_path / "timeline.svg"
    svg.write_text(f"<svg><!-- data and code digest: {before['timeline.svg']} --></svg>")
    assert build_figures.recorded_digest(svg) == before["timeline.svg"]


def ds_first_dated_event(pkg: Path) -> str:
    """The first event of the README's timeline that occurred."""
    ds = le.load(pkg)
    drawn = figures.timeline_rows(ds, start=figures.focus_start(ds))
    return str(drawn.loc[drawn["status"].eq("occurred"), "event_id"].iloc[0])


def test_the_readme_figures_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Figures and the website\n", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    namespace: dict[str, Any] = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    made = [namespace["timeline"](actor="sergey-lavrov"), namespace["network"](min_weight=2)]
    assert [type(f) for f in made] == [Figure, Figure]


def _events(spans: list[tuple[str, str | None]]) -> SimpleNamespace:
    """A stand-in for a Dataset holding only events with these (start, end) dates."""
    return SimpleNamespace(
        events=pd.DataFrame(
            {
                "start_date": pd.to_datetime([s for s, _ in spans]).astype("datetime64[s]"),
                "end_date": pd.to_datetime([e for _, e in spans]).astype("datetime64[s]"),
            }
        )
    )


LATER = [(f"2020-{m:02d}-{d:02d}", None) for m in range(1, 13) for d in range(3, 28, 5)]


def test_the_focus_starts_where_the_bulk_of_the_events_does() -> None:
    early = [("2011-03-23", "2011-10-31"), ("2014-05-16", "2014-05-16")]
    data = _events(early + LATER[:58])  # 60 events: the 5% quantile is the third start
    assert figures.focus_start(data) == pd.Timestamp("2020-01-01")
    assert figures.focus_start(data, share=0.02) == pd.Timestamp("2014-05-01")


def test_no_focus_when_no_event_is_over_before_it() -> None:
    early = [("2011-03-23", None), ("2014-05-16", None)]  # still going on in 2020
    assert figures.focus_start(_events(early + LATER[:58])) is None
    assert figures.focus_start(_events([])) is None


def _actors_drawn(ds: le.Dataset, weight: int) -> int:
    edges = figures.network_edges(ds, min_weight=weight)
    return len(set(edges["source"]) | set(edges["target"]))


@pytest.mark.parametrize("most", [5, 10, 80])
def test_the_readable_weight_is_the_least_that_draws_few_enough(ds: le.Dataset, most: int) -> None:
    weight = figures.readable_weight(ds, most=most)
    assert _actors_drawn(ds, weight) <= most
    assert weight == 1 or _actors_drawn(ds, weight - 1) > most
