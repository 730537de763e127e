"""The one-call queries, checked two ways.

Answers read off the CSVs by hand are checked exactly on the frozen 0.1.0 release
(tests/fixtures/release-0.1.0, loaded with ``le.load(path)``), so they stay true however the
shipped data grows. The packaged path (``le.<query>``) is checked on the shipped package against
answers worked out from its CSVs with the csv module, so those checks hold whatever rows ship.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT
from fixtures.packages import RELEASE_0_1_0

import libya_events as le
from libya_events.errors import DateWindowError, UnknownIdError
from libya_events.queries import TIMELINE_COLUMNS


def csv_rows(name: str, root: Path = ROOT) -> list[dict[str, str]]:
    with open(root / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ids(frame: pd.DataFrame, *columns: str) -> list[Any]:
    """The given columns as plain tuples (missing as None), or one column as a plain list."""
    plain = frame[list(columns)].astype(object).where(frame[list(columns)].notna(), None)
    if len(columns) == 1:
        return plain[columns[0]].tolist()
    return [tuple(row) for row in plain.itertuples(index=False)]


def message(exc_type: type[Exception], call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return str(info.value)


@pytest.fixture(scope="module")
def frozen() -> le.Dataset:
    """The 0.1.0 release, whose rows the hand-read answers below come from."""
    ds = le.load(RELEASE_0_1_0)
    assert (ds.version, len(ds.events), len(ds.event_actors)) == ("0.1.0", 20, 61)
    return ds


@pytest.fixture(scope="module")
def ds() -> le.Dataset:
    return le.load()


# --- answers worked out from the shipped CSVs with the csv module ------------------------------
# ISO dates compare as text; an empty date sorts last, as the queries document.


def undated_last(date: str) -> tuple[bool, str]:
    return (date == "", date)


def role_order() -> dict[str, int]:
    """Roles sort in the order the Table Schema declares them (they load as categories)."""
    schema = json.loads((ROOT / "schemas" / "event_actors.table.json").read_text("utf-8"))
    (role,) = [f for f in schema["fields"] if f["name"] == "role"]
    return {name: at for at, name in enumerate(role["constraints"]["enum"])}


def none_if_empty(text: str) -> str | None:
    return text or None


def csv_events_between(start: str, end: str) -> list[str]:
    """The shipped events whose dates overlap start..end, sorted by start_date then event_id."""
    found = [
        r
        for r in csv_rows("events")
        if r["start_date"]
        and r["start_date"] <= end
        and (r["end_date"] == "" or r["end_date"] >= start)
    ]
    return [r["event_id"] for r in sorted(found, key=lambda r: (r["start_date"], r["event_id"]))]


def csv_statements(keep: Any) -> list[str]:
    found = [r for r in csv_rows("statements") if keep(r)]
    return [
        r["statement_id"]
        for r in sorted(found, key=lambda r: (*undated_last(r["date"]), r["statement_id"]))
    ]


# --- events_between ---------------------------------------------------------------------------


JUNE_2020 = [
    "tripoli-offensive-2019",  # ongoing: no end date, so open-ended
    "cairo-initiative-2020-06-06",
    "gna-rejects-cairo-initiative-2020-06",
    "cairo-ceasefire-proposal-2020-06-08",  # proposed: no end date
    "lavrov-visit-turkey-2020-06-14",
    "visit-postponed-2020-06-14",
    "lavrov-cavusoglu-call-2020-06-20",
]


def test_events_between_june_2020_sorted_by_start_then_id(frozen: le.Dataset) -> None:
    found = frozen.events_between("2020-06-01", "2020-06-30")
    assert ids(found, "event_id") == JUNE_2020
    assert list(found.columns) == list(frozen.events.columns)
    assert found.dtypes.equals(frozen.events.dtypes)
    assert isinstance(found.index, pd.RangeIndex)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2011-01-01", "2011-12-31", ["nato-operation-libya-2011"]),
        ("2011-10-31", "2011-10-31", ["nato-operation-libya-2011"]),  # the end day counts
        ("2011-11-01", "2019-04-03", []),
        ("2019-04-04", "2019-04-04", ["tripoli-offensive-2019"]),  # the start day counts
        (
            "2020-06-07",
            "2020-06-07",
            ["tripoli-offensive-2019", "gna-rejects-cairo-initiative-2020-06"],
        ),
        (
            "2020-01-13",
            "2020-01-13",
            [
                "tripoli-offensive-2019",
                "moscow-ceasefire-document-2020-01",
                "moscow-ministers-meeting-2020-01-13",
                "moscow-press-conference-2020-01-13",
                "moscow-talks-2020-01-13",
            ],
        ),
    ],
)
def test_events_between_windows(
    frozen: le.Dataset, start: str, end: str, expected: list[str]
) -> None:
    assert ids(frozen.events_between(start, end), "event_id") == expected


def test_the_undated_event_is_in_no_window(frozen: le.Dataset) -> None:
    everything = frozen.events_between("1900-01-01", "2100-12-31")
    assert "geneva-talks-proposal-2020-06" not in ids(everything, "event_id")
    assert len(everything) == len(frozen.events) - 1 == 19


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2020, 6, 1), dt.date(2020, 6, 30)),
        (dt.datetime(2020, 6, 1, 23, 59), dt.datetime(2020, 6, 30, 0, 1)),
        (pd.Timestamp("2020-06-01"), pd.Timestamp("2020-06-30")),
        (pd.Timestamp("2020-06-01 12:00", tz="Europe/Moscow"), "2020-06-30"),
    ],
)
def test_events_between_takes_dates_datetimes_and_timestamps(
    frozen: le.Dataset, start: Any, end: Any
) -> None:
    assert ids(frozen.events_between(start, end), "event_id") == JUNE_2020
    # the packaged path reads the same forms as the same days
    pd.testing.assert_frame_equal(
        le.events_between(start, end), le.events_between("2020-06-01", "2020-06-30")
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2020-06-01", "2020-06-30"),
        ("2011-01-01", "2011-12-31"),
        ("2019-04-04", "2019-04-04"),
        ("2020-01-13", "2020-01-13"),
        ("1900-01-01", "2100-12-31"),
    ],
)
def test_events_between_on_the_shipped_package_are_the_overlapping_csv_rows(
    start: str, end: str
) -> None:
    found = le.events_between(start, end)
    assert ids(found, "event_id") == csv_events_between(start, end)
    assert list(found.columns) == list(le.events().columns)
    assert found.dtypes.equals(le.events().dtypes)
    assert isinstance(found.index, pd.RangeIndex)


def test_every_shipped_event_is_found_on_its_own_days_and_undated_ones_never() -> None:
    rows = csv_rows("events")
    dated = [r for r in rows if r["start_date"]]
    assert dated, "the shipped package has dated events"
    for r in dated:
        first, last = r["start_date"], r["end_date"] or r["start_date"]
        assert r["event_id"] in ids(le.events_between(first, last), "event_id"), r["event_id"]
        assert r["event_id"] in ids(le.events_between(last, last), "event_id"), r["event_id"]
    everything = ids(le.events_between("0001-01-01", "9999-12-31"), "event_id")
    assert sorted(everything) == sorted(r["event_id"] for r in dated)


FORMS = "give 'YYYY-MM-DD', a datetime.date or a pandas.Timestamp"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            "2020-06-30",
            "2020-06-01",
            "invalid date window: start 2020-06-30 is after end 2020-06-01",
        ),
        ("2020-13-01", "2020-12-31", f"invalid start: '2020-13-01' is not a date; {FORMS}"),
        ("2020-01-01", "June 2020", f"invalid end: 'June 2020' is not a date; {FORMS}"),
        ("2020-6-1", "2020-06-30", f"invalid start: '2020-6-1' is not a date; {FORMS}"),
        (20200601, "2020-06-30", f"invalid start: 20200601 is not a date; {FORMS}"),
        (pd.NaT, "2020-06-30", f"invalid start: NaT is not a date; {FORMS}"),
        (None, "2020-06-30", f"invalid date window: start is None; {FORMS}"),
        ("2020-06-01", None, f"invalid date window: end is None; {FORMS}"),
    ],
)
def test_a_malformed_window_is_a_date_window_error(start: Any, end: Any, expected: str) -> None:
    assert message(DateWindowError, le.events_between, start, end) == expected
    assert message(ValueError, le.events_between, start, end) == expected


# --- events_with ------------------------------------------------------------------------------


def test_events_with_lavrov_are_the_rows_of_event_actors(frozen: le.Dataset) -> None:
    found = frozen.events_with("sergey-lavrov")
    assert ids(found, "event_id", "role", "affiliation_id") == [
        ("moscow-ministers-meeting-2020-01-13", "participant", "lavrov-foreign-minister"),
        ("moscow-press-conference-2020-01-13", "participant", "lavrov-foreign-minister"),
        ("moscow-talks-2020-01-13", "host", "lavrov-foreign-minister"),
        ("lavrov-visit-turkey-2020-06-14", "visitor", "lavrov-foreign-minister"),
        ("lavrov-cavusoglu-call-2020-06-20", "participant", "lavrov-foreign-minister"),
    ]
    from_csv = {
        r["event_id"]
        for r in csv_rows("event_actors", RELEASE_0_1_0)
        if r["actor_id"] == "sergey-lavrov"
    }
    assert set(found["event_id"]) == from_csv
    assert list(found.columns) == [*frozen.events.columns, "role", "affiliation_id"]
    assert found["role"].dtype == frozen.event_actors["role"].dtype
    assert found["start_date"].dtype == "datetime64[s]"


def test_events_with_haftar_in_every_role(frozen: le.Dataset) -> None:
    assert ids(frozen.events_with("khalifa-haftar"), "event_id", "role") == [
        ("moscow-ceasefire-document-2020-01", "non-signatory"),
        ("moscow-talks-2020-01-13", "participant"),
        ("berlin-conference-2020-01-19", "present"),
        ("cairo-initiative-2020-06-06", "participant"),
    ]


def test_events_with_a_role(frozen: le.Dataset) -> None:
    assert ids(frozen.events_with("mevlut-cavusoglu", role="host"), "event_id") == [
        "moscow-talks-2020-01-13",
        "lavrov-visit-turkey-2020-06-14",
    ]
    assert ids(frozen.events_with("russia", "abstainer"), "event_id") == [
        "un-resolution-2510-2020-02-12"
    ]
    assert frozen.events_with("sergey-lavrov", role="chair").empty


def test_events_with_an_actor_who_took_part_in_nothing_is_empty_and_typed(
    frozen: le.Dataset,
) -> None:
    found = frozen.events_with("zakharova")
    assert found.empty
    assert list(found.columns) == [*frozen.events.columns, "role", "affiliation_id"]
    assert found["kind"].dtype == frozen.events["kind"].dtype


def test_events_with_every_shipped_actor_are_its_rows_of_event_actors() -> None:
    starts = {r["event_id"]: r["start_date"] for r in csv_rows("events")}
    order = role_order()
    taking_part = csv_rows("event_actors")
    events, event_actors = le.events(), le.event_actors()
    columns = [*events.columns, "role", "affiliation_id"]
    dtypes = pd.concat([events.dtypes, event_actors.dtypes[["role", "affiliation_id"]]])
    seen = 0
    for actor in csv_rows("actors"):
        mine = [r for r in taking_part if r["actor_id"] == actor["actor_id"]]
        mine.sort(
            key=lambda r: (*undated_last(starts[r["event_id"]]), r["event_id"], order[r["role"]])
        )
        found = le.events_with(actor["actor_id"])
        assert ids(found, "event_id", "role", "affiliation_id") == [
            (r["event_id"], r["role"], none_if_empty(r["affiliation_id"])) for r in mine
        ], actor["actor_id"]
        assert list(found.columns) == columns
        assert found.dtypes.equals(dtypes), actor["actor_id"]
        assert isinstance(found.index, pd.RangeIndex)
        seen += len(found)
    assert seen == len(taking_part) > 0


def test_events_with_a_role_on_the_shipped_package_keeps_that_role_only() -> None:
    taking_part = csv_rows("event_actors")
    pairs = sorted({(r["actor_id"], r["role"]) for r in taking_part})
    assert pairs
    for actor_id, role in pairs:
        everything = le.events_with(actor_id)
        expected = everything[everything["role"] == role].reset_index(drop=True)
        found = le.events_with(actor_id, role=role)
        pd.testing.assert_frame_equal(found, expected)
        assert len(found) == sum(
            r["actor_id"] == actor_id and r["role"] == role for r in taking_part
        )
    # an actor in a role it never had: no rows, whatever else it took part in
    actor_id = taking_part[0]["actor_id"]
    had = {r["role"] for r in taking_part if r["actor_id"] == actor_id}
    never = sorted(set(role_order()) - had)
    assert never
    assert not le.events_with(actor_id).empty
    assert le.events_with(actor_id, role=never[0]).empty


@pytest.mark.parametrize(
    ("actor_id", "expected"),
    [
        (
            "sergei-lavrov",
            "unknown actor_id 'sergei-lavrov': not in table actors; did you mean 'sergey-lavrov'?",
        ),
        ("putin", "unknown actor_id 'putin': not in table actors; did you mean 'vladimir-putin'?"),
        (
            "Sergey Lavrov",
            "unknown actor_id 'Sergey Lavrov': not in table actors; did you mean 'sergey-lavrov'?",
        ),
        ("xyzzy", "unknown actor_id 'xyzzy': not in table actors"),
        (None, "unknown actor_id None: not in table actors"),
    ],
)
def test_events_with_an_unknown_actor(frozen: le.Dataset, actor_id: Any, expected: str) -> None:
    assert message(UnknownIdError, frozen.events_with, actor_id) == expected
    assert message(LookupError, frozen.events_with, actor_id) == expected


@pytest.mark.parametrize("actor_id", ["xyzzy", None])
def test_events_with_an_unknown_actor_on_the_shipped_package(actor_id: Any) -> None:
    assert message(UnknownIdError, le.events_with, actor_id) == (
        f"unknown actor_id {actor_id!r}: not in table actors"
    )


def test_events_with_an_unknown_role(frozen: le.Dataset) -> None:
    with pytest.raises(UnknownIdError) as info:
        frozen.events_with("sergey-lavrov", role="hots")
    assert str(info.value) == (
        "unknown role 'hots': not in the roles of table event_actors; did you mean 'host'?"
    )
    assert (info.value.kind, info.value.value, info.value.suggestions) == ("role", "hots", ["host"])


# --- statements -------------------------------------------------------------------------------


MFA_CALL = [
    "mfa-call-coordinated-action",
    "mfa-call-coordinated-steps",
    "mfa-call-coronavirus",
    "mfa-call-exchanged-opinions",
    "mfa-call-turkish-initiative",  # undated: last
]


def test_statements_by_a_speaker_sorted_by_date(frozen: le.Dataset) -> None:
    assert ids(frozen.statements_by("russian-foreign-ministry"), "statement_id") == MFA_CALL
    assert ids(frozen.statements_by("zakharova"), "statement_id") == [
        "zakharova-haftar-left-without-signing"
    ]
    assert ids(frozen.statements_by("tass"), "statement_id") == ["tass-nato-framing"]
    assert frozen.statements_by("sergey-lavrov").empty
    assert list(frozen.statements_by("tass").columns) == list(frozen.statements.columns)


def test_statements_about_an_event_match_event_id_or_about_event_id(frozen: le.Dataset) -> None:
    assert ids(frozen.statements_about("nato-operation-libya-2011"), "statement_id") == [
        "tass-nato-framing"
    ]
    assert ids(frozen.statements_about("moscow-ceasefire-document-2020-01"), "statement_id") == [
        "zakharova-haftar-left-without-signing"
    ]
    assert (
        ids(frozen.statements_about("lavrov-cavusoglu-call-2020-06-20"), "statement_id") == MFA_CALL
    )
    assert frozen.statements_about("berlin-conference-2020-01-19").empty


def test_statements_by_every_shipped_actor_are_its_csv_rows_by_date() -> None:
    statements = le.statements()
    seen = 0
    for actor in csv_rows("actors"):
        actor_id = actor["actor_id"]
        found = le.statements_by(actor_id)
        assert ids(found, "statement_id") == csv_statements(
            lambda r, a=actor_id: r["speaker_id"] == a
        ), actor_id
        assert list(found.columns) == list(statements.columns)
        assert found.dtypes.equals(statements.dtypes)
        seen += len(found)
    assert seen == len(csv_rows("statements")) > 0


def test_statements_about_every_shipped_event_are_its_csv_rows_by_date() -> None:
    statements = le.statements()
    seen: set[str] = set()
    for event in csv_rows("events"):
        event_id = event["event_id"]
        found = le.statements_about(event_id)
        assert ids(found, "statement_id") == csv_statements(
            lambda r, e=event_id: e in (r["event_id"], r["about_event_id"])
        ), event_id
        assert list(found.columns) == list(statements.columns)
        assert found.dtypes.equals(statements.dtypes)
        seen |= set(found["statement_id"])
    about_some_event = {
        r["statement_id"] for r in csv_rows("statements") if r["event_id"] or r["about_event_id"]
    }
    assert seen == about_some_event
    assert seen


def test_statements_about_an_unknown_event(frozen: le.Dataset) -> None:
    assert message(UnknownIdError, frozen.statements_about, "nato-2011") == (
        "unknown event_id 'nato-2011': not in table events; "
        "did you mean 'nato-operation-libya-2011'?"
    )
    assert message(UnknownIdError, frozen.statements_by, "lavrov-cavusoglu-call-2020-06-20") == (
        "unknown actor_id 'lavrov-cavusoglu-call-2020-06-20': not in table actors"
    )


# --- affiliations_on --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor_id", "date", "expected"),
    [
        ("mevlut-cavusoglu", "2015-01-01", ["cavusoglu-foreign-minister-2014"]),
        ("mevlut-cavusoglu", "2015-08-01", ["cavusoglu-foreign-minister-2014"]),  # end day counts
        ("mevlut-cavusoglu", "2015-09-01", []),  # between the two terms
        ("mevlut-cavusoglu", "2015-11-24", ["cavusoglu-foreign-minister-2015"]),
        ("mevlut-cavusoglu", dt.date(2020, 6, 20), ["cavusoglu-foreign-minister-2015"]),
        ("mevlut-cavusoglu", "2023-06-05", []),
        ("sergey-lavrov", "2004-03-08", []),
        ("sergey-lavrov", "2004-03-09", ["lavrov-foreign-minister"]),
        ("vladimir-putin", "1900-01-01", ["putin-president"]),  # no dates: open both ways
        (
            "libyan-national-army",
            "2020-01-01",
            ["lna-in-joint-military-commission", "lna-supports-eastern-government"],
        ),
        ("russia", "2020-01-01", []),
    ],
)
def test_affiliations_on(frozen: le.Dataset, actor_id: str, date: Any, expected: list[str]) -> None:
    found = frozen.affiliations_on(actor_id, date)
    assert ids(found, "affiliation_id") == expected
    assert list(found.columns) == list(frozen.affiliations.columns)


def test_affiliations_on_the_shipped_package_are_the_csv_rows_in_force() -> None:
    rows = csv_rows("affiliations")
    affiliations = le.affiliations()

    def in_force(actor_id: str, day: str) -> list[str]:
        found = [
            r
            for r in rows
            if r["actor_id"] == actor_id
            and (r["start_date"] == "" or r["start_date"] <= day)
            and (r["end_date"] == "" or r["end_date"] >= day)
        ]
        found.sort(key=lambda r: (*undated_last(r["start_date"]), r["affiliation_id"]))
        return [r["affiliation_id"] for r in found]

    assert rows
    for row in rows:
        # its first and last days, the days either side, and a day every open side reaches
        days = {"2020-01-01"}
        for text, step in ((row["start_date"], -1), (row["end_date"], 1)):
            if text:
                days |= {text, str(dt.date.fromisoformat(text) + dt.timedelta(days=step))}
        for day in sorted(days):
            found = le.affiliations_on(row["actor_id"], day)
            assert ids(found, "affiliation_id") == in_force(row["actor_id"], day), (row, day)
            assert list(found.columns) == list(affiliations.columns)
            assert found.dtypes.equals(affiliations.dtypes)
        first = row["start_date"] or row["end_date"] or "2020-01-01"
        assert row["affiliation_id"] in ids(
            le.affiliations_on(row["actor_id"], first), "affiliation_id"
        )


def test_affiliations_on_bad_input(frozen: le.Dataset) -> None:
    assert message(DateWindowError, frozen.affiliations_on, "mevlut-cavusoglu", "01/01/2015") == (
        f"invalid date: '01/01/2015' is not a date; {FORMS}"
    )
    assert message(UnknownIdError, frozen.affiliations_on, "cavusoglu", "2015-01-01") == (
        "unknown actor_id 'cavusoglu': not in table actors; did you mean 'mevlut-cavusoglu'?"
    )


# --- timeline ---------------------------------------------------------------------------------


def csv_timeline(event_ids: list[str] | None = None) -> list[tuple[Any, ...]]:
    """(event_id, actor_id, actor_name, actor_kind, role, affiliation_id) per event and
    participant of the shipped CSVs, in the documented order; ``event_ids`` limits the events."""
    events = csv_rows("events")
    actors = {r["actor_id"]: r for r in csv_rows("actors")}
    taking_part = csv_rows("event_actors")
    order = role_order()
    chosen = [r for r in events if event_ids is None or r["event_id"] in event_ids]
    chosen.sort(key=lambda r: (*undated_last(r["start_date"]), r["event_id"]))
    out: list[tuple[Any, ...]] = []
    for event in chosen:
        mine = [r for r in taking_part if r["event_id"] == event["event_id"]]
        mine.sort(key=lambda r: (r["actor_id"], order[r["role"]]))
        out += [
            (
                event["event_id"],
                r["actor_id"],
                actors[r["actor_id"]]["name"],
                actors[r["actor_id"]]["kind"],
                r["role"],
                none_if_empty(r["affiliation_id"]),
            )
            for r in mine
        ] or [(event["event_id"], None, None, None, None, None)]
    return out


TIMELINE_IDS = ("event_id", "actor_id", "actor_name", "actor_kind", "role", "affiliation_id")


def test_timeline_one_row_per_event_and_participant() -> None:
    rows = le.timeline()
    assert list(rows.columns) == TIMELINE_COLUMNS
    participants = csv_rows("event_actors")
    with_actors = {r["event_id"] for r in participants}
    without = [r["event_id"] for r in csv_rows("events") if r["event_id"] not in with_actors]
    assert len(rows) == len(participants) + len(without)
    assert sorted(ids(rows[rows["actor_id"].isna()], "event_id")) == sorted(without)
    assert ids(rows, *TIMELINE_IDS) == csv_timeline()
    dated = rows[rows["start_date"].notna()]
    keys = list(zip(dated["start_date"], dated["event_id"], strict=True))
    assert keys == sorted(keys)
    assert rows["role"].dtype == le.event_actors()["role"].dtype
    assert rows["actor_kind"].dtype == le.actors()["kind"].dtype


def test_timeline_first_and_last_rows(frozen: le.Dataset) -> None:
    rows = frozen.timeline()
    assert len(rows) == 61 + 4  # every participant, and one row for each event without any
    assert ids(rows[rows["actor_id"].isna()], "event_id") == [
        "ceasefire-2020-01-12",
        "berlin-communique-2020-01-19",
        "cairo-ceasefire-proposal-2020-06-08",
        "visit-postponed-2020-06-14",
    ]
    assert ids(rows.head(1), "event_id", "actor_id", "actor_name", "actor_kind", "role") == [
        ("nato-operation-libya-2011", "nato", "NATO", "international-organisation", "initiator")
    ]
    assert ids(rows.tail(1), "event_id", "actor_id", "role") == [
        ("geneva-talks-proposal-2020-06", "united-nations", "sponsor")
    ]


def test_timeline_in_a_window(frozen: le.Dataset) -> None:
    rows = frozen.timeline("2020-06-20", "2020-06-20")
    assert ids(rows, "event_id", "actor_id", "actor_name", "role", "affiliation_id") == [
        (
            "tripoli-offensive-2019",
            "government-of-national-accord",
            "Government of National Accord",
            "participant",
            None,
        ),
        (
            "tripoli-offensive-2019",
            "libyan-national-army",
            "Libyan National Army",
            "initiator",
            None,
        ),
        ("cairo-ceasefire-proposal-2020-06-08", None, None, None, None),
        (
            "lavrov-cavusoglu-call-2020-06-20",
            "mevlut-cavusoglu",
            "Mevlut Cavusoglu",
            "participant",
            "cavusoglu-foreign-minister-2015",
        ),
        (
            "lavrov-cavusoglu-call-2020-06-20",
            "sergey-lavrov",
            "Sergey Lavrov",
            "participant",
            "lavrov-foreign-minister",
        ),
    ]
    assert rows["role"].dtype == frozen.event_actors["role"].dtype
    assert rows["actor_kind"].dtype == frozen.actors["kind"].dtype


def test_timeline_with_one_open_side(frozen: le.Dataset) -> None:
    assert set(frozen.timeline(end="2011-12-31")["event_id"]) == {"nato-operation-libya-2011"}
    after = frozen.timeline(start="2020-06-14")
    assert set(after["event_id"]) == {
        "tripoli-offensive-2019",
        "cairo-ceasefire-proposal-2020-06-08",
        "lavrov-visit-turkey-2020-06-14",
        "visit-postponed-2020-06-14",
        "lavrov-cavusoglu-call-2020-06-20",
    }
    assert message(DateWindowError, le.timeline, "2020-06-30", "2020-06-01") == (
        "invalid date window: start 2020-06-30 is after end 2020-06-01"
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2020-06-20", "2020-06-20"),
        ("2020-01-01", "2020-02-29"),
        (None, "2011-12-31"),
        ("2020-06-14", None),
    ],
)
def test_timeline_in_a_window_on_the_shipped_package(start: str | None, end: str | None) -> None:
    chosen = csv_events_between(start or "0001-01-01", end or "9999-12-31")
    rows = le.timeline(start, end)
    assert list(rows.columns) == TIMELINE_COLUMNS
    assert ids(rows, *TIMELINE_IDS) == csv_timeline(chosen)
    assert list(dict.fromkeys(rows["event_id"])) == chosen
    assert rows.dtypes.equals(le.timeline().dtypes)


# --- Dataset methods, fresh results -----------------------------------------------------------


def test_dataset_methods_equal_the_module_functions(ds: le.Dataset) -> None:
    pairs = [
        (
            ds.events_between("2020-01-01", "2020-02-29"),
            le.events_between("2020-01-01", "2020-02-29"),
        ),
        (ds.events_with("akar"), le.events_with("akar")),
        (ds.statements_by("zakharova"), le.statements_by("zakharova")),
        (
            ds.statements_about("nato-operation-libya-2011"),
            le.statements_about("nato-operation-libya-2011"),
        ),
        (ds.affiliations_on("akar", "2020-01-01"), le.affiliations_on("akar", "2020-01-01")),
        (ds.timeline(), le.timeline()),
    ]
    for mine, packaged in pairs:
        pd.testing.assert_frame_equal(mine, packaged)


def test_changing_a_query_result_never_changes_the_tables(frozen: le.Dataset) -> None:
    before = frozen.events
    found = frozen.events_between("2020-06-01", "2020-06-30")
    found.loc[0, "title"] = "changed"
    found["start_date"] = pd.NaT
    rows = frozen.timeline()
    rows.loc[0, "event_id"] = "changed"
    pd.testing.assert_frame_equal(frozen.events, before)
    assert ids(frozen.events_between("2020-06-01", "2020-06-30"), "event_id") == JUNE_2020


def test_queries_need_their_tables(tmp_path: Any) -> None:
    (tmp_path / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    empty = le.load(tmp_path)
    assert empty.tables == ()
    assert message(UnknownIdError, empty.events_with, "sergey-lavrov") == (
        f"unknown table 'events': not in the data package {tmp_path}"
    )
