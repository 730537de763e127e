"""Hypothesis strategies that build whole, valid data packages from the Table Schemas.

Import this module from tests and benchmarks only: hypothesis is a test dependency.
Ordinary cells are drawn from each field's declared type, pattern, vocabulary and
``required`` flag; the cells that tie rows and tables together (keys, references, dates,
precisions, places) are drawn so that every cross-table rule holds, conservatively: where
a rule could be read two ways the generated data keeps both readings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from hypothesis import strategies as st

from libya_events.testing.package import Row, Schemas, Tables, render_number, shipped_schemas

DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2030, 12, 31)
PUBLISHED_SLACK_DAYS = 800
ONE_DAY = dt.timedelta(days=1)

FORMULA_PREFIXES = "=+-@"
OPEN_END_DAYS = dt.timedelta(days=60)  # how late a statement at an open-ended event may be
# Statuses of events that have begun: nothing reports them before it was published
# (Code.AFTER_PUBLICATION).
HAPPENED = ("occurred", "ongoing")

# Real-world spellings: non-ASCII (NFC), apostrophes, quotes, commas, right-to-left script.
AWKWARD_NAMES = (
    "Mevlüt Çavuşoğlu",
    "Ghassan Salamé",
    "Fayez al-Sarraj",
    "Сергей Лавров",
    "خليفة حفتر",
    'Aguila Saleh "Issa"',
    "O'Brien, Jr.",
    "Zoë Ångström",
    "Đặng Thị Ngọc Thịnh",
    "北京",
)
# Words that CSV readers like to turn into something other than text.
TRICKY_WORDS = (
    "NA",
    "N/A",
    "null",
    "None",
    "nan",
    "NaN",
    "#N/A",
    "TRUE",
    "0",
    "1.50",
    "2020-01-01",
)
# Between words: spaces (no-break ones too), punctuation, quotes and line breaks.
_SEPARATORS = (" ", " ", "\u00a0", "\u202f", ", ", "\n", '"', ' "', '" ', "'", "; ", " | ")
_WORD_CHARS = st.characters(categories=("L", "M", "N", "P", "S"))


@dataclass(frozen=True)
class EventRules:
    """The events table's date and status rules, read from its x-record-rules."""

    precisions: tuple[str, ...]
    statuses: tuple[str, ...]
    undated: str  # the precision of an event without dates
    both_ends: frozenset[str]  # precisions that need start_date and end_date
    open_statuses: frozenset[str]  # statuses that may lack end_date
    no_end_statuses: frozenset[str]  # statuses that must lack end_date
    exact: str  # the one remaining precision: exact days, end optional

    @property
    def closed_statuses(self) -> tuple[str, ...]:
        return tuple(s for s in self.statuses if s not in self.no_end_statuses)


def _event_rules(schemas: Schemas) -> EventRules:
    undated, both_ends, open_statuses, no_end = None, None, None, None
    for rule in schemas.record_rules("events"):
        cond, then = rule.get("if", {}), rule.get("then", {})
        prec = cond.get("properties", {}).get("date_precision", {})
        status = cond.get("properties", {}).get("status", {})
        not_status = cond.get("not", {}).get("properties", {}).get("status", {})
        if "const" in prec and "not" in then:
            undated = prec["const"]
        elif "enum" in prec and {"start_date", "end_date"} <= set(then.get("required", [])):
            both_ends = frozenset(prec["enum"])
        elif "enum" in not_status:
            open_statuses = frozenset(not_status["enum"])
        elif "const" in status and then.get("not", {}).get("required") == ["end_date"]:
            no_end = frozenset([status["const"]])
    precisions = tuple(schemas.enum("events", "date_precision"))
    assert undated and both_ends and open_statuses and no_end, "events x-record-rules changed"
    assert {"range", "month", "year"} <= both_ends, "date_precision semantics changed"
    (exact,) = set(precisions) - both_ends - {undated}
    return EventRules(
        precisions=precisions,
        statuses=tuple(schemas.enum("events", "status")),
        undated=undated,
        both_ends=both_ends,
        open_statuses=open_statuses,
        no_end_statuses=no_end,
        exact=exact,
    )


@cache
def event_rules() -> EventRules:
    return _event_rules(shipped_schemas())


def quote_pattern(schemas: Schemas) -> str:
    """The pattern a quote's text must not match (enclosing quotation marks)."""
    for rule in schemas.record_rules("statements"):
        text = rule.get("then", {}).get("properties", {}).get("text", {})
        if "pattern" in text.get("not", {}):
            return text["not"]["pattern"]
    raise AssertionError("statements x-record-rules changed")


# --- dates ----------------------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    nxt = day.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


def year_end(day: dt.date) -> dt.date:
    return day.replace(month=12, day=31)


def snap(day: dt.date, precision: str) -> dt.date:
    """The date written for a day known to ``precision``: the first of its month or year."""
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day


def latest(day: dt.date, precision: str) -> dt.date:
    """The last day a date written at ``precision`` may stand for."""
    if precision == "month":
        return month_end(day)
    if precision == "year":
        return year_end(day)
    return day


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def parse(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def dates(lo: dt.date = DATE_MIN, hi: dt.date = DATE_MAX) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=lo, max_value=hi)


def span_days(minimum: int = 0) -> st.SearchStrategy[int]:
    """Lengths of a span: one day, a few days, or several years."""
    return st.one_of(st.just(minimum), st.integers(max(minimum, 1), 14), st.integers(365, 4 * 365))


# --- cells ----------------------------------------------------------------------------------


def _clean(raw: str) -> str:
    return unicodedata.normalize("NFC", raw).strip()


def _acceptable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and text[0] not in FORMULA_PREFIXES
        and unicodedata.is_normalized("NFC", text)
    )


_WORDS = st.one_of(
    st.text(_WORD_CHARS, min_size=1, max_size=6),
    st.sampled_from(AWKWARD_NAMES),
    st.sampled_from(TRICKY_WORDS),
)


def _join(pieces: list[tuple[str, str]]) -> str:
    return _clean("".join(word + sep for word, sep in pieces))


_TEXTS = (
    st.lists(st.tuples(_WORDS, st.sampled_from(_SEPARATORS)), min_size=1, max_size=4)
    .map(_join)
    .filter(_acceptable)
)


def texts() -> st.SearchStrategy[str]:
    """Free text as a contributor writes it: NFC, trimmed, no formula prefix; quotes,
    commas and newlines inside."""
    return _TEXTS


def names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(AWKWARD_NAMES), texts())


def two_decimals(lo: float, hi: float) -> st.SearchStrategy[str]:
    """Numbers as the package writes them: two decimals."""
    return st.integers(round(lo * 100), round(hi * 100)).map(lambda c: render_number(c / 100))


_URL = r"https?://[a-z0-9]+(\.[a-z0-9]+)*\.[a-z]{2,6}(/[A-Za-z0-9._~-]*)*"


def pattern_cells(schemas: Schemas, table: str, name: str) -> st.SearchStrategy[str]:
    field = schemas.field(table, name)
    pattern = schemas.pattern(table, name)
    assert pattern is not None
    if field.get("format") == "uri":
        # the schema's pattern admits any non-space run; a URI needs the narrower syntax
        return st.from_regex(_URL, fullmatch=True).filter(lambda u: re.search(pattern, u))
    return st.from_regex(pattern, fullmatch=True)


@cache
def cells(table: str, name: str, *, required: bool | None = None) -> st.SearchStrategy[str]:
    """Cell text for one field, from its declared type, pattern, vocabulary and required flag."""
    schemas = shipped_schemas()
    field = schemas.field(table, name)
    constraints = schemas.constraints(table, name)
    if constraints.get("enum"):
        base = st.sampled_from(constraints["enum"])
    elif field["type"] == "date":
        base = dates().map(iso)
    elif field["type"] == "number":
        base = two_decimals(constraints.get("minimum", -1e6), constraints.get("maximum", 1e6))
    elif constraints.get("pattern"):
        base = _pattern_strategy(table, name)
    elif field["type"] == "string":
        base = texts()
    else:
        raise NotImplementedError(f"{table}.{name}: type {field['type']}")
    if required is None:
        required = schemas.required(table, name)
    return base if required else st.one_of(st.just(""), base)


def _row(draw: st.DrawFn, name: str, /, **given: str) -> Row:
    """A row of table ``name``: the cells given, the others drawn from the schema, in schema
    field order."""
    return {
        field: given[field] if field in given else draw(cells(name, field))
        for field in shipped_schemas().field_names(name)
    }


@cache
def _pattern_strategy(table: str, name: str) -> st.SearchStrategy[str]:
    """Cells matching the field's pattern, cut to 40 characters (ids stay readable)."""
    schemas = shipped_schemas()
    pattern = re.compile(schemas.pattern(table, name) or ".*")
    cells = pattern_cells(schemas, table, name)
    if schemas.field(table, name).get("format") == "uri":
        return cells
    return cells.map(lambda s: s[:40].rstrip("-")).filter(pattern.fullmatch)


@st.composite
def slugs(draw: st.DrawFn, table: str, name: str, n: int) -> list[str]:
    """``n`` distinct keys matching the field's pattern.

    A key or two come straight from the pattern; the rest extend them with a counter
    (``stem-1a``), as drawing every key from the regex would dominate the run time.
    """
    if n == 0:
        return []
    pattern = re.compile(shipped_schemas().pattern(table, name) or ".+")
    stems = draw(st.lists(_pattern_strategy(table, name), min_size=1, max_size=1))
    out = list(stems)
    counter = 0
    while len(out) < n:
        counter += 1
        candidate = f"{stems[counter % len(stems)]}-{_base36(counter)}"
        if candidate not in out and pattern.fullmatch(candidate):
            out.append(candidate)
        elif not pattern.fullmatch(candidate):
            out.append(draw(_pattern_strategy(table, name).filter(lambda s: s not in out)))
    return out


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


# --- events ---------------------------------------------------------------------------------


@st.composite
def root_dates(draw: st.DrawFn) -> tuple[dt.date | None, dt.date | None, str, str]:
    """(start, end, precision, status) of an event without a parent."""
    rules = event_rules()
    precision = draw(st.sampled_from(rules.precisions))
    if precision == rules.undated:
        return None, None, precision, draw(st.sampled_from(rules.statuses))
    if precision in rules.both_ends:
        status = draw(st.sampled_from(rules.closed_statuses))
        day = draw(dates())
        if precision == "month":
            return day.replace(day=1), month_end(day), precision, status
        if precision == "year":
            return day.replace(month=1, day=1), year_end(day), precision, status
        start = draw(dates(hi=DATE_MAX - ONE_DAY))
        end = min(start + dt.timedelta(days=draw(span_days(1))), DATE_MAX)
        return start, end, precision, status
    status = draw(st.sampled_from(rules.statuses))
    start = draw(dates())
    open_end = status in rules.no_end_statuses or (
        status in rules.open_statuses and draw(st.booleans())
    )
    if open_end:
        return start, None, precision, status
    return start, min(start + dt.timedelta(days=draw(span_days())), DATE_MAX), precision, status


def _whole_units_within(lo: dt.date, hi: dt.date, day: dt.date, precision: str):
    """A month or year lying wholly in [lo, hi], the one holding ``day`` if it does."""
    first = snap(day, precision)
    if lo <= first and latest(first, precision) <= hi:
        return first
    first = snap(lo, precision)
    if first < lo:
        first = latest(first, precision) + ONE_DAY
    return first if latest(first, precision) <= hi else None


@st.composite
def child_dates(draw: st.DrawFn, lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date, str, str]:
    """(start, end, precision, status) of an event lying within its parent's span [lo, hi]."""
    rules = event_rules()
    status = draw(st.sampled_from(rules.closed_statuses))
    options = [rules.exact] + (["range"] if hi > lo else [])
    for unit in ("month", "year"):
        if _whole_units_within(lo, hi, lo, unit):
            options.append(unit)
    precision = draw(st.sampled_from([p for p in rules.precisions if p in options]))
    if precision in ("month", "year"):
        first = _whole_units_within(lo, hi, draw(dates(lo, hi)), precision)
        assert first is not None
        return first, latest(first, precision), precision, status
    if precision == "range":
        start = draw(dates(lo, hi - ONE_DAY))
        return start, draw(dates(start + ONE_DAY, hi)), precision, status
    start = draw(dates(lo, hi))
    return start, draw(dates(start, hi)), precision, status


@st.composite
def places(draw: st.DrawFn) -> dict[str, str]:
    """location, its precision, its Wikidata id and coordinates: all or nothing."""
    location = draw(cells("events", "location", required=False))
    if not location:
        return dict.fromkeys(
            ("location", "location_precision", "location_wikidata_id", "latitude", "longitude"),
            "",
        )
    coords = draw(st.booleans())
    return {
        "location": location,
        "location_precision": draw(cells("events", "location_precision", required=True)),
        "location_wikidata_id": draw(cells("events", "location_wikidata_id")),
        "latitude": draw(cells("events", "latitude", required=True)) if coords else "",
        "longitude": draw(cells("events", "longitude", required=True)) if coords else "",
    }


# --- affiliations ---------------------------------------------------------------------------


@st.composite
def affiliation_dates(draw: st.DrawFn) -> dict[str, str]:
    """start and end with their precisions: set together, month on the 1st, year on 1 January,
    start no later than end."""
    precisions = shipped_schemas().enum("affiliations", "start_precision")
    out = dict.fromkeys(("start_date", "start_precision", "end_date", "end_precision"), "")
    start = None
    if draw(st.booleans()):
        precision = draw(st.sampled_from(precisions))
        start = snap(draw(dates()), precision)
        out |= {"start_date": iso(start), "start_precision": precision}
    if draw(st.booleans()):
        lo = start or DATE_MIN
        precision = draw(st.sampled_from(precisions))
        end = snap(min(lo + dt.timedelta(days=draw(span_days())), DATE_MAX), precision)
        if end < lo:
            end, precision = min(lo + dt.timedelta(days=draw(span_days())), DATE_MAX), "day"
        out |= {"end_date": iso(end), "end_precision": precision}
    return out


def in_force(affiliation: Row, event: Row) -> bool:
    """The affiliation holds on every day the event may span, whatever its precisions mean."""
    start = parse(event["start_date"])
    if start is None:
        return False
    end = parse(event["end_date"])
    aff_start = parse(affiliation["start_date"])
    if aff_start and latest(aff_start, affiliation["start_precision"]) > start:
        return False
    aff_end = parse(affiliation["end_date"])
    return aff_end is None or (end is not None and end <= aff_end)


# --- whole packages -------------------------------------------------------------------------


def sort_tables(tables: Tables) -> Tables:
    """Every table, rows in primary-key order as the package keeps them."""
    schemas = shipped_schemas()
    out: Tables = {}
    for name in schemas.names:
        key = schemas.primary_key(name)
        out[name] = sorted(tables.get(name, []), key=lambda r: [r[f] for f in key])
    return out


def _dates_of(row: Row, *names: str) -> list[dt.date]:
    return [d for n in names if (d := parse(row[n]))]


def versions_up_to(version: str) -> st.SearchStrategy[str]:
    """Versions no later than ``version`` (MAJOR.MINOR.PATCH)."""
    major, minor, patch = (int(p) for p in version.split("."))

    def below(m: int) -> st.SearchStrategy[str]:
        if m < major:
            return st.tuples(st.just(m), st.integers(0, 30), st.integers(0, 30))
        return st.integers(0, minor).flatmap(
            lambda n: st.tuples(st.just(m), st.just(n), st.integers(0, 30 if n < minor else patch))
        )

    return st.integers(0, major).flatmap(below).map(lambda t: ".".join(map(str, t)))


def _key_text(row: Row, key: list[str]) -> str:
    return "/".join(row[f] for f in key)


@st.composite
def retired_rows(draw: st.DrawFn, tables: Tables, any_source: st.SearchStrategy[str]) -> list[Row]:
    """Rows of retired_ids: ids no table holds any more, each merged or renamed into an id the
    table does hold, or withdrawn."""
    schemas = shipped_schemas()
    if "retired_ids" not in schemas.names:
        return []
    (withdrawn,) = [
        r["if"]["properties"]["reason"]["const"]
        for r in schemas.record_rules("retired_ids")
        if "reason" in r.get("if", {}).get("properties", {})
    ]
    version = schemas.descriptor["version"]
    id_pattern = re.compile(schemas.pattern("retired_ids", "id") or ".+")
    out: list[Row] = []
    taken: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 3))):
        table = draw(st.sampled_from(sorted(tables)))
        key = schemas.primary_key(table)
        present = {_key_text(r, key) for r in tables[table]}
        parts = draw(slugs("retired_ids", "source_id", len(key)))
        rid = "/".join(parts)
        if rid in present or (table, rid) in taken or not id_pattern.fullmatch(rid):
            continue
        successors = sorted(k for k in present if id_pattern.fullmatch(k))
        reasons = [r for r in schemas.enum("retired_ids", "reason") if successors or r == withdrawn]
        reason = draw(st.sampled_from(reasons))
        given = {
            "table": table,
            "id": rid,
            "retired_in": draw(versions_up_to(version)),
            "reason": reason,
            "replaced_by": "" if reason == withdrawn else draw(st.sampled_from(successors)),
            "source_id": draw(st.one_of(st.just(""), any_source)),
        }
        taken.add((table, rid))
        out.append(_row(draw, "retired_ids", **given))
    return out


@st.composite
def packages(
    draw: st.DrawFn,
    *,
    max_events: int = 6,
    max_actors: int = 5,
    max_sources: int = 4,
    max_affiliations: int = 5,
    max_links: int = 4,
    max_statements: int = 4,
    max_names: int = 3,
) -> Tables:
    """A whole valid data package: every table, rows sorted by primary key."""
    schemas = shipped_schemas()
    quote_re = re.compile(quote_pattern(schemas))

    # events: a forest, each parent drawn before its children, children within the parent
    n_events = draw(st.integers(1, max_events))
    event_ids = draw(slugs("events", "event_id", n_events))
    events: list[Row] = []
    for event_id in event_ids:
        parents = [e for e in events if e["start_date"] and e["end_date"]]
        parent = draw(st.sampled_from(parents)) if parents and draw(st.booleans()) else None
        if parent:
            lo, hi = parse(parent["start_date"]), parse(parent["end_date"])
            start, end, precision, status = draw(child_dates(lo, hi))
        else:
            start, end, precision, status = draw(root_dates())
        given = {
            "event_id": event_id,
            "start_date": iso(start),
            "end_date": iso(end),
            "date_precision": precision,
            "status": status,
            "parent_event_id": parent["event_id"] if parent else "",
            "source_id": "",
        }
        events.append(_row(draw, "events", **given, **draw(places())))
    by_event = {e["event_id"]: e for e in events}

    # sources: each cited by at least one event
    n_sources = draw(st.integers(1, min(max_sources, n_events)))
    source_ids = draw(slugs("sources", "source_id", n_sources))
    sources_placeholder = [{"source_id": s} for s in source_ids]
    cited = draw(st.lists(st.sampled_from(source_ids), min_size=n_events, max_size=n_events))
    for k, pos in enumerate(draw(st.permutations(range(n_events)))[:n_sources]):
        cited[pos] = source_ids[k]
    for event, source_id in zip(events, cited, strict=True):
        event["source_id"] = source_id
    any_source = st.sampled_from(source_ids)

    # actors, in an order that affiliations follow (member after body) so none is a cycle
    n_actors = draw(st.integers(1, max_actors))
    actor_ids = draw(slugs("actors", "actor_id", n_actors))
    wikidata = draw(
        st.lists(
            st.one_of(st.none(), _pattern_strategy("actors", "wikidata_id")),
            min_size=n_actors,
            max_size=n_actors,
            unique_by=lambda q: q or object(),
        )
    )
    actors = [
        _row(
            draw,
            "actors",
            actor_id=a,
            name=draw(names()),
            wikidata_id=q or "",
            source_id=draw(any_source),
        )
        for a, q in zip(actor_ids, wikidata, strict=True)
    ]

    # actor_names: up to max_names names per actor, in any script, keyed (actor, language, name)
    actor_names: list[Row] = []
    if "actor_names" in schemas.names:
        for actor_id in actor_ids:
            named = st.tuples(cells("actor_names", "language"), names())
            for language, name in draw(st.lists(named, max_size=max_names, unique=True)):
                given = {"actor_id": actor_id, "language": language, "name": name}
                actor_names.append(_row(draw, "actor_names", **given, source_id=draw(any_source)))

    affiliations: list[Row] = []
    if n_actors >= 2:
        pairs = st.integers(1, n_actors - 1).flatmap(
            lambda m: st.tuples(st.just(m), st.integers(0, m - 1))
        )
        chosen = draw(st.lists(pairs, max_size=max_affiliations))
        ids = draw(slugs("affiliations", "affiliation_id", len(chosen)))
        for aff_id, (member, body) in zip(ids, chosen, strict=True):
            given = {
                "affiliation_id": aff_id,
                "actor_id": actor_ids[member],
                "organization_id": actor_ids[body],
                "source_id": draw(any_source),
            }
            affiliations.append(_row(draw, "affiliations", **given, **draw(affiliation_dates())))
    by_actor: dict[str, list[Row]] = defaultdict(list)
    for aff in affiliations:
        by_actor[aff["actor_id"]].append(aff)

    # event_actors: every actor takes part somewhere, acting offices in force
    roles = schemas.enum("event_actors", "role")
    event_actors: list[Row] = []
    for actor_id in actor_ids:
        at = draw(st.lists(st.sampled_from(event_ids), min_size=1, max_size=3, unique=True))
        for event_id in at:
            offices = [
                a["affiliation_id"] for a in by_actor[actor_id] if in_force(a, by_event[event_id])
            ]
            for role in draw(st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True)):
                given = {
                    "event_id": event_id,
                    "actor_id": actor_id,
                    "role": role,
                    "affiliation_id": draw(st.sampled_from(["", *offices])),
                    "source_id": draw(any_source),
                }
                event_actors.append(_row(draw, "event_actors", **given))

    event_links: list[Row] = []
    if n_events >= 2:
        link = st.tuples(
            st.sampled_from(event_ids),
            st.sampled_from(schemas.enum("event_links", "relation")),
            st.sampled_from(event_ids),
        ).filter(lambda t: t[0] != t[2])
        for a, rel, b in draw(st.lists(link, max_size=max_links, unique=True)):
            given = {"event_id": a, "relation": rel, "related_event_id": b}
            event_links.append(_row(draw, "event_links", **given, source_id=draw(any_source)))

    event_sources: list[Row] = []
    if n_sources >= 2:
        further = st.tuples(st.sampled_from(event_ids), any_source).filter(
            lambda p: by_event[p[0]]["source_id"] != p[1]
        )
        for e, s in draw(st.lists(further, max_size=3, unique=True)):
            event_sources.append(_row(draw, "event_sources", event_id=e, source_id=s))

    statements: list[Row] = []
    n_statements = draw(st.integers(0, max_statements))
    for statement_id in draw(slugs("statements", "statement_id", n_statements)):
        event_id = draw(st.sampled_from(["", *event_ids]))
        about = draw(st.sampled_from(["", *(e for e in event_ids if e != event_id)]))
        date = ""
        if event_id:
            start, end = (
                parse(by_event[event_id]["start_date"]),
                parse(by_event[event_id]["end_date"]),
            )
            if start and draw(st.booleans()):
                date = iso(draw(dates(start, end or start + OPEN_END_DAYS)))
        elif draw(st.booleans()):
            date = iso(draw(dates()))
        kind = draw(cells("statements", "kind"))
        text = draw(texts())
        if kind == "quote" and quote_re.search(text):
            text = f"{text}."
        given = {
            "statement_id": statement_id,
            "date": date,
            "speaker_id": draw(st.sampled_from(actor_ids)),
            "event_id": event_id,
            "about_event_id": about,
            "kind": kind,
            "text": text,
            "source_id": draw(any_source),
        }
        statements.append(_row(draw, "statements", **given))

    retired_ids = draw(
        retired_rows(
            {
                "sources": sources_placeholder,
                "actors": actors,
                "actor_names": actor_names,
                "affiliations": affiliations,
                "events": events,
                "event_actors": event_actors,
                "event_links": event_links,
                "event_sources": event_sources,
                "statements": statements,
            },
            any_source,
        )
    )

    # publication dates: no occurred or ongoing event starts, and no statement is dated,
    # after the source that reports it was published (everything else may lie later)
    bounds: dict[str, list[dt.date]] = defaultdict(list)
    for e in events:
        if e["status"] in HAPPENED:
            bounds[e["source_id"]] += _dates_of(e, "start_date")
    for r in event_actors + event_sources:
        if by_event[r["event_id"]]["status"] in HAPPENED:
            bounds[r["source_id"]] += _dates_of(by_event[r["event_id"]], "start_date")
    for s in statements:
        bounds[s["source_id"]] += _dates_of(s, "date")
    sources = []
    for source_id in source_ids:
        if bounds[source_id]:
            lo = max(bounds[source_id])
            when = dates(lo, lo + dt.timedelta(days=PUBLISHED_SLACK_DAYS))
        else:
            when = dates()
        published = draw(st.one_of(st.just(""), when.map(iso)))
        sources.append(_row(draw, "sources", source_id=source_id, published=published))

    return sort_tables(
        {
            "sources": sources,
            "actors": actors,
            "actor_names": actor_names,
            "affiliations": affiliations,
            "events": events,
            "event_actors": event_actors,
            "event_links": event_links,
            "event_sources": event_sources,
            "statements": statements,
            "retired_ids": retired_ids,
        }
    )
