"""Cross-table rules: what no single Table Schema or record schema can say.

Each rule has a stable code (`libya_events.errors.Code`, where its one-line statement lives)
and is listed in `RULES` with the tables and columns it reads. Rules run on the typed values
the table layer produced, vectorised with numpy. A cell an earlier layer or rule reported is
left out: a rule claims the cells it reports, so a start after its end is not also an office
out of force.

Who owns what, so that each fault is reported once:

- a reference declared as a foreign key in a Table Schema is checked by the table layer
  (``foreign-key``); `REFERENCES` lists every reference the dataset relies on, and this module
  reports (``missing-reference``) only those the schemas do not declare;
- whether an event without dates has date_precision 'unknown' is a record rule; here only the
  dates an event or affiliation does have are checked against its precision;
- a start after its end is ``date-order``; the precision rule then skips that row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code
from libya_events.report import Finding
from libya_events.validate import arrow
from libya_events.validate.text import keep

if TYPE_CHECKING:
    from libya_events.validate.context import TableState

#: Every reference between tables: (table, column, referenced table, referenced column).
REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("actors", "source_id", "sources", "source_id"),
    ("actor_names", "actor_id", "actors", "actor_id"),
    ("actor_names", "source_id", "sources", "source_id"),
    ("affiliations", "actor_id", "actors", "actor_id"),
    ("affiliations", "organization_id", "actors", "actor_id"),
    ("affiliations", "source_id", "sources", "source_id"),
    ("events", "parent_event_id", "events", "event_id"),
    ("events", "source_id", "sources", "source_id"),
    ("event_actors", "event_id", "events", "event_id"),
    ("event_actors", "actor_id", "actors", "actor_id"),
    ("event_actors", "affiliation_id", "affiliations", "affiliation_id"),
    ("event_actors", "source_id", "sources", "source_id"),
    ("event_links", "event_id", "events", "event_id"),
    ("event_links", "related_event_id", "events", "event_id"),
    ("event_links", "source_id", "sources", "source_id"),
    ("event_sources", "event_id", "events", "event_id"),
    ("event_sources", "source_id", "sources", "source_id"),
    ("statements", "speaker_id", "actors", "actor_id"),
    ("statements", "event_id", "events", "event_id"),
    ("statements", "about_event_id", "events", "event_id"),
    ("statements", "source_id", "sources", "source_id"),
    ("retired_ids", "source_id", "sources", "source_id"),
)
#: References that describe the row they point at rather than use it: an actor that has names
#: but takes part in no event, statement or affiliation is still an orphan.
DESCRIBING: frozenset[tuple[str, str]] = frozenset({("actor_names", "actor_id")})
#: Event statuses that say the event has begun: nothing reports them before it was published.
HAPPENED = ("occurred", "ongoing")
_FAR = np.datetime64("9999-12-31", "D")
_NEVER = np.datetime64("0001-01-01", "D")


class Table:
    """A table as the rules see it: typed columns as numpy arrays, rows still in play.

    ``lookups`` is shared by the tables of one run: where each value of a column first occurs
    in another table's column, computed once however many rules join the two.
    """

    def __init__(self, state: TableState, lookups: dict[tuple[str, ...], np.ndarray] | None = None):
        self.state = state
        self.name = state.name
        self.n = state.nrows
        self.ok = state.free()
        self._arrow: dict[str, pa.Array] = {}
        self._numpy: dict[str, np.ndarray] = {}
        self._lookups = {} if lookups is None else lookups

    def has(self, *columns: str) -> bool:
        return all(c in self.state.typed for c in columns)

    def _reported(self, column: str) -> np.ndarray:
        """Cells of ``column`` an earlier layer reported: the rules leave them out."""
        return ~self.state.free(self.state.columns[column]) | ~self.ok

    def strings(self, column: str) -> pa.Array:
        """Every value as a string (null where empty or unparsed), reported cells included."""
        if column not in self._arrow:
            values = self.state.typed[column]
            if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
                values = pc.cast(values, pa.string())
            self._arrow[column] = values
        return self._arrow[column]

    def key(self, column: str) -> pa.Array:
        """Strings as a pyarrow array (null where empty, unparsed or already reported)."""
        values = self.strings(column)
        return keep(values, ~self._reported(column))

    def value(self, column: str, index: int) -> str | None:
        """The string at one row (None where empty, unparsed or already reported)."""
        if self._reported(column)[index]:
            return None
        return self.strings(column)[index].as_py()

    def equals(self, column: str, value: str) -> np.ndarray:
        """Where ``column`` holds ``value`` (cells already reported hold nothing)."""
        hits = pc.equal(self.strings(column), value)
        return arrow.mask(hits) & ~self._reported(column)

    def lookup(self, column: str, target: Table, target_column: str) -> np.ndarray:
        """``index_in(self.key(column), target.key(target_column))``, from a cached look-up.

        The position of each value's first occurrence among all of the target's values is
        computed once; cells reported since are masked out, and the few values whose first
        occurrence has been reported are looked up again among the target's keys in play.
        """
        cached = (self.name, column, target.name, target_column)
        if cached not in self._lookups:
            checked = self.state.lookups.get((column, target.name, target_column))
            same_type = pa.types.is_string(self.state.typed[column].type) and pa.types.is_string(
                target.state.typed[target_column].type
            )
            if checked is not None and same_type:
                self._lookups[cached] = checked  # found by the foreign-key check
            else:
                self._lookups[cached] = index_in(
                    self.strings(column), target.strings(target_column)
                )
        found = self._lookups[cached].copy()
        found[self._reported(column)] = -1
        hit = np.flatnonzero(found >= 0)
        stale = hit[target._reported(target_column)[found[hit]]]
        if stale.size:
            again = self.key(column).take(arrow.from_numpy(stale))
            found[stale] = index_in(again, target.key(target_column))
        return found

    def text(self, column: str) -> np.ndarray:
        """Strings (object array, None where empty, unparsed or already reported)."""
        if column not in self._numpy:
            self.key(column)
            raw = self._arrow[column].to_numpy(zero_copy_only=False)
            self._numpy[column] = np.asarray(raw, dtype=object)
        out = self._numpy[column].copy()
        out[self._reported(column)] = None
        return out

    def date(self, column: str) -> np.ndarray:
        """Dates (datetime64[D], NaT where empty, unparsed or already reported)."""
        values = self.state.typed[column]
        if not pa.types.is_date(values.type):
            return np.full(self.n, np.datetime64("NaT"), dtype="datetime64[D]")
        if column not in self._numpy:
            raw = values.to_numpy(zero_copy_only=False)
            self._numpy[column] = np.asarray(raw, dtype="datetime64[D]")
        out = self._numpy[column].copy()
        out[self._reported(column)] = np.datetime64("NaT")
        return out

    def at(self, index: int, code: Code, field: str | None, value: Any = None, **params: Any):
        """The finding at row ``index``; its cell is claimed, so later rules leave it out."""
        sheet = self.state.sheet
        assert sheet is not None
        if field in self.state.columns:
            self.state.claim(self.state.columns[field], index)
        return Finding.make(
            code,
            table=self.name,
            path=self.state.spec.path,
            line=int(sheet.lines[index]),
            row=int(sheet.rows[index]),
            field=field,
            value=value,
            **params,
        )


def index_in(values: np.ndarray | pa.Array, keys: np.ndarray | pa.Array) -> np.ndarray:
    """For each value, the position of the first equal key (-1 where none, or None: an empty
    or reported cell matches nothing, not an empty key)."""
    if isinstance(values, np.ndarray):
        values = pa.array(values, pa.string())
    if isinstance(keys, np.ndarray):
        keys = pa.array(keys, pa.string())
    found = pc.index_in(values, value_set=keys, skip_nulls=True)
    return arrow.positions(found)


def _day(d: np.datetime64) -> str:
    return "?" if np.isnat(d) else str(d)


def _span(start: np.datetime64, end: np.datetime64) -> str:
    if np.isnat(end):
        return f"from {_day(start)}, open-ended"
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


# -- the rules -------------------------------------------------------------------------------


Tables = dict[str, Table]


def missing_references(t: Tables) -> Iterator[Finding]:
    """References the Table Schemas do not declare as foreign keys, checked here."""
    for name, column, target, target_column in REFERENCES:
        if name not in t or target not in t or not t[name].has(column):
            continue
        if not t[target].has(target_column) or _declared(t[name], column, target, target_column):
            continue
        table, ref = t[name], t[target]
        values = table.text(column)
        found = table.lookup(column, ref, target_column) >= 0
        missing = ~found & (values != None) & table.ok  # noqa: E711
        for i in np.flatnonzero(missing).tolist():
            yield table.at(
                i,
                Code.MISSING_REFERENCE,
                column,
                values[i],
                ref_table=target,
                ref_field=target_column,
            )


def _declared(table: Table, column: str, target: str, target_column: str) -> bool:
    for fk in table.state.spec.items("foreignKeys"):
        if not isinstance(fk.get("reference"), dict):
            continue
        fields, ref = fk.get("fields"), fk["reference"]
        resource = ref.get("resource") or table.name
        ref_fields = ref.get("fields")
        if (
            fields in ([column], column)
            and resource == target
            and ref_fields
            in (
                [target_column],
                target_column,
            )
        ):
            return True
    return False


def parent_cycles(t: Tables) -> Iterator[Finding]:
    """No event is its own ancestor through parent_event_id."""
    events = t["events"]
    ids, parents = events.key("event_id"), events.key("parent_event_id")
    valid = events.ok & arrow.valid(ids)
    # Where an id repeats, its last row stands for it (as in a dict built row by row).
    linked = np.flatnonzero(valid & arrow.valid(parents))
    children = ids.take(arrow.from_numpy(linked)).to_pylist()
    parent_of = dict(zip(children, parents.take(arrow.from_numpy(linked)).to_pylist(), strict=True))
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in parent_of:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cycles.append(path[path.index(node) :])
        for visited in path:
            state[visited] = 2
    if not cycles:
        return
    members = pa.array(sorted({e for cycle in cycles for e in cycle}), pa.string())
    rows = np.flatnonzero(valid & arrow.mask(pc.is_in(ids, value_set=members)))
    row_of = dict(zip(ids.take(arrow.from_numpy(rows)).to_pylist(), rows.tolist(), strict=True))
    for cycle in cycles:
        first = min(cycle, key=lambda e: row_of.get(e, 1 << 62))
        k = cycle.index(first)
        ordered = cycle[k:] + cycle[:k] + [first]
        yield events.at(
            row_of[first],
            Code.PARENT_CYCLE,
            "parent_event_id",
            parent_of[first],
            cycle=" -> ".join(ordered),
        )


def affiliation_cycles(t: Tables) -> Iterator[Finding]:
    """No actor is affiliated with itself, directly or through other actors."""
    aff = t["affiliations"]
    actors, orgs = aff.text("actor_id"), aff.text("organization_id")
    edges: dict[str, list[tuple[str, int]]] = {}
    for i in range(aff.n):
        a, o = actors[i], orgs[i]
        if not aff.ok[i] or a is None or o is None:
            continue
        if a == o:
            yield aff.at(i, Code.SELF_AFFILIATION, "organization_id", o)
            continue
        edges.setdefault(a, []).append((o, i))
    for component in _strong_components(edges):
        members = set(component)
        inner = [(i, a, o) for a in component for o, i in edges.get(a, []) if o in members]
        i, a, o = min(inner)
        path = _path(edges, o, a, members)
        yield aff.at(
            i,
            Code.AFFILIATION_CYCLE,
            "organization_id",
            o,
            cycle=" -> ".join([a, *path]),
        )


def _strong_components(edges: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in list(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, k = work.pop()
            if k == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if k < len(targets):
                work.append((node, k + 1))
                nxt = targets[k][0]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def _path(edges: dict[str, list[tuple[str, int]]], start: str, goal: str, within: set[str]):
    """Shortest path from start to goal inside a component (breadth first)."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for nxt, _ in edges.get(node, []):
            if nxt in within and nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    path: list[str] = []
    step: str | None = goal
    while step is not None:
        path.append(step)
        step = previous.get(step)
    return path[::-1]


def date_order(t: Tables) -> Iterator[Finding]:
    """start_date is on or before end_date in events and affiliations."""
    for name in ("events", "affiliations"):
        if name not in t or not t[name].has("start_date", "end_date"):
            continue
        table = t[name]
        start, end = table.date("start_date"), table.date("end_date")
        for i in np.flatnonzero((end < start) & table.ok).tolist():
            table.state.claim(table.state.columns["start_date"], i)
            yield table.at(
                i,
                Code.DATE_ORDER,
                "end_date",
                str(end[i]),
                end_field="end_date",
                end=str(end[i]),
                start_field="start_date",
                start=str(start[i]),
            )


def _month_end(d: np.ndarray) -> np.ndarray:
    return (d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1


def _year_start(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[Y]").astype("datetime64[D]")


def _year_end(d: np.ndarray) -> np.ndarray:
    return (d.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1


def event_precision(t: Tables) -> Iterator[Finding]:
    """An event's dates agree with its date_precision."""
    events = t["events"]
    start, end = events.date("start_date"), events.date("end_date")
    dated = ~np.isnat(start) & ~np.isnat(end) & (start <= end) & events.ok
    month_start = start.astype("datetime64[M]").astype("datetime64[D]")
    problems = {
        "range": (
            start == end,
            "date_precision 'range' needs start_date before end_date (a single day is 'day')",
        ),
        "month": (
            (start != month_start) | (end != _month_end(start)),
            "date_precision 'month' needs start_date on the 1st and end_date on the last "
            "day of the same month",
        ),
        "year": (
            (start != _year_start(start)) | (end != _year_end(start)),
            "date_precision 'year' needs start_date on 1 January and end_date on "
            "31 December of the same year",
        ),
    }
    for level, (bad, text) in problems.items():
        hits = dated & events.equals("date_precision", level) & bad
        for i in np.flatnonzero(hits).tolist():
            yield events.at(
                i,
                Code.DATE_PRECISION,
                "date_precision",
                level,
                detail=f"{text}; it has {_span(start[i], end[i])}",
            )


def affiliation_precision(t: Tables) -> Iterator[Finding]:
    """An affiliation's dates known to the month are on the 1st, to the year on 1 January."""
    aff = t["affiliations"]
    for column, precision_column in (
        ("start_date", "start_precision"),
        ("end_date", "end_precision"),
    ):
        if not aff.has(column, precision_column):
            continue
        date, precision = aff.date(column), aff.text(precision_column)
        month = date.astype("datetime64[M]").astype("datetime64[D]")
        rules = {
            "month": (date != month, "the 1st of the month"),
            "year": (date != _year_start(date), "1 January"),
        }
        for level, (bad, where) in rules.items():
            hits = bad & (precision == level) & ~np.isnat(date) & aff.ok
            for i in np.flatnonzero(hits).tolist():
                yield aff.at(
                    i,
                    Code.DATE_PRECISION,
                    column,
                    str(date[i]),
                    detail=f"{precision_column} '{level}' needs {column} on {where}; "
                    f"it is {date[i]}",
                )


def child_within_parent(t: Tables) -> Iterator[Finding]:
    """A child event's dates lie within its parent's."""
    events = t["events"]
    start, end = events.date("start_date"), events.date("end_date")
    p = events.lookup("parent_event_id", events, "event_id")
    has = (p >= 0) & events.ok & ~np.isnat(start)
    p_safe = np.where(has, p, 0)
    p_start, p_end = start[p_safe], end[p_safe]
    child_last = np.where(np.isnat(end), start, end)
    parent_last = np.where(np.isnat(p_end), _FAR, p_end)
    early = has & ~np.isnat(p_start) & (start < p_start)
    late = has & ~np.isnat(p_start) & (child_last > parent_last)
    for i in np.flatnonzero(early | late).tolist():
        child, parent = events.value("event_id", i), events.value("parent_event_id", i)
        yield events.at(
            i,
            Code.CHILD_OUTSIDE_PARENT,
            "start_date" if early[i] else "end_date",
            child,
            span=_span(start[i], end[i]),
            parent=parent,
            parent_span=_span(p_start[i], p_end[i]),
        )


def statement_within_event(t: Tables) -> Iterator[Finding]:
    """A statement's date lies within the span of the event it was made at."""
    st, events = t["statements"], t["events"]
    if events.n == 0:
        return  # no event to lie within (a dangling event_id is a foreign-key finding)
    date = st.date("date")
    e = st.lookup("event_id", events, "event_id")
    start, end = events.date("start_date"), events.date("end_date")
    has = (e >= 0) & st.ok & ~np.isnat(date)
    e_safe = np.where(has, e, 0)
    e_start, e_end = start[e_safe], end[e_safe]
    last = np.where(np.isnat(e_end), _FAR, e_end)
    bad = has & ~np.isnat(e_start) & ((date < e_start) | (date > last))
    for i in np.flatnonzero(bad).tolist():
        event = st.value("event_id", i)
        yield st.at(
            i,
            Code.STATEMENT_OUTSIDE_EVENT,
            "date",
            str(date[i]),
            event=event,
            span=_span(e_start[i], e_end[i]),
        )


def _affiliation_last(date: np.ndarray, year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """The latest day an affiliation end given to a month or year can mean."""
    last = np.where(year, _year_end(date), date)
    return np.where(month, _month_end(date), last)


def acting_affiliations(t: Tables) -> Iterator[Finding]:
    """The affiliation an actor acts in at an event is the actor's own and in force then."""
    ea, aff, events = t["event_actors"], t["affiliations"], t["events"]
    if aff.n == 0:
        return  # no affiliation to check (a dangling affiliation_id is a foreign-key finding)
    a = ea.lookup("affiliation_id", aff, "affiliation_id")
    has = (a >= 0) & ea.ok
    a_safe = np.where(has, a, 0)
    owners = aff.key("actor_id").take(arrow.from_numpy(a_safe))
    other = has & arrow.mask(pc.not_equal(owners, ea.key("actor_id")))
    for i in np.flatnonzero(other).tolist():
        yield ea.at(
            i,
            Code.AFFILIATION_OTHER_ACTOR,
            "affiliation_id",
            ea.value("affiliation_id", i),
            owner=owners[i].as_py(),
            actor=ea.value("actor_id", i),
        )
    if events.n == 0:
        return
    e = ea.lookup("event_id", events, "event_id")
    e_safe = np.where(e >= 0, e, 0)
    ev_start, ev_end = events.date("start_date")[e_safe], events.date("end_date")[e_safe]
    a_start = aff.date("start_date")[a_safe]
    a_end = aff.date("end_date")[a_safe]
    if aff.has("end_precision"):
        year, month = aff.equals("end_precision", "year"), aff.equals("end_precision", "month")
        a_end = _affiliation_last(a_end, year[a_safe], month[a_safe])
    ev_last = np.where(np.isnat(ev_end), _FAR, ev_end)
    a_first = np.where(np.isnat(a_start), _NEVER, a_start)
    a_last = np.where(np.isnat(a_end), _FAR, a_end)
    out = (
        has & ~other & (e >= 0) & ~np.isnat(ev_start) & ((a_first > ev_last) | (a_last < ev_start))
    )
    raw_start, raw_end = aff.date("start_date")[a_safe], aff.date("end_date")[a_safe]
    for i in np.flatnonzero(out).tolist():
        yield ea.at(
            i,
            Code.AFFILIATION_NOT_IN_FORCE,
            "affiliation_id",
            ea.value("affiliation_id", i),
            aff_span=_aff_span(raw_start[i], raw_end[i]),
            event=ea.value("event_id", i),
            span=_span(ev_start[i], ev_end[i]),
        )


def _aff_span(start: np.datetime64, end: np.datetime64) -> str:
    first = "?" if np.isnat(start) else str(start)
    last = "open-ended" if np.isnat(end) else str(end)
    return f"{first} to {last}"


def after_publication(t: Tables) -> Iterator[Finding]:
    """Nothing is reported as having happened before its source was published."""
    sources, events = t["sources"], t["events"]
    if sources.n == 0:
        return  # no publication date to compare with
    published = sources.date("published")
    happened = events.equals("status", HAPPENED[0])
    for status in HAPPENED[1:]:
        happened |= events.equals("status", status)
    start = events.date("start_date")

    def check(table: Table, event_at: np.ndarray, field: str) -> Iterator[Finding]:
        s = table.lookup("source_id", sources, "source_id")
        s_safe = np.where(s >= 0, s, 0)
        pub = published[s_safe]
        e_safe = np.where(event_at >= 0, event_at, 0)
        bad = (s >= 0) & (event_at >= 0) & happened[e_safe] & (start[e_safe] > pub) & table.ok
        for i in np.flatnonzero(bad).tolist():
            e = e_safe[i]
            source = table.value("source_id", i)
            yield table.at(
                i,
                Code.AFTER_PUBLICATION,
                field,
                str(start[e]) if field == "start_date" else source,
                detail=f"event {events.value('event_id', e)!r} ({events.value('status', e)}) "
                f"starts {start[e]}, after its source {source!r} was published on {pub[i]}",
            )

    yield from check(events, np.arange(events.n), "start_date")
    for name in ("event_sources", "event_actors"):
        if name in t and t[name].has("event_id", "source_id") and events.n:
            table = t[name]
            yield from check(table, table.lookup("event_id", events, "event_id"), "source_id")
    if "statements" in t and t["statements"].has("date", "source_id"):
        st = t["statements"]
        s = st.lookup("source_id", sources, "source_id")
        s_safe = np.where(s >= 0, s, 0)
        date, pub = st.date("date"), published[s_safe]
        bad = (s >= 0) & (date > pub) & st.ok
        for i in np.flatnonzero(bad).tolist():
            yield st.at(
                i,
                Code.AFTER_PUBLICATION,
                "date",
                str(date[i]),
                detail=f"date {date[i]} is after its source {st.value('source_id', i)!r} was "
                f"published on {pub[i]}",
            )


def _referenced(t: Tables, target: str, target_column: str) -> pa.Array:
    """Every value of target.target_column that some row of some table points at."""
    pairs = {(n, c) for n, c, tt, tc in REFERENCES if tt == target and tc == target_column}
    for name, table in t.items():
        for fk in table.state.spec.items("foreignKeys"):
            ref = fk.get("reference")
            if not isinstance(ref, dict):
                continue
            fields, ref_fields = fk.get("fields"), ref.get("fields")
            fields = [fields] if isinstance(fields, str) else fields
            ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
            if (ref.get("resource") or name) == target and ref_fields == [target_column]:
                pairs |= {(name, f) for f in fields or [] if isinstance(f, str)}
    found = [
        t[name].key(column).drop_null()
        for name, column in sorted(pairs - DESCRIBING)
        if name in t and t[name].has(column) and (name, column) != (target, target_column)
    ]
    return pc.unique(pa.chunked_array(found, pa.string())) if found else pa.array([], pa.string())


def orphans(t: Tables) -> Iterator[Finding]:
    """Every actor and every source is referenced by some row (warnings)."""
    for name, column, code in (
        ("actors", "actor_id", Code.ORPHAN_ACTOR),
        ("sources", "source_id", Code.ORPHAN_SOURCE),
    ):
        if name not in t or not t[name].has(column):
            continue
        table = t[name]
        ids = table.key(column)
        used = np.asarray(
            pc.is_in(ids, value_set=_referenced(t, name, column)).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
        present = arrow.valid(ids)
        for i in np.flatnonzero(present & ~used & table.ok).tolist():
            yield table.at(i, code, column, ids[i].as_py())


@dataclass(frozen=True)
class Rule:
    """A cross-table rule: its codes, the function that checks it and the columns it reads."""

    codes: tuple[Code, ...]
    check: Callable[[Tables], Iterator[Finding]]
    needs: dict[str, tuple[str, ...]]


RULES: tuple[Rule, ...] = (
    Rule((Code.MISSING_REFERENCE,), missing_references, {}),
    Rule((Code.PARENT_CYCLE,), parent_cycles, {"events": ("event_id", "parent_event_id")}),
    Rule(
        (Code.SELF_AFFILIATION, Code.AFFILIATION_CYCLE),
        affiliation_cycles,
        {"affiliations": ("actor_id", "organization_id")},
    ),
    Rule((Code.DATE_ORDER,), date_order, {}),
    Rule(
        (Code.DATE_PRECISION,),
        event_precision,
        {"events": ("start_date", "end_date", "date_precision")},
    ),
    Rule((Code.DATE_PRECISION,), affiliation_precision, {"affiliations": ()}),
    Rule(
        (Code.CHILD_OUTSIDE_PARENT,),
        child_within_parent,
        {"events": ("event_id", "parent_event_id", "start_date", "end_date")},
    ),
    Rule(
        (Code.STATEMENT_OUTSIDE_EVENT,),
        statement_within_event,
        {"statements": ("date", "event_id"), "events": ("event_id", "start_date", "end_date")},
    ),
    Rule(
        (Code.AFFILIATION_OTHER_ACTOR, Code.AFFILIATION_NOT_IN_FORCE),
        acting_affiliations,
        {
            "event_actors": ("event_id", "actor_id", "affiliation_id"),
            "affiliations": ("affiliation_id", "actor_id", "start_date", "end_date"),
            "events": ("event_id", "start_date", "end_date"),
        },
    ),
    Rule(
        (Code.AFTER_PUBLICATION,),
        after_publication,
        {
            "sources": ("source_id", "published"),
            "events": ("event_id", "status", "start_date", "source_id"),
        },
    ),
    Rule((Code.ORPHAN_ACTOR, Code.ORPHAN_SOURCE), orphans, {}),
)


def check(states: dict[str, TableState], declared: set[str] | None = None) -> list[Finding]:
    """Run every rule on the tables that were read. A rule needing a table or column the
    package does not declare is reported as skipped (a warning); one whose table was declared
    but could not be read is skipped silently (that table's own finding says why)."""
    lookups: dict[tuple[str, ...], np.ndarray] = {}
    tables = {name: Table(s, lookups) for name, s in states.items() if s.usable}
    declared = set(states) if declared is None else declared | set(states)
    findings: list[Finding] = []
    for rule in RULES:
        missing = [
            f"{name}.{column}" if column else name
            for name, columns in rule.needs.items()
            for column in columns or ("",)
            if name not in declared
            or (name in states and column and column not in states[name].spec.field_names)
        ]
        if missing:
            findings.append(
                Finding.make(
                    Code.RULE_SKIPPED,
                    rule=rule.codes[0].value,
                    reason=f"the package has no {', '.join(missing)}",
                )
            )
            continue
        if any(
            name not in tables or not tables[name].has(*cols) for name, cols in rule.needs.items()
        ):
            continue  # a table or column could not be read: its own finding says why
        findings.extend(rule.check(tables))
    return findings
