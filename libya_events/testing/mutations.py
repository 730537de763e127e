"""Mutations that break exactly one rule of a valid package, with the finding each must cause.

Each mutation is a hypothesis strategy factory: given valid tables (from
``strategies.packages()``), it draws a changed copy and the findings the validator must
report, as ``(code, table, line, field)``; it draws ``None`` when the package has nothing
it could break that way. Lines are physical file lines (the header is line 1).
Import from tests and benchmarks only: hypothesis is a test dependency.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from libya_events.rules import DESCRIBING
from libya_events.testing.package import Tables, row_lines, shipped_schemas
from libya_events.testing.strategies import (
    HAPPENED,
    _pattern_strategy,
    event_rules,
    iso,
    packages,
    parse,
    quote_pattern,
)

Expected = tuple[str, str, int, str]
Mutated = tuple[Tables, list[Expected]]
Mutation = Callable[[Tables], st.SearchStrategy["Mutated | None"]]

ONE_DAY = dt.timedelta(days=1)


def line_of(tables: Tables, table: str, index: int) -> int:
    return row_lines(tables[table], shipped_schemas().field_names(table))[index]


def references(tables: Tables, target: str, target_field: str) -> Counter[str]:
    """How many cells of any declared foreign key point at each value of target.target_field,
    leaving out the references that only describe it (`rules.DESCRIBING`: an actor's names),
    as the orphan rule does."""
    schemas = shipped_schemas()
    out: Counter[str] = Counter()
    for name in schemas.names:
        for field, ref_table, ref_field in schemas.foreign_keys(name):
            if (name, field) in DESCRIBING:
                continue
            if (ref_table, ref_field) == (target, target_field):
                out.update(r[field] for r in tables.get(name, []) if r[field])
    return out


def citing(tables: Tables, source_id: str) -> list[tuple[str, int, str]]:
    """(table, row index, field) of every cell that cites ``source_id`` through a foreign key."""
    schemas = shipped_schemas()
    out = []
    for name in schemas.names:
        for field, ref_table, _ in schemas.foreign_keys(name):
            if ref_table == "sources":
                out += [
                    (name, i, field) for i, r in enumerate(tables[name]) if r[field] == source_id
                ]
    return out


def redirect_targets(tables: Tables, table: str) -> set[str]:
    """Keys of ``table`` that a retired id names as its successor (replaced_by)."""
    return {r["replaced_by"] for r in tables.get("retired_ids", []) if r["table"] == table}


def key_text(tables: Tables, table: str, index: int) -> str:
    return "/".join(tables[table][index][f] for f in shipped_schemas().primary_key(table))


def publication_allows(tables: Tables, event: dict[str, str], day: str) -> bool:
    """Whether every source reporting ``event`` was published on or after ``day`` (or has no
    date), so the event may have begun then."""
    published = {s["source_id"]: s["published"] for s in tables["sources"]}
    reporting = [event["source_id"]] + [
        r["source_id"]
        for name in ("event_actors", "event_sources")
        for r in tables[name]
        if r["event_id"] == event["event_id"]
    ]
    return all(not published.get(s) or published[s] >= day for s in reporting)


def _children(tables: Tables) -> set[str]:
    return {e["parent_event_id"] for e in tables["events"] if e["parent_event_id"]}


def _dated_statements(tables: Tables) -> set[str]:
    return {s["event_id"] for s in tables["statements"] if s["event_id"] and s["date"]}


def _acting(tables: Tables) -> set[str]:
    """Events where someone acts in an office (the affiliation must be in force there)."""
    return {r["event_id"] for r in tables["event_actors"] if r["affiliation_id"]}


@st.composite
def _fresh(draw: st.DrawFn, tables: Tables, table: str, field: str) -> str:
    """A new key for ``table``: held by no row and never retired (retired ids stay unused)."""
    taken = {r[field] for r in tables[table]}
    taken |= {r["id"] for r in tables.get("retired_ids", []) if r["table"] == table}
    return draw(_pattern_strategy(table, field).filter(lambda v: v not in taken))


def _pick(draw: st.DrawFn, candidates: list[Any]) -> Any:
    return draw(st.sampled_from(candidates)) if candidates else None


# --- dates ----------------------------------------------------------------------------------


@st.composite
def swap_event_dates(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An event's start_date and end_date swapped: date-order at its end_date."""
    busy = _children(tables) | _dated_statements(tables)
    rows = [
        i
        for i, e in enumerate(tables["events"])
        if e["start_date"]
        and e["end_date"]
        and e["start_date"] < e["end_date"]
        and e["event_id"] not in busy
        and (e["status"] not in HAPPENED or publication_allows(tables, e, e["end_date"]))
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    e = out["events"][i]
    e["start_date"], e["end_date"] = e["end_date"], e["start_date"]
    return out, [("date-order", "events", line_of(out, "events", i), "end_date")]


@st.composite
def swap_affiliation_dates(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An affiliation's start and end (with their precisions) swapped: date-order."""
    used = {r["affiliation_id"] for r in tables["event_actors"]}
    rows = [
        i
        for i, a in enumerate(tables["affiliations"])
        if a["start_date"]
        and a["end_date"]
        and a["start_date"] < a["end_date"]
        and a["affiliation_id"] not in used
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    a = out["affiliations"][i]
    a["start_date"], a["end_date"] = a["end_date"], a["start_date"]
    a["start_precision"], a["end_precision"] = a["end_precision"], a["start_precision"]
    return out, [("date-order", "affiliations", line_of(out, "affiliations", i), "end_date")]


@st.composite
def statement_before_its_event(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A statement dated before the event it was made at: statement-outside-event."""
    events = {e["event_id"]: e for e in tables["events"]}
    rows = [
        i
        for i, s in enumerate(tables["statements"])
        if s["date"] and s["event_id"] and events[s["event_id"]]["start_date"]
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    s = out["statements"][i]
    start = parse(events[s["event_id"]]["start_date"])
    assert start is not None
    s["date"] = iso(start - dt.timedelta(days=draw(st.integers(1, 800))))
    return out, [("statement-outside-event", "statements", line_of(out, "statements", i), "date")]


@st.composite
def child_before_its_parent(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A one-day child event moved before its parent starts: child-outside-parent."""
    events = {e["event_id"]: e for e in tables["events"]}
    busy = _children(tables) | _dated_statements(tables) | _acting(tables)
    rows = [
        i
        for i, e in enumerate(tables["events"])
        if e["parent_event_id"]
        and e["date_precision"] == event_rules().exact
        and e["event_id"] not in busy
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    e = out["events"][i]
    parent_start = parse(events[e["parent_event_id"]]["start_date"])
    assert parent_start is not None
    day = iso(parent_start - dt.timedelta(days=draw(st.integers(1, 800))))
    e["start_date"] = e["end_date"] = day
    return out, [("child-outside-parent", "events", line_of(out, "events", i), "start_date")]


@st.composite
def published_before_the_event(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An occurred or ongoing event cited to a new source published the day before it began:
    after-publication at its start_date."""
    cited = references(tables, "sources", "source_id")
    rows = [
        i
        for i, e in enumerate(tables["events"])
        if e["start_date"] and e["status"] in HAPPENED and cited[e["source_id"]] > 1
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    e = out["events"][i]
    new_id = draw(_fresh(out, "sources", "source_id"))
    source = dict(out["sources"][0])
    start = parse(e["start_date"])
    assert start is not None
    source |= {"source_id": new_id, "published": iso(start - ONE_DAY)}
    out["sources"].append(source)
    e["source_id"] = new_id
    return out, [("after-publication", "events", line_of(out, "events", i), "start_date")]


# --- references -----------------------------------------------------------------------------


@st.composite
def reference_a_missing_actor(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A participant, speaker, affiliation or name pointing at an actor that does not exist:
    foreign-key at that cell."""
    cited = references(tables, "actors", "actor_id")
    spots = [
        (name, i, field)
        for name, field in (
            ("event_actors", "actor_id"),
            ("statements", "speaker_id"),
            ("affiliations", "actor_id"),
            ("affiliations", "organization_id"),
            ("actor_names", "actor_id"),
        )
        for i, r in enumerate(tables.get(name, []))
        if ((name, field) in DESCRIBING or cited[r[field]] > 1)
        and not (name == "event_actors" and r["affiliation_id"])
        and key_text(tables, name, i) not in redirect_targets(tables, name)
    ]
    spot = _pick(draw, spots)
    if spot is None:
        return None
    name, i, field = spot
    out = copy.deepcopy(tables)
    out[name][i][field] = draw(_fresh(out, "actors", "actor_id"))
    return out, [("foreign-key", name, line_of(out, name, i), field)]


@st.composite
def delete_a_cited_source(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A source row removed: foreign-key at every cell that cites it."""
    i = _pick(draw, list(range(len(tables["sources"]))))
    out = copy.deepcopy(tables)
    gone = out["sources"].pop(i)
    spots = citing(out, gone["source_id"])
    expected = [("foreign-key", t, line_of(out, t, j), f) for t, j, f in spots]
    # a retired source id whose successor was this one now points nowhere
    expected += [
        ("retired-invalid", "retired_ids", line_of(out, "retired_ids", j), "replaced_by")
        for j, r in enumerate(out["retired_ids"])
        if r["table"] == "sources" and r["replaced_by"] == gone["source_id"]
    ]
    return out, expected


# --- cycles ---------------------------------------------------------------------------------


@st.composite
def event_is_its_own_parent(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An event made its own parent: parent-cycle."""
    i = draw(st.integers(0, len(tables["events"]) - 1))
    out = copy.deepcopy(tables)
    out["events"][i]["parent_event_id"] = out["events"][i]["event_id"]
    return out, [("parent-cycle", "events", line_of(out, "events", i), "parent_event_id")]


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@st.composite
def affiliation_cycle(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An affiliation added back from an organisation to one of its members: affiliation-cycle,
    reported once, at the first affiliation row of the cycle."""
    affiliations = tables["affiliations"]
    i = _pick(draw, list(range(len(affiliations))))
    if i is None:
        return None
    out = copy.deepcopy(tables)
    member, body = affiliations[i]["actor_id"], affiliations[i]["organization_id"]
    back = {f: "" for f in affiliations[i]} | {
        "affiliation_id": draw(_fresh(tables, "affiliations", "affiliation_id")),
        "actor_id": body,
        "organization_id": member,
        "kind": affiliations[i]["kind"],
        "role": affiliations[i]["role"],
        "source_id": affiliations[i]["source_id"],
    }
    at = draw(st.integers(0, len(affiliations)))
    out["affiliations"].insert(at, back)
    edges: dict[str, set[str]] = {}
    reverse: dict[str, set[str]] = {}
    for a in out["affiliations"]:
        edges.setdefault(a["actor_id"], set()).add(a["organization_id"])
        reverse.setdefault(a["organization_id"], set()).add(a["actor_id"])
    component = _reachable(edges, body) & _reachable(reverse, body)
    first = min(
        j
        for j, a in enumerate(out["affiliations"])
        if a["actor_id"] in component and a["organization_id"] in component
    )
    return out, [
        (
            "affiliation-cycle",
            "affiliations",
            line_of(out, "affiliations", first),
            "organization_id",
        )
    ]


@st.composite
def self_affiliation(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An affiliation of an actor with itself: self-affiliation at organization_id."""
    cited = references(tables, "actors", "actor_id")
    rows = [i for i, a in enumerate(tables["affiliations"]) if cited[a["organization_id"]] > 1]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    a = out["affiliations"][i]
    a["organization_id"] = a["actor_id"]
    return out, [
        ("self-affiliation", "affiliations", line_of(out, "affiliations", i), "organization_id")
    ]


# --- keys and values ------------------------------------------------------------------------


@st.composite
def duplicate_a_key(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A row repeated right after itself: primary-key at the copy."""
    schemas = shipped_schemas()
    spots = []
    for name in schemas.names:
        pk = schemas.primary_key(name)
        unique = [
            f for f in schemas.field_names(name) if schemas.constraints(name, f).get("unique")
        ]
        for i, r in enumerate(tables[name]):
            if all(f in pk or not r[f] for f in unique):
                spots.append((name, i))
    spot = _pick(draw, spots)
    if spot is None:
        return None
    name, i = spot
    out = copy.deepcopy(tables)
    out[name].insert(i + 1, dict(out[name][i]))
    first_field = schemas.primary_key(name)[0]
    return out, [("primary-key", name, line_of(out, name, i + 1), first_field)]


def _free_enum_fields(name: str) -> list[str]:
    """Enum fields no record rule reads: changing one breaks its vocabulary and nothing else."""
    schemas = shipped_schemas()
    mentioned = str(schemas.record_rules(name))
    return [
        f for f in schemas.field_names(name) if schemas.enum(name, f) and f"'{f}'" not in mentioned
    ]


@st.composite
def value_outside_vocabulary(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A word that is not in a field's vocabulary: constraint-error at that cell."""
    schemas = shipped_schemas()
    spots = [
        (name, i, f)
        for name in schemas.names
        for f in _free_enum_fields(name)
        for i, r in enumerate(tables[name])
        if r[f]
        and not (
            f in schemas.primary_key(name)
            and key_text(tables, name, i) in redirect_targets(tables, name)
        )
    ]
    spot = _pick(draw, spots)
    if spot is None:
        return None
    name, i, field = spot
    allowed = set(schemas.enum(name, field))
    word = draw(
        st.from_regex(r"[a-z]+(-[a-z]+)?", fullmatch=True).filter(lambda w: w not in allowed)
    )
    out = copy.deepcopy(tables)
    out[name][i][field] = word
    return out, [("constraint-error", name, line_of(out, name, i), field)]


@st.composite
def impossible_date(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """A date cell that is no calendar day (31 April, 30 February): type-error there."""
    schemas = shipped_schemas()
    spots = [
        (name, i, f["name"])
        for name in schemas.names
        for f in schemas.fields(name)
        if f["type"] == "date"
        for i, r in enumerate(tables[name])
        if r[f["name"]]
    ]
    spot = _pick(draw, spots)
    if spot is None:
        return None
    name, i, field = spot
    out = copy.deepcopy(tables)
    year = out[name][i][field][:4]
    out[name][i][field] = f"{year}-{draw(st.sampled_from(['02-30', '04-31', '13-01', '00-10']))}"
    return out, [("type-error", name, line_of(out, name, i), field)]


# --- record rules (the JSON Schema conditions) ----------------------------------------------


@st.composite
def latitude_without_longitude(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    rows = [i for i, e in enumerate(tables["events"]) if e["latitude"]]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    out["events"][i]["longitude"] = ""
    return out, [("record-rule", "events", line_of(out, "events", i), "longitude")]


@st.composite
def precision_without_location(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    rows = [i for i, e in enumerate(tables["events"]) if e["location"] and not e["latitude"]]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    out["events"][i]["location"] = ""
    return out, [("record-rule", "events", line_of(out, "events", i), "location")]


@st.composite
def ongoing_with_an_end(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    """An event with both dates marked as still going on: the record rule that an ongoing
    event has no end_date, at end_date."""
    rules = event_rules()
    rows = [
        i
        for i, e in enumerate(tables["events"])
        if e["date_precision"] == rules.exact
        and e["start_date"]
        and e["end_date"]
        and publication_allows(tables, e, e["start_date"])
    ]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    out["events"][i]["status"] = draw(st.sampled_from(sorted(rules.no_end_statuses)))
    return out, [("record-rule", "events", line_of(out, "events", i), "end_date")]


@st.composite
def start_without_precision(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    rows = [i for i, a in enumerate(tables["affiliations"]) if a["start_date"]]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    out["affiliations"][i]["start_precision"] = ""
    return out, [
        ("record-rule", "affiliations", line_of(out, "affiliations", i), "start_precision")
    ]


@st.composite
def quote_in_quotation_marks(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    i = _pick(draw, list(range(len(tables["statements"]))))
    if i is None:
        return None
    out = copy.deepcopy(tables)
    s = out["statements"][i]
    words = draw(st.from_regex(r"[A-Za-z]+( [A-Za-z]+){0,3}", fullmatch=True))
    opening, closing = draw(st.sampled_from([('"', '"'), ("“", "”"), ("«", "»")]))
    s["kind"], s["text"] = "quote", f"{opening}{words}{closing}"
    assert re.search(quote_pattern(shipped_schemas()), s["text"])
    return out, [("record-rule", "statements", line_of(out, "statements", i), "text")]


@st.composite
def withdrawn_with_a_successor(draw: st.DrawFn, tables: Tables) -> Mutated | None:
    rows = [i for i, r in enumerate(tables["retired_ids"]) if r["replaced_by"]]
    i = _pick(draw, rows)
    if i is None:
        return None
    out = copy.deepcopy(tables)
    out["retired_ids"][i]["reason"] = "withdrawn"
    return out, [("record-rule", "retired_ids", line_of(out, "retired_ids", i), "replaced_by")]


# --- text (what a spreadsheet or an editor slips into a cell) -------------------------------


def _text_cells(tables: Tables) -> list[tuple[str, int, str]]:
    """(table, row, field) of every non-empty free-text cell (no pattern, no vocabulary)."""
    schemas = shipped_schemas()
    free = {
        name: [
            f["name"]
            for f in schemas.fields(name)
            if f["type"] == "string"
            and not schemas.pattern(name, f["name"])
            and not schemas.enum(name, f["name"])
        ]
        for name in schemas.names
    }
    return [
        (name, i, f)
        for name in schemas.names
        for f in free[name]
        for i, r in enumerate(tables[name])
        if r[f]
    ]


def _text_mutation(code: str, change: Callable[[st.DrawFn, str], str]) -> Mutation:
    @st.composite
    def mutate(draw: st.DrawFn, tables: Tables) -> Mutated | None:
        spot = _pick(draw, _text_cells(tables))
        if spot is None:
            return None
        name, i, field = spot
        out = copy.deepcopy(tables)
        out[name][i][field] = change(draw, out[name][i][field])
        return out, [(code, name, line_of(out, name, i), field)]

    return mutate


WHITESPACE = (" ", "\u00a0", "\u2003", "\u3000", "\n", "\u202f")


def _padded(draw: st.DrawFn, text: str) -> str:
    space = draw(st.sampled_from(WHITESPACE))
    return draw(st.sampled_from([space + text, text + space, space + text + space]))


def _formula(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from("=+-@")) + text


def _decomposed(draw: st.DrawFn, text: str) -> str:
    return text + draw(st.sampled_from(["e\u0301", "A\u030a", "\u1100\u1161"]))


def _control(draw: st.DrawFn, text: str) -> str:
    char = draw(st.sampled_from(["\x01", "\t", "\r", "\x1b", "\x7f", "\x85", "\x9f"]))
    return text + char + "x"


def _nul(draw: st.DrawFn, text: str) -> str:
    return text + "\x00x"


MUTATIONS: dict[str, Mutation] = {
    "swap_event_dates": swap_event_dates,
    "swap_affiliation_dates": swap_affiliation_dates,
    "statement_before_its_event": statement_before_its_event,
    "child_before_its_parent": child_before_its_parent,
    "published_before_the_event": published_before_the_event,
    "reference_a_missing_actor": reference_a_missing_actor,
    "delete_a_cited_source": delete_a_cited_source,
    "event_is_its_own_parent": event_is_its_own_parent,
    "affiliation_cycle": affiliation_cycle,
    "self_affiliation": self_affiliation,
    "duplicate_a_key": duplicate_a_key,
    "value_outside_vocabulary": value_outside_vocabulary,
    "impossible_date": impossible_date,
    "latitude_without_longitude": latitude_without_longitude,
    "precision_without_location": precision_without_location,
    "ongoing_with_an_end": ongoing_with_an_end,
    "start_without_precision": start_without_precision,
    "quote_in_quotation_marks": quote_in_quotation_marks,
    "withdrawn_with_a_successor": withdrawn_with_a_successor,
    "text_with_stray_whitespace": _text_mutation("whitespace", _padded),
    "text_with_a_formula_prefix": _text_mutation("formula-prefix", _formula),
    "text_not_in_nfc": _text_mutation("not-nfc", _decomposed),
    "text_with_a_control_character": _text_mutation("control-character", _control),
    "text_with_a_nul_byte": _text_mutation("nul-byte", _nul),
}


def draw_mutated(data: st.DataObject, kind: str, tables: Tables | None = None) -> Mutated:
    """Inside a test: one ``kind`` mutation of ``tables`` (of a small generated package when
    None), with its expected findings. A package the mutation finds nothing to break in is
    rejected, so hypothesis draws another."""
    if tables is None:
        tables = data.draw(packages(max_events=8, max_statements=5), label="valid package")
    drawn = data.draw(MUTATIONS[kind](tables), label="mutation")
    if drawn is None:
        reject()
    return drawn


@st.composite
def mutated_packages(
    draw: st.DrawFn, tables: Tables, kinds: list[str] | None = None
) -> tuple[str, Tables, list[Expected]] | None:
    """(kind, mutated tables, expected findings) for one mutation that applies to ``tables``:
    a kind drawn uniformly, or the next one that applies; None when none does."""
    names = kinds or sorted(MUTATIONS)
    start = draw(st.integers(0, len(names) - 1))
    for kind in names[start:] + names[:start]:
        result = draw(MUTATIONS[kind](tables))
        if result is not None:
            return kind, *result
    return None
