"""Figures of a data package: `timeline` (events over time, by kind) and `network` (who met whom).

Each returns a matplotlib ``Figure``: a notebook shows it, ``fig.savefig("t.png")`` saves it,
and `to_svg` writes it as reproducible SVG (no date, a fixed hash salt, text drawn as paths so
no font is needed to view it). The rows a figure draws come from `timeline_rows` and
`network_edges`, plain DataFrames that tests and other tools can read.

Vocabularies (event kinds, statuses, actor kinds) come from the loaded tables' categories,
that is from the Table Schemas, never from a list kept here.

Needs the ``site`` extra: ``pip install 'libya-events[site]'`` (matplotlib, networkx).
Why matplotlib and not Altair: ``docs/figures.md``.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libya_events import queries

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from libya_events.load import Dataset

#: How wide (in days) a one-day event counts when events are packed into lanes, as a share
#: of the whole window: keeps markers of neighbouring days from being drawn on top of each other.
_MIN_SHARE = 1 / 120
_DAY = "1D"
_OPEN_STYLE = {"hatch": "///", "alpha": 0.45}
#: A pale box behind the names in the network, so lines do not run through them.
_LABEL_BOX = {"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.75}


def _dataset(ds: Dataset | None) -> Dataset:
    from libya_events.load import _packaged

    return _packaged() if ds is None else ds


def _categories(column: pd.Series) -> list[str]:
    """The declared values of a vocabulary column (its categories), else the values seen."""
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted(str(v) for v in column.dropna().unique())


def _palette(values: list[str]) -> dict[str, Any]:
    """A colour for each value, in order, from a qualitative colour map."""
    import matplotlib as mpl

    cmap = mpl.colormaps["tab20" if len(values) > 10 else "tab10"]
    return {v: cmap(i % cmap.N) for i, v in enumerate(values)}


def timeline_rows(
    ds: Dataset | None = None,
    *,
    start: Any = None,
    end: Any = None,
    actor: str | None = None,
) -> pd.DataFrame:
    """The dated events `timeline` draws, one row each, sorted by start date then event_id.

    Columns: ``event_id, title, kind, status, date_precision, start, end, open_ended, lane``.
    ``start``..``end`` is the drawn range, both days included: an event without an end date is
    open-ended and drawn to the window's end (or the last date of the data). ``lane`` is the
    event's row within its kind, so that overlapping events do not hide each other.
    Only events overlapping the window (each side open when None) and, with ``actor``, only
    those the actor took part in. Undated events are left out (see `undated_count`).
    """
    import pandas as pd

    data = _dataset(ds)
    events = data.events
    first, last = queries._window(start, end)
    chosen = queries._overlapping(events, first, last)
    chosen = chosen[chosen["start_date"].notna()]
    if actor is not None:
        ids = set(data.events_with(actor)["event_id"])
        chosen = chosen[chosen["event_id"].isin(ids)]
    chosen = queries._sorted(chosen, ["start_date", "event_id"])
    known_end = pd.concat([events["start_date"], events["end_date"]]).max()
    horizon = last if last is not None else known_end
    rows = pd.DataFrame(
        {
            "event_id": chosen["event_id"],
            "title": chosen["title"],
            "kind": chosen["kind"],
            "status": chosen["status"],
            "date_precision": chosen["date_precision"],
            "start": chosen["start_date"],
            "end": chosen["end_date"].fillna(horizon),
            "open_ended": chosen["end_date"].isna().astype(bool),
        }
    )
    if first is not None:
        rows["start"] = rows["start"].clip(lower=first)
    if last is not None:
        rows["end"] = rows["end"].clip(upper=last)
    rows["end"] = rows[["start", "end"]].max(axis=1)
    rows["lane"] = _lanes(rows)
    return rows.reset_index(drop=True)


def _lanes(rows: pd.DataFrame) -> list[int]:
    """For each row, the lowest lane of its kind free from its start on (greedy packing)."""
    if rows.empty:
        return []
    span = (rows["end"].max() - rows["start"].min()).days + 1
    least = max(1.0, span * _MIN_SHARE)
    free: dict[str, list[float]] = {}  # kind -> per lane, the first day it is free again
    out = []
    origin = rows["start"].min()
    for kind, start, end in zip(rows["kind"], rows["start"], rows["end"], strict=True):
        begin = (start - origin).days
        finish = max((end - origin).days + 1, begin + least)
        lanes = free.setdefault(str(kind), [])
        lane = next((i for i, day in enumerate(lanes) if day <= begin), len(lanes))
        if lane == len(lanes):
            lanes.append(finish)
        else:
            lanes[lane] = finish
        out.append(lane)
    return out


def focus_start(ds: Dataset | None = None, share: float = 0.05) -> pd.Timestamp | None:
    """The first day of the month by which ``share`` of the dated events have started, when
    a timeline from there leaves out some events (those over before it); else None.

    A few early events (an operation of 2011 before a crisis of 2019-2020) squeeze the rest
    into a corner of the figure; a window from this day shows the bulk of them, and the
    events still going on at its start.
    """
    events = _dataset(ds).events
    starts = events["start_date"].dropna()
    if starts.empty:
        return None
    first = starts.quantile(share, interpolation="lower").to_period("M").start_time
    over_before = (events["end_date"] < first).fillna(False).astype(bool)
    return first if over_before.any() else None


def undated_count(ds: Dataset | None = None) -> int:
    """How many events have no start date, and so appear in no timeline."""
    return int(_dataset(ds).events["start_date"].isna().sum())


def timeline(
    ds: Dataset | None = None,
    *,
    start: Any = None,
    end: Any = None,
    actor: str | None = None,
    width: float = 10.0,
) -> Figure:
    """Events over time, a band per kind: a date range is a bar from its first to its last
    day, a single day a diamond, an open-ended event a hatched bar to the window's end.

    Colours are statuses. ``start``/``end`` limit the window (dates as in `queries`),
    ``actor`` keeps the events that actor took part in. An empty selection gives a figure
    that says so.
    """
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    data = _dataset(ds)
    rows = timeline_rows(data, start=start, end=end, actor=actor)
    kinds = [k for k in _categories(data.events["kind"]) if k in set(rows["kind"].astype(str))]
    statuses = _categories(data.events["status"])
    colour = _palette(statuses)
    lanes = {k: int(rows.loc[rows["kind"] == k, "lane"].max()) + 1 for k in kinds}
    height = max(2.0, 0.9 + 0.22 * sum(lanes.values()) + 0.12 * len(kinds))
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    if rows.empty:
        ax.text(0.5, 0.5, "no dated events in this selection", ha="center", va="center")
        ax.set_axis_off()
        return fig
    base: dict[str, float] = {}
    y = 0.0
    for kind in reversed(kinds):  # the first kind of the vocabulary at the top
        base[kind] = y
        y += lanes[kind] + 0.6
    day = pd.Timedelta(_DAY)
    for row in rows.itertuples(index=False):
        y_row = base[str(row.kind)] + row.lane
        tint = colour[str(row.status)]
        single = row.start == row.end and not row.open_ended
        if single:
            ax.plot(mdates.date2num(row.start + day / 2), y_row + 0.4, "D", ms=4, color=tint)
            continue
        left = mdates.date2num(row.start)
        wide = mdates.date2num(row.end + day) - left
        style = _OPEN_STYLE if row.open_ended else {}
        ax.barh(
            y_row + 0.4, wide, left=left, height=0.7, color=tint, edgecolor=tint, lw=0.5, **style
        )
    ax.set_yticks([base[k] + lanes[k] / 2 for k in kinds], kinds)
    ax.set_ylim(-0.4, y - 0.4)
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="x", lw=0.3, alpha=0.5)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    shown = [s for s in statuses if s in set(rows["status"].astype(str))]
    handles = [Patch(color=colour[s], label=s) for s in shown]
    handles.append(Patch(facecolor="white", edgecolor="grey", hatch="///", label="open-ended"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    scope = f" with {actor}" if actor else ""
    ax.set_title(f"{len(rows)} dated events{scope}, by kind", loc="left", fontsize=10)
    return fig


def network_edges(
    ds: Dataset | None = None, *, start: Any = None, end: Any = None, min_weight: int = 1
) -> pd.DataFrame:
    """Pairs of actors who took part in the same events, with how many (``weight``).

    Columns ``source, target, weight`` (``source < target``), heaviest first, then by ids.
    Only events overlapping ``start``..``end`` (each side open when None) count.
    """
    import pandas as pd

    data = _dataset(ds)
    first, last = queries._window(start, end)
    events = data.events
    if first is not None or last is not None:
        events = queries._overlapping(events, first, last)
    taking_part = data.event_actors[["event_id", "actor_id"]].drop_duplicates()
    taking_part = taking_part[taking_part["event_id"].isin(events["event_id"])]
    pairs = taking_part.merge(taking_part, on="event_id")
    pairs = pairs[pairs["actor_id_x"] < pairs["actor_id_y"]]
    counted = (
        pairs.groupby(["actor_id_x", "actor_id_y"], observed=True)
        .size()
        .reset_index(name="weight")
        .rename(columns={"actor_id_x": "source", "actor_id_y": "target"})
    )
    counted = counted[counted["weight"] >= min_weight]
    counted = counted.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True], kind="stable"
    )
    return pd.DataFrame(counted, columns=["source", "target", "weight"]).reset_index(drop=True)


def readable_weight(ds: Dataset | None = None, most: int = 80) -> int:
    """The smallest ``min_weight`` for which `network` draws at most ``most`` actors: past a
    few dozen, a network of every pair that ever met is a tangle nobody can read."""
    edges = network_edges(ds)
    weight = 1
    while True:
        kept = edges[edges["weight"] >= weight]
        if len(set(kept["source"]) | set(kept["target"])) <= most:
            return weight
        weight += 1


def network(
    ds: Dataset | None = None,
    *,
    start: Any = None,
    end: Any = None,
    min_weight: int = 1,
    labels: int = 20,
    size: float = 9.0,
    seed: int = 7,
) -> Figure:
    """Actors linked by the events they took part in together, laid out by ``networkx``.

    A line's width is the number of shared events; a dot's size the actor's number of
    partners, its colour the actor's kind. The ``labels`` best-connected actors are named.
    ``seed`` fixes the layout, so the same data give the same picture.
    """
    import networkx as nx
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    data = _dataset(ds)
    edges = network_edges(data, start=start, end=end, min_weight=min_weight)
    fig = Figure(figsize=(size, size * 0.75), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    if edges.empty:
        ax.text(0.5, 0.5, "no two actors share an event in this selection", ha="center")
        return fig
    graph = nx.Graph()
    graph.add_weighted_edges_from(edges.itertuples(index=False, name=None))
    nodes = sorted(graph.nodes)
    actors = data.actors.set_index("actor_id")
    kinds = _categories(data.actors["kind"])
    colour = _palette(kinds)
    layout = _layout(graph, seed)
    heaviest = max(edges["weight"])
    for a, b, w in graph.edges(data="weight"):
        (xa, ya), (xb, yb) = layout[a], layout[b]
        ax.plot([xa, xb], [ya, yb], color="0.55", lw=0.4 + 2.6 * w / heaviest, alpha=0.5, zorder=1)
    degree = dict(graph.degree)
    for node in nodes:
        x, y = layout[node]
        tint = colour[str(actors.at[node, "kind"])]
        ax.scatter(x, y, s=12 + 6 * degree[node] ** 0.5 * 4, color=tint, zorder=2, lw=0)
    named = sorted(nodes, key=lambda n: (-degree[n], n))[:labels]
    for node in named:
        x, y = layout[node]
        ax.annotate(
            str(actors.at[node, "name"]), (x, y), xytext=(4, 3), textcoords="offset points",
            fontsize=7, zorder=3, bbox=_LABEL_BOX,
        )  # fmt: skip
    shown = [k for k in kinds if k in {str(actors.at[n, "kind"]) for n in nodes}]
    ax.legend(
        handles=[Line2D([], [], ls="", marker="o", color=colour[k], label=k) for k in shown],
        loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8,
    )  # fmt: skip
    ax.set_title(
        f"{len(nodes)} actors, {len(edges)} links (shared events)", loc="left", fontsize=10
    )
    return fig


def _layout(graph: Any, seed: int) -> dict[str, tuple[float, float]]:
    """Positions for the nodes: each connected component laid out on its own (spring model,
    weighted, seeded) in a square as wide as the square root of its size, the squares set
    side by side, largest first, in rows about as wide as the largest."""
    import networkx as nx

    parts = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    widest = len(parts[0]) ** 0.5
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in parts:
        side = len(part) ** 0.5
        if x > 0 and x + side > widest * 1.6:
            x, y, row_height = 0.0, y - row_height - 0.4, 0.0
        # A new graph with sorted nodes and edges: a subgraph view iterates a set, whose
        # order changes between runs, and so would the layout.
        sub = nx.Graph()
        sub.add_nodes_from(sorted(part))
        sub.add_weighted_edges_from(
            sorted((*sorted((a, b)), w) for a, b, w in graph.subgraph(part).edges(data="weight"))
        )
        spread = 2.5 / len(part) ** 0.5  # wider than networkx's default 1/sqrt(n): room for names
        spot = nx.spring_layout(
            sub, weight="weight", seed=seed, k=spread, iterations=200, center=(0.5, 0.5), scale=0.5
        )
        for node, (px, py) in spot.items():
            out[node] = (x + px * side, y - (1 - py) * side)
        x += side + 0.4
        row_height = max(row_height, side)
    return out


def to_svg(fig: Figure, *, title: str = "", description: str = "") -> str:
    """``fig`` as SVG text that is the same for the same figure: no creation date, a fixed
    hash salt for ids, text drawn as paths (no font needed to view it)."""
    import matplotlib as mpl

    buffer = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": "libya-events", "svg.fonttype": "path"}):
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Title": title, "Description": description},
        )
    return buffer.getvalue()


def digest(*frames: pd.DataFrame) -> str:
    """A sha256 of the rows drawn and of this module's code: what a figure depends on.

    A committed image records it, so a test can tell it is stale without comparing pixels
    (which differ between matplotlib versions).
    """
    h = hashlib.sha256(Path(__file__).read_bytes())
    for frame in frames:
        h.update(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return h.hexdigest()
