"""The questions people ask of the event data, each one call over the typed tables.

Each function takes the frames it reads (never changing them) and returns a new frame.
Dates may be given as ``'YYYY-MM-DD'`` text, a ``datetime.date`` / ``datetime.datetime`` or a
``pandas.Timestamp``; only the day counts. Date ranges include both ends; an empty start or
end date is open on that side.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from libya_events.errors import DateWindowError, UnknownIdError
from libya_events.load import suggest

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_FORMS = "give 'YYYY-MM-DD', a datetime.date or a pandas.Timestamp"


def to_day(value: Any, name: str) -> pd.Timestamp:
    """``value`` as a midnight Timestamp, or DateWindowError naming ``name`` and the value."""
    day: dt.date | None = None
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
    elif isinstance(value, dt.datetime):
        day = None if value is pd.NaT else value.date()
    elif isinstance(value, dt.date):
        day = value
    if day is None:
        raise DateWindowError(f"invalid {name}: {value!r} is not a date; {_DATE_FORMS}")
    return pd.Timestamp(day)


def _window(start: Any, end: Any) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    first = None if start is None else to_day(start, "start")
    last = None if end is None else to_day(end, "end")
    if first is not None and last is not None and first > last:
        raise DateWindowError(
            f"invalid date window: start {first.date()} is after end {last.date()}"
        )
    return first, last


def _check_id(value: Any, ids: pd.Series, kind: str, table: str) -> None:
    known = ids.dropna().tolist()
    if not isinstance(value, str) or value not in known:
        raise UnknownIdError(kind, value, f"table {table}", suggest(value, known))


def _is(column: pd.Series, value: str) -> pd.Series:
    """``column == value`` with missing cells counted as False."""
    return column.eq(value).fillna(False).astype(bool)


def _overlapping(events: pd.DataFrame, first: Any, last: Any) -> pd.DataFrame:
    keep = pd.Series(True, index=events.index)
    if first is not None:
        keep &= events["end_date"].isna() | (events["end_date"] >= first)
        keep &= events["start_date"].notna()
    if last is not None:
        keep &= (events["start_date"] <= last).fillna(False).astype(bool)
    return events[keep]


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by, na_position="last", kind="stable").reset_index(drop=True)


def events_between(events: pd.DataFrame, start: Any, end: Any) -> pd.DataFrame:
    """Events whose ``start_date``..``end_date`` overlaps ``start``..``end``.

    An event without an end date is open-ended (ongoing, proposed); an undated event never
    overlaps. Sorted by start_date, then event_id.
    """
    first, last = _window(start, end)
    if first is None or last is None:
        missing = "start" if first is None else "end"
        raise DateWindowError(f"invalid date window: {missing} is None; {_DATE_FORMS}")
    return _sorted(_overlapping(events, first, last), ["start_date", "event_id"])


def events_with(
    events: pd.DataFrame,
    event_actors: pd.DataFrame,
    actors: pd.DataFrame,
    actor_id: str,
    role: str | None = None,
) -> pd.DataFrame:
    """Events ``actor_id`` took part in, one row per event and role, with ``role`` and
    ``affiliation_id`` (the office acted in) after the event's columns.

    ``role`` keeps only that role. Sorted by start_date, event_id, then role.
    """
    _check_id(actor_id, actors["actor_id"], "actor_id", "actors")
    taking_part = event_actors[_is(event_actors["actor_id"], actor_id)]
    if role is not None:
        roles = event_actors["role"]
        known = (
            list(roles.cat.categories)
            if isinstance(roles.dtype, pd.CategoricalDtype)
            else roles.dropna().unique().tolist()
        )
        if not isinstance(role, str) or role not in known:
            raise UnknownIdError(
                "role", role, "the roles of table event_actors", suggest(role, known)
            )
        taking_part = taking_part[_is(taking_part["role"], role)]
    joined = events.merge(
        taking_part[["event_id", "role", "affiliation_id"]], on="event_id", how="inner"
    )
    return _sorted(joined, ["start_date", "event_id", "role"])


def statements_by(statements: pd.DataFrame, actors: pd.DataFrame, speaker_id: str) -> pd.DataFrame:
    """Statements whose speaker is ``speaker_id``, sorted by date, then statement_id."""
    _check_id(speaker_id, actors["actor_id"], "actor_id", "actors")
    found = statements[_is(statements["speaker_id"], speaker_id)]
    return _sorted(found, ["date", "statement_id"])


def statements_about(statements: pd.DataFrame, events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """Statements made at ``event_id`` or about it (``event_id`` or ``about_event_id``),
    sorted by date, then statement_id."""
    _check_id(event_id, events["event_id"], "event_id", "events")
    keep = _is(statements["event_id"], event_id) | _is(statements["about_event_id"], event_id)
    return _sorted(statements[keep], ["date", "statement_id"])


def affiliations_on(
    affiliations: pd.DataFrame, actors: pd.DataFrame, actor_id: str, date: Any
) -> pd.DataFrame:
    """``actor_id``'s affiliations in force on ``date``: start_date <= date <= end_date, an
    empty start or end being open. Sorted by start_date, then affiliation_id."""
    _check_id(actor_id, actors["actor_id"], "actor_id", "actors")
    day = to_day(date, "date")
    starts, ends = affiliations["start_date"], affiliations["end_date"]
    keep = (
        _is(affiliations["actor_id"], actor_id)
        & (starts.isna() | (starts <= day))
        & (ends.isna() | (ends >= day))
    )
    return _sorted(affiliations[keep], ["start_date", "affiliation_id"])


TIMELINE_COLUMNS = [
    "event_id",
    "start_date",
    "end_date",
    "date_precision",
    "kind",
    "status",
    "title",
    "actor_id",
    "actor_name",
    "actor_kind",
    "role",
    "affiliation_id",
]


def timeline(
    events: pd.DataFrame,
    event_actors: pd.DataFrame,
    actors: pd.DataFrame,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """One row per event and participant (an event with none keeps one row, actor empty),
    for the events overlapping ``start``..``end`` (each side open when None).

    Columns: ``TIMELINE_COLUMNS``. Sorted by start_date, event_id, actor_id, then role;
    undated events come last.
    """
    first, last = _window(start, end)
    chosen = _overlapping(events, first, last)
    people = actors[["actor_id", "name", "kind"]].rename(
        columns={"name": "actor_name", "kind": "actor_kind"}
    )
    joined = chosen[
        ["event_id", "start_date", "end_date", "date_precision", "kind", "status", "title"]
    ]
    joined = joined.merge(
        event_actors[["event_id", "actor_id", "role", "affiliation_id"]], on="event_id", how="left"
    ).merge(people, on="actor_id", how="left")
    return _sorted(joined[TIMELINE_COLUMNS], ["start_date", "event_id", "actor_id", "role"])


FIND_ACTOR_COLUMNS = ["matched_name", "matched_language", "matched_in"]


def find_actor(actors: pd.DataFrame, actor_names: pd.DataFrame | None, query: str) -> pd.DataFrame:
    """The actors one of whose names matches ``query``, in any script: their ``actors`` rows,
    sorted by actor_id, with the closest name that matched (``matched_name``: the one with the
    fewest words, the first such in the order name, aliases, actor_names), its language
    (``matched_language``; empty for the actors table's own columns) and where it was found
    (``matched_in``: ``name``, ``aliases`` or ``actor_names``).

    The names are ``actors.name``, each ``' | '``-separated entry of ``actors.aliases`` and every
    row of ``actor_names`` (None for a package without that table). Both sides are folded by
    `libya_events.names.fold` (NFKC, case, marks and diacritics, Arabic letter variants) and cut
    into words; a name matches when every word of ``query`` is a whole word of it, in the same
    order, other words allowed between: ``"حفتر"`` and ``"Khalifa Haftar"`` match
    ``"خليفة بلقاسم حفتر"`` and ``"Khalifa Belqasim Haftar"``; ``"Haft"`` matches nothing.
    """
    from libya_events.errors import NameQueryError
    from libya_events.names import matches, tokens

    if not isinstance(query, str):
        raise NameQueryError(f"invalid name {query!r}: give the name as text")
    wanted = tokens(query)
    if not wanted:
        raise NameQueryError(f"invalid name {query!r}: it holds no letter or digit to match")
    aliases = actors[["actor_id", "aliases"]].dropna()
    aliases = aliases.assign(aliases=aliases["aliases"].str.split("|")).explode("aliases")
    candidates = [
        (actors["actor_id"], actors["name"], [pd.NA] * len(actors), "name"),
        (aliases["actor_id"], aliases["aliases"].str.strip(), [pd.NA] * len(aliases), "aliases"),
    ]
    if actor_names is not None:
        candidates.append(
            (actor_names["actor_id"], actor_names["name"], actor_names["language"], "actor_names")
        )
    best: dict[str, tuple[int, str, Any, str]] = {}
    for ids, names, languages, where in candidates:
        for actor_id, name, language in zip(ids, names, languages, strict=True):
            if not isinstance(name, str):
                continue
            words = tokens(name)
            if matches(wanted, words) and len(words) < best.get(actor_id, (len(words) + 1,))[0]:
                best[actor_id] = (len(words), name, language, where)
    chosen = actors[actors["actor_id"].isin(list(best))].copy()
    for position, column in enumerate(FIND_ACTOR_COLUMNS, start=1):
        values = [best[a][position] for a in chosen["actor_id"]]
        chosen[column] = pd.array(values, dtype="string")
    return _sorted(chosen, ["actor_id"])
