"""Synthetic data packages of any size, shaped like ours, with faults planted where asked.

`write_synthetic(dest, n_events)` writes a package that keeps every rule: the real package's
descriptor and schemas, every table, whose keys resolve, whose dates are ordered and whose
statements and child events lie within their events. Vocabularies are read from the Table
Schemas' ``constraints.enum``, so a vocabulary edited there is what the generator draws from.
Built column-wise with numpy, a million events take seconds, not hours, which is what the
benchmarks need; the hypothesis strategies cover the awkward cases instead.

``faults={"missing-reference": 3, ...}`` plants that many faults of each kind at rows chosen
by the seed and returns where each one is (table, line as a person counts it, field).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from libya_events._paths import DESCRIPTOR
from libya_events.testing.package import Schemas, shipped_schemas

FAULT_KINDS: tuple[str, ...] = (
    "type",  # statements.date is not a calendar date
    "enum",  # events.kind outside its vocabulary
    "pattern",  # actors.country does not match ^[A-Z]{3}$
    "duplicate-key",  # an event_sources row repeats the (event_id, source_id) of the row above
    "missing-reference",  # event_actors.actor_id names no actor
    "reversed-dates",  # events.end_date before start_date
    "statement-outside-event",  # statements.date before its event's start_date
    "record-rule",  # events.latitude given without longitude
)

_FIRST_DAY = np.datetime64("2019-01-01")
_LAST_EVENT_START = np.datetime64("2020-05-31")  # every event ends in 2020
_PUBLISHED_FROM = np.datetime64("2021-01-01")  # every source is published after every event
_CITIES: tuple[tuple[str, str, str, float, float], ...] = (
    ("Tripoli", "Q3579", "LBY", 32.88, 13.19),
    ("Benghazi", "Q40925", "LBY", 32.12, 20.07),
    ("Misrata", "", "LBY", 32.38, 15.09),
    ("Sirte", "", "LBY", 31.21, 16.59),
    ("Cairo", "Q85", "EGY", 30.04, 31.24),
    ("Moscow", "Q649", "RUS", 55.75, 37.62),
    ("Berlin", "Q64", "DEU", 52.52, 13.41),
    ("Genève", "", "CHE", 46.20, 6.14),
    ("Ankara", "", "TUR", 39.93, 32.86),
    ("Abu Dhabi", "", "ARE", 24.45, 54.38),
)
_COUNTRIES = np.array(
    ["LBY", "EGY", "TUR", "RUS", "DEU", "FRA", "ITA", "ARE", "USA", ""], dtype=object
)
_SUMMARIES = ('Talks on "the ceasefire", event {}.',) + ("Talks on the ceasefire, event {}.",) * 9
_TEXTS = ('We call for a "lasting" ceasefire, speaker {} said.',) + (
    "We call for talks, {} said.",
) * 9
_LANGUAGES = np.array(["en", "ar", "ru", "fr", "tr"], dtype=object)


@dataclass(frozen=True)
class PlantedFault:
    """One fault the generator put in: its kind and where a validator should report it."""

    kind: str
    table: str
    line: int
    field: str
    value: str


@dataclass
class SyntheticPackage:
    """What `write_synthetic` wrote: where, how many rows per table, and the planted faults."""

    path: Path
    n_events: int
    rows: dict[str, int]
    faults: list[PlantedFault] = field(default_factory=list)

    @property
    def descriptor(self) -> Path:
        return self.path / DESCRIPTOR


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Slugs like ``event-000042``: zero-padded, so string order is numeric order."""
    return np.array([f"{prefix}-{n:0{width}d}" for n in numbers.tolist()], dtype=object)


def _dates(days: np.ndarray) -> np.ndarray:
    """ISO dates for a datetime64[D] array, empty where NaT."""
    out = np.datetime_as_string(days, unit="D").astype(object)
    out[np.isnat(days)] = ""
    return out


def _pick(rng: np.random.Generator, pool: np.ndarray, count: int, what: str) -> np.ndarray:
    if count > len(pool):
        raise ValueError(f"cannot plant {count} {what} faults: only {len(pool)} rows qualify")
    return np.sort(rng.choice(pool, size=count, replace=False))


class _Builder:
    """Builds the tables as dicts of equal-length object arrays."""

    def __init__(self, n_events: int, seed: int, schemas: Schemas) -> None:
        if n_events < 40:
            raise ValueError("n_events must be at least 40 to hold every kind of row")
        self.n = n_events
        self.rng = np.random.default_rng(seed)
        self.schemas = schemas
        self.width = max(6, len(str(n_events)))
        self.n_sources = max(n_events // 100, 4)
        self.n_actors = max(n_events // 20, 4)
        self.tables: dict[str, dict[str, np.ndarray]] = {}
        # Identifier of number k at index k, formatted once and indexed from then on.
        self.event_id = _ids("event", np.arange(n_events), self.width)
        self.actor_id = _ids("actor", np.arange(self.n_actors), self.width)
        self.affiliation_id = _ids("affiliation", np.arange(self.n_actors), self.width)
        self.source_id = _ids("source", np.arange(self.n_sources), self.width)

    def vocab(self, table: str, name: str) -> np.ndarray:
        return np.array(self.schemas.enum(table, name), dtype=object)

    def choose(self, values: np.ndarray, size: int) -> np.ndarray:
        return values[self.rng.integers(0, len(values), size)]

    def source_ids(self, numbers: np.ndarray) -> np.ndarray:
        return self.source_id[numbers % self.n_sources]

    def build(self) -> dict[str, dict[str, np.ndarray]]:
        self.sources()
        self.actors()
        self.actor_names()
        self.affiliations()
        self.events()
        self.event_actors()
        self.event_links()
        self.event_sources()
        self.statements()
        self.retired_ids()
        return self.tables

    def sources(self) -> None:
        i = np.arange(self.n_sources)
        published = _PUBLISHED_FROM + (i % 365).astype("timedelta64[D]")
        published[i % 5 == 4] = np.datetime64("NaT")
        self.tables["sources"] = {
            "source_id": self.source_id,
            "kind": self.vocab("sources", "kind")[i % len(self.vocab("sources", "kind"))],
            "publisher": np.array([f"Publisher {k % 50}" for k in i.tolist()], dtype=object),
            "original_publisher": np.where(i % 6 == 1, "Wire agency", "").astype(object),
            "title": np.where(i % 3 == 0, "", np.char.add("Report ", i.astype(str))).astype(object),
            "description": np.array([f"Synthetic source {k}." for k in i.tolist()], dtype=object),
            "published": _dates(published),
            "url": np.where(
                i % 4 == 3, "", np.char.add("https://example.org/source/", i.astype(str))
            ).astype(object),
            "photo_credit": np.where(i % 10 == 0, "Photo: Agency", "").astype(object),
            "notes": np.full(self.n_sources, "", dtype=object),
        }

    def actors(self) -> None:
        n = self.n_actors
        i = np.arange(n)
        kinds = self.vocab("actors", "kind")
        self.tables["actors"] = {
            "actor_id": self.actor_id[i],
            "name": np.array([f"Actor {k} Ünal" for k in i.tolist()], dtype=object),
            "kind": kinds[i % len(kinds)],
            "country": _COUNTRIES[i % len(_COUNTRIES)],
            "wikidata_id": np.where(
                i % 2 == 0, np.char.add("Q", (1_000_000 + i).astype(str)), ""
            ).astype(object),
            "aliases": np.where(
                i % 7 == 0, np.char.add("Alias A | Alias ", i.astype(str)), ""
            ).astype(object),
            "description": np.array(
                [f"Synthetic actor {k}, for tests." for k in i.tolist()], dtype=object
            ),
            "source_id": self.source_ids(i),
            "notes": np.full(n, "", dtype=object),
        }

    def actor_names(self) -> None:
        # Every actor has an Arabic name; every third one an English spelling too. Rows are
        # sorted by (actor_id, language, name): "ar" before "en".
        i = np.arange(self.n_actors)
        english = i % 3 == 0
        actor = np.sort(np.concatenate([i, i[english]]), kind="stable")
        second = np.zeros(len(actor), dtype=bool)
        second[1:] = actor[1:] == actor[:-1]
        kinds = self.vocab("actor_names", "kind").tolist()
        spelling = "english" if "english" in kinds else kinds[-1]
        self.tables["actor_names"] = {
            "actor_id": self.actor_id[actor],
            "name": np.array(
                [
                    f"Actor {k} Ünal" if en else f"الفاعل {k}"
                    for k, en in zip(actor.tolist(), second.tolist(), strict=True)
                ],
                dtype=object,
            ),
            "language": np.where(second, "en", "ar").astype(object),
            "kind": np.where(second, spelling, kinds[0]).astype(object),
            "source_id": self.source_ids(actor),
            "notes": np.full(len(actor), "", dtype=object),
        }

    def affiliations(self) -> None:
        # Actor j (j >= 1) belongs to actor j // 10: every edge points to a smaller number, so
        # the affiliation graph is a tree. Each affiliation is in force over every event: it
        # starts by 2018 and ends, where it ends, after the last event and before any source.
        j = np.arange(1, self.n_actors)
        n = len(j)
        precision = np.array(["", "day", "month", "year"], dtype=object)[j % 4]
        start = np.datetime64("2015-01-01") + self.rng.integers(0, 4 * 365, n).astype(
            "timedelta64[D]"
        )
        start = np.where(
            precision == "month", start.astype("datetime64[M]").astype("datetime64[D]"), start
        )
        start = np.where(
            precision == "year", start.astype("datetime64[Y]").astype("datetime64[D]"), start
        )
        start[precision == ""] = np.datetime64("NaT")
        ends = j % 7 == 0
        end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        end[ends] = np.datetime64("2020-07-01") + self.rng.integers(0, 180, ends.sum()).astype(
            "timedelta64[D]"
        )
        kinds = self.vocab("affiliations", "kind")
        self.tables["affiliations"] = {
            "affiliation_id": self.affiliation_id[j],
            "actor_id": self.actor_id[j],
            "organization_id": self.actor_id[j // 10],
            "kind": kinds[j % len(kinds)],
            "role": np.array([f"Role {k % 20}" for k in j.tolist()], dtype=object),
            "start_date": _dates(start),
            "start_precision": precision,
            "end_date": _dates(end),
            "end_precision": np.where(ends, "day", "").astype(object),
            "source_id": self.source_ids(j),
            "notes": np.full(n, "", dtype=object),
        }

    def events(self) -> None:
        n, rng = self.n, self.rng
        i = np.arange(n)
        nat = np.datetime64("NaT")
        precision = rng.choice(
            np.array(["day", "range", "month", "year", "unknown"], dtype=object),
            size=n,
            p=[0.75, 0.1, 0.08, 0.02, 0.05],
        )
        parent_rows = i % 20 == 0
        child_rows = i % 20 == 3
        precision[parent_rows] = "range"
        precision[child_rows] = "day"
        span = (_LAST_EVENT_START - _FIRST_DAY).astype(int)
        start = _FIRST_DAY + rng.integers(0, span, n).astype("timedelta64[D]")
        length = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 4, n))
        length = np.where(precision == "range", rng.integers(1, 11, n), length)
        length = np.where(parent_rows, rng.integers(10, 41, n), length)
        end = start + length.astype("timedelta64[D]")
        month = precision == "month"
        start[month] = start[month].astype("datetime64[M]").astype("datetime64[D]")
        end[month] = (start[month].astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
        year = precision == "year"
        start[year] = np.datetime64("2019-01-01")
        end[year] = np.datetime64("2019-12-31")
        # A child (row 20k+3) lies within its parent (row 20k), which spans at least 10 days.
        parent = np.where(child_rows, i - 3, -1)
        start[child_rows] = start[parent[child_rows]] + rng.integers(0, 6, child_rows.sum())
        end[child_rows] = start[child_rows] + rng.integers(0, 5, child_rows.sum())

        status = np.full(n, "occurred", dtype=object)
        free = (precision == "day") & ~parent_rows & ~child_rows
        roll = rng.random(n)
        status[free & (roll < 0.05)] = "ongoing"
        status[free & (roll >= 0.05) & (roll < 0.1)] = "planned"
        status[free & (roll >= 0.1) & (roll < 0.15)] = "postponed"
        status[free & (roll >= 0.15) & (roll < 0.2)] = "proposed"
        unknown = precision == "unknown"
        status[unknown] = np.where(roll[unknown] < 0.5, "proposed", "planned")
        end[status == "ongoing"] = nat
        start[unknown] = nat
        end[unknown] = nat

        place = rng.random(n)
        city_rows = place < 0.6
        country_rows = (place >= 0.6) & (place < 0.75)
        city = rng.integers(0, len(_CITIES), n)
        cities = np.array(_CITIES, dtype=object)
        location = np.where(city_rows, cities[city, 0], "").astype(object)
        location[country_rows] = "Libya"
        qid = np.where(city_rows, cities[city, 1], "").astype(object)
        qid[country_rows] = "Q1016"
        country = np.where(city_rows, cities[city, 2], "").astype(object)
        country[country_rows] = "LBY"
        lat = np.where(city_rows, [f"{v:.2f}" for v in cities[city, 3]], "").astype(object)
        lon = np.where(city_rows, [f"{v:.2f}" for v in cities[city, 4]], "").astype(object)
        loc_precision = np.where(city_rows, "city", "").astype(object)
        loc_precision[country_rows] = "country"

        kinds = self.vocab("events", "kind")
        numbers = i.tolist()
        self.event_start, self.event_end, self.event_parent = start, end, parent
        self.event_precision, self.event_has_coordinates = precision, city_rows
        self.tables["events"] = {
            "event_id": self.event_id[i],
            "title": np.array([f"Event {k}" for k in numbers], dtype=object),
            "kind": self.choose(kinds, n),
            "start_date": _dates(start),
            "end_date": _dates(end),
            "date_precision": precision,
            "status": status,
            "location": location,
            "location_wikidata_id": qid,
            "country": country,
            "latitude": lat,
            "longitude": lon,
            "location_precision": loc_precision,
            "parent_event_id": np.where(
                child_rows, self.event_id[np.maximum(parent, 0)], ""
            ).astype(object),
            "summary": np.array([_SUMMARIES[k % 10].format(k) for k in numbers], dtype=object),
            "source_id": self.source_ids(i),
            "notes": np.where(i % 50 == 0, "Dates from one report only.", "").astype(object),
        }

    def event_actors(self) -> None:
        # Two actors an event, 2i and 2i+1 (mod the number of actors): every actor takes part
        # somewhere, so none is an orphan. Rows are sorted by (event_id, actor_id, role).
        n, a = self.n, self.n_actors
        event = np.repeat(np.arange(n), 2)
        actor = np.arange(2 * n) % a
        order = np.lexsort((actor, event))
        event, actor = event[order], actor[order]
        second = np.zeros(2 * n, dtype=bool)
        second[1::2] = True
        # An acting office (the actor's own affiliation, in force on every event) on some rows.
        acting = (self.rng.random(2 * n) < 0.1) & (actor >= 1) & ~np.isnat(self.event_start[event])
        roles = self.vocab("event_actors", "role")
        self.ea_second, self.ea_acting = second, acting
        self.tables["event_actors"] = {
            "event_id": self.event_id[event],
            "actor_id": self.actor_id[actor],
            "role": self.choose(roles, 2 * n),
            "affiliation_id": np.where(
                acting, self.affiliation_id[np.maximum(actor, 1)], ""
            ).astype(object),
            "source_id": self.source_ids(event * 7 + 3),
            "notes": np.full(2 * n, "", dtype=object),
        }

    def event_links(self) -> None:
        k = np.arange(self.n // 5)
        relations = self.vocab("event_links", "relation")
        self.tables["event_links"] = {
            "event_id": self.event_id[5 * k + 1],
            "relation": self.choose(relations, len(k)),
            "related_event_id": self.event_id[5 * k],
            "source_id": self.source_ids(5 * k + 1),
            "notes": np.full(len(k), "", dtype=object),
        }

    def event_sources(self) -> None:
        # Event 2k gets one further source besides its own (which is source 2k mod S).
        k = np.arange(self.n // 2)
        self.tables["event_sources"] = {
            "event_id": self.event_id[2 * k],
            "source_id": self.source_ids(2 * k + 1),
            "supports": np.where(k % 3 == 0, "Date and place, as reported.", "The date.").astype(
                object
            ),
        }

    def statements(self) -> None:
        # Statement k was made at event 2k+1, on a day within its span (undated if it is).
        rng = self.rng
        k = np.arange(self.n // 2)
        event = 2 * k + 1
        start, end = self.event_start[event], self.event_end[event]
        span = np.where(np.isnat(end), 0, (end - start).astype("timedelta64[D]").astype(np.int64))
        span = np.where(np.isnat(start), 0, span)
        date = start + (rng.random(len(k)) * (span + 1)).astype(np.int64).astype("timedelta64[D]")
        about = (k % 10 == 0) & (event >= 2)
        kinds = self.vocab("statements", "kind")
        kind = self.choose(kinds, len(k))
        numbers = k.tolist()
        text = np.array([_TEXTS[j % 10].format(j) for j in numbers], dtype=object)
        self.statement_event = event
        self.about_event = np.where(about, event - 1, -1)
        self.tables["statements"] = {
            "statement_id": _ids("statement", k, self.width),
            "date": _dates(date),
            "speaker_id": self.actor_id[(3 * k) % self.n_actors],
            "event_id": self.event_id[event],
            "about_event_id": np.where(about, self.event_id[event - 1], "").astype(object),
            "kind": kind,
            "text": text,
            "language": _LANGUAGES[k % len(_LANGUAGES)],
            "translated_by": np.where(k % 7 == 3, "Wire agency", "").astype(object),
            "source_id": self.source_ids(k * 11 + 5),
            "notes": np.full(len(k), "", dtype=object),
        }

    def retired_ids(self) -> None:
        # Ids of the shape no live row has, each merged or renamed into a live row or withdrawn.
        k = np.arange(max(self.n // 1000, 3))
        in_events = k % 2 == 0
        withdrawn = k % 3 == 2
        reasons = self.vocab("retired_ids", "reason")
        reason = np.where(withdrawn, "withdrawn", reasons[k % 2]).astype(object)
        replaced_by = np.where(
            in_events, self.event_id[k % self.n], self.actor_id[k % self.n_actors]
        ).astype(object)
        replaced_by[withdrawn] = ""
        table = np.where(in_events, "events", "actors").astype(object)
        ids = np.array([f"retired-{j:0{self.width}d}" for j in k.tolist()], dtype=object)
        ids = np.where(
            in_events,
            np.char.add("event-", ids.astype(str)),
            np.char.add("actor-", ids.astype(str)),
        ).astype(object)
        order = np.lexsort((ids, table))
        columns = {
            "table": table,
            "id": ids,
            "retired_in": np.full(len(k), self.schemas.descriptor["version"], dtype=object),
            "reason": reason,
            "replaced_by": replaced_by,
            "source_id": self.source_ids(k),
            "notes": np.full(len(k), "Recorded twice under two ids.", dtype=object),
        }
        self.tables["retired_ids"] = {name: values[order] for name, values in columns.items()}


class _Planter:
    """Plants faults in built tables; remembers rows so that no two faults share one."""

    def __init__(self, builder: _Builder, seed: int) -> None:
        self.b = builder
        self.t = builder.tables
        self.rng = np.random.default_rng(seed + 1)
        self.used: dict[str, set[int]] = {}
        self.planted: list[tuple[str, str, int, str, str]] = []
        self.inserted_after: list[int] = []  # event_sources rows followed by a duplicate

    def free(self, table: str, mask: np.ndarray) -> np.ndarray:
        rows = np.flatnonzero(mask)
        used = self.used.get(table, set())
        return rows[~np.isin(rows, list(used))] if used else rows

    def set(self, kind: str, table: str, rows: np.ndarray, name: str, values: list[str]) -> None:
        self.used.setdefault(table, set()).update(rows.tolist())
        column = self.t[table][name]
        if column.dtype != object:  # a fixed-width numpy string array would truncate the value
            raise TypeError(f"{table}.{name} is built as {column.dtype}, not object")
        for row, value in zip(rows.tolist(), values, strict=True):
            column[row] = value
            self.planted.append((kind, table, row, name, value))

    def plant(self, kind: str, count: int) -> None:
        if kind not in _PLANTERS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
        _PLANTERS[kind](self, count)

    def type_error(self, count: int) -> None:
        dated = self.t["statements"]["date"] != ""
        rows = _pick(self.rng, self.free("statements", dated), count, "type")
        self.set("type", "statements", rows, "date", ["2020-02-30"] * count)

    def enum_error(self, count: int) -> None:
        rows = _pick(self.rng, self.free("events", np.ones(self.b.n, bool)), count, "enum")
        self.set("enum", "events", rows, "kind", ["banquet"] * count)

    def pattern_error(self, count: int) -> None:
        rows = _pick(
            self.rng, self.free("actors", np.ones(self.b.n_actors, bool)), count, "pattern"
        )
        self.set("pattern", "actors", rows, "country", ["Libya"] * count)

    def duplicate_key(self, count: int) -> None:
        n = len(self.t["event_sources"]["event_id"])
        rows = _pick(self.rng, self.free("event_sources", np.ones(n, bool)), count, "duplicate-key")
        self.used.setdefault("event_sources", set()).update(rows.tolist())
        self.inserted_after.extend(rows.tolist())

    def missing_reference(self, count: int) -> None:
        # The second actor of an event, so the row stays in key order; no acting office, so the
        # only rule it breaks is the reference.
        mask = self.b.ea_second & ~self.b.ea_acting
        rows = _pick(self.rng, self.free("event_actors", mask), count, "missing-reference")
        values = [f"actor-missing-{j}" for j in range(count)]
        self.set("missing-reference", "event_actors", rows, "actor_id", values)

    def reversed_dates(self, count: int) -> None:
        # Events no statement, child or link depends on: even rows, not parents.
        b = self.b
        i = np.arange(b.n)
        referenced = np.zeros(b.n, dtype=bool)
        referenced[b.about_event[b.about_event >= 0]] = True
        referenced[np.arange(b.n // 5) * 5] = True
        mask = (
            (i % 2 == 0)
            & (i % 20 != 0)
            & ~referenced
            & np.isin(b.event_precision, ["day", "range"])
            & ~np.isnat(b.event_end)
            & (b.event_end > b.event_start)
        )
        rows = _pick(self.rng, self.free("events", mask), count, "reversed-dates")
        ev = self.t["events"]
        starts = ev["start_date"][rows].copy()
        self.t["events"]["start_date"][rows] = ev["end_date"][rows]
        self.set("reversed-dates", "events", rows, "end_date", starts.tolist())

    def statement_outside_event(self, count: int) -> None:
        b = self.b
        dated = ~np.isnat(b.event_start[b.statement_event]) & (self.t["statements"]["date"] != "")
        rows = _pick(self.rng, self.free("statements", dated), count, "statement-outside-event")
        early = b.event_start[b.statement_event[rows]] - np.timedelta64(30, "D")
        self.set("statement-outside-event", "statements", rows, "date", _dates(early).tolist())

    def record_rule(self, count: int) -> None:
        mask = self.b.event_has_coordinates
        rows = _pick(self.rng, self.free("events", mask), count, "record-rule")
        self.set("record-rule", "events", rows, "longitude", [""] * count)


_PLANTERS: dict[str, Callable[[_Planter, int], None]] = {
    "type": _Planter.type_error,
    "enum": _Planter.enum_error,
    "pattern": _Planter.pattern_error,
    "duplicate-key": _Planter.duplicate_key,
    "missing-reference": _Planter.missing_reference,
    "reversed-dates": _Planter.reversed_dates,
    "statement-outside-event": _Planter.statement_outside_event,
    "record-rule": _Planter.record_rule,
}


def _frame(table: dict[str, np.ndarray], names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: table.get(name, []) for name in names}, dtype=object)


def write_synthetic(
    dest: str | Path,
    n_events: int,
    seed: int = 0,
    faults: dict[str, int] | None = None,
) -> SyntheticPackage:
    """Write a package of ``n_events`` events to ``dest`` (created; must be empty if it exists).

    Without ``faults`` every row keeps every rule. With them, the returned package lists each
    planted fault at the line (header = line 1) and field where it sits.
    """
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty; write_synthetic writes a fresh package")
    schemas = shipped_schemas()
    builder = _Builder(n_events, seed, schemas)
    tables = builder.build()
    planter = _Planter(builder, seed)
    for kind, count in (faults or {}).items():
        if count:
            planter.plant(kind, count)

    (dest / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(schemas.root / DESCRIPTOR, dest / DESCRIPTOR)
    shutil.copytree(schemas.root / "schemas", dest / "schemas")
    rows: dict[str, int] = {}
    for name in schemas.names:
        # A table this generator does not know yet is written with its header only.
        frame = _frame(tables.get(name, {}), schemas.field_names(name))
        if name == "event_sources" and planter.inserted_after:
            after = np.array(planter.inserted_after)
            copies = frame.iloc[after].copy()
            copies["supports"] = "The same source again."
            copies.index = after + 0.5
            frame = pd.concat([frame, copies]).sort_index(kind="stable").reset_index(drop=True)
        frame.to_csv(dest / schemas.resource(name)["path"], index=False, lineterminator="\n")
        rows[name] = len(frame)

    located: list[PlantedFault] = []
    es_key = "event_id"
    for kind, table, row, name, value in planter.planted:
        located.append(PlantedFault(kind, table, row + 2, name, value))
    inserted = sorted(planter.inserted_after)
    for shift, row in enumerate(inserted):
        # The copy of row r sits below it; every earlier copy pushes it down one more line.
        value = str(tables["event_sources"][es_key][row])
        located.append(
            PlantedFault("duplicate-key", "event_sources", row + 3 + shift, es_key, value)
        )
    located.sort(key=lambda f: (f.kind, f.table, f.line))
    return SyntheticPackage(dest, n_events, rows, located)


def main(argv: list[str] | None = None) -> int:
    """``python -m libya_events.testing.synthetic DEST N [--seed S] [--fault KIND=COUNT ...]``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("dest", type=Path)
    parser.add_argument("n_events", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fault", action="append", default=[], metavar="KIND=COUNT")
    args = parser.parse_args(argv)
    faults: dict[str, int] = {}
    for spec in args.fault:
        kind, _, count = spec.partition("=")
        faults[kind] = int(count or 1)
    try:
        package = write_synthetic(args.dest, args.n_events, args.seed, faults)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"rows": package.rows, "faults": [f.__dict__ for f in package.faults]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
