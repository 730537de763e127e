"""The one-call queries, checked against answers read off the shipped CSVs by hand."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT

import libya_events as le
from libya_events.errors import DateWindowError, UnknownIdError
from libya_events.queries import TIMELINE_COLUMNS


def csv_rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as fh:
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
def ds() -> le.Dataset:
    return le.load()


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


def test_events_between_june_2020_sorted_by_start_then_id() -> None:
    found = le.events_between("2020-06-01", "2020-06-30")
    assert ids(found, "event_id") == JUNE_2020
    assert list(found.columns) == list(le.events().columns)
    assert found.dtypes.equals(le.events().dtypes)
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
def test_events_between_windows(start: str, end: str, expected: list[str]) -> None:
    assert ids(le.events_between(start, end), "event_id") == expected


def test_the_undated_event_is_in_no_window() -> None:
    assert "geneva-talks-proposal-2020-06" not in ids(
        le.events_between("1900-01-01", "2100-12-31"), "event_id"
    )
    assert len(le.events_between("1900-01-01", "2100-12-31")) == len(le.events()) - 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2020, 6, 1), dt.date(2020, 6, 30)),
        (dt.datetime(2020, 6, 1, 23, 59), dt.datetime(2020, 6, 30, 0, 1)),
        (pd.Timestamp("2020-06-01"), pd.Timestamp("2020-06-30")),
        (pd.Timestamp("2020-06-01 12:00", tz="Europe/Moscow"), "2020-06-30"),
    ],
)
def test_events_between_takes_dates_datetimes_and_timestamps(start: Any, end: Any) -> None:
    assert ids(le.events_between(start, end), "event_id") == JUNE_2020


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


def test_events_with_lavrov_are_the_rows_of_event_actors() -> None:
    found = le.events_with("sergey-lavrov")
    assert ids(found, "event_id", "role", "affiliation_id") == [
        ("moscow-ministers-meeting-2020-01-13", "participant", "lavrov-foreign-minister"),
        ("moscow-press-conference-2020-01-13", "participant", "lavrov-foreign-minister"),
        ("moscow-talks-2020-01-13", "host", "lavrov-foreign-minister"),
        ("lavrov-visit-turkey-2020-06-14", "visitor", "lavrov-foreign-minister"),
        ("lavrov-cavusoglu-call-2020-06-20", "participant", "lavrov-foreign-minister"),
    ]
    from_csv = {r["event_id"] for r in csv_rows("event_actors") if r["actor_id"] == "sergey-lavrov"}
    assert set(found["event_id"]) == from_csv
    assert list(found.columns) == [*le.events().columns, "role", "affiliation_id"]
    assert found["role"].dtype == le.event_actors()["role"].dtype
    assert found["start_date"].dtype == "datetime64[s]"


def test_events_with_haftar_in_every_role() -> None:
    assert ids(le.events_with("khalifa-haftar"), "event_id", "role") == [
        ("moscow-ceasefire-document-2020-01", "non-signatory"),
        ("moscow-talks-2020-01-13", "participant"),
        ("berlin-conference-2020-01-19", "present"),
        ("cairo-initiative-2020-06-06", "participant"),
    ]


def test_events_with_a_role() -> None:
    assert ids(le.events_with("mevlut-cavusoglu", role="host"), "event_id") == [
        "moscow-talks-2020-01-13",
        "lavrov-visit-turkey-2020-06-14",
    ]
    assert ids(le.events_with("russia", "abstainer"), "event_id") == [
        "un-resolution-2510-2020-02-12"
    ]
    assert le.events_with("sergey-lavrov", role="chair").empty


def test_events_with_an_actor_who_took_part_in_nothing_is_empty_and_typed() -> None:
    found = le.events_with("zakharova")
    assert found.empty
    assert list(found.columns) == [*le.events().columns, "role", "affiliation_id"]
    assert found["kind"].dtype == le.events()["kind"].dtype


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
def test_events_with_an_unknown_actor(actor_id: Any, expected: str) -> None:
    assert message(UnknownIdError, le.events_with, actor_id) == expected
    assert message(LookupError, le.events_with, actor_id) == expected


def test_events_with_an_unknown_role() -> None:
    with pytest.raises(UnknownIdError) as info:
        le.events_with("sergey-lavrov", role="hots")
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


def test_statements_by_a_speaker_sorted_by_date() -> None:
    assert ids(le.statements_by("russian-foreign-ministry"), "statement_id") == MFA_CALL
    assert ids(le.statements_by("zakharova"), "statement_id") == [
        "zakharova-haftar-left-without-signing"
    ]
    assert ids(le.statements_by("tass"), "statement_id") == ["tass-nato-framing"]
    assert le.statements_by("sergey-lavrov").empty
    assert list(le.statements_by("tass").columns) == list(le.statements().columns)


def test_statements_about_an_event_match_event_id_or_about_event_id() -> None:
    assert ids(le.statements_about("nato-operation-libya-2011"), "statement_id") == [
        "tass-nato-framing"
    ]
    assert ids(le.statements_about("moscow-ceasefire-document-2020-01"), "statement_id") == [
        "zakharova-haftar-left-without-signing"
    ]
    assert ids(le.statements_about("lavrov-cavusoglu-call-2020-06-20"), "statement_id") == MFA_CALL
    assert le.statements_about("berlin-conference-2020-01-19").empty


def test_statements_about_an_unknown_event() -> None:
    assert message(UnknownIdError, le.statements_about, "nato-2011") == (
        "unknown event_id 'nato-2011': not in table events; "
        "did you mean 'nato-operation-libya-2011'?"
    )
    assert message(UnknownIdError, le.statements_by, "lavrov-cavusoglu-call-2020-06-20") == (
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
def test_affiliations_on(actor_id: str, date: Any, expected: list[str]) -> None:
    found = le.affiliations_on(actor_id, date)
    assert ids(found, "affiliation_id") == expected
    assert list(found.columns) == list(le.affiliations().columns)


def test_affiliations_on_bad_input() -> None:
    assert message(DateWindowError, le.affiliations_on, "mevlut-cavusoglu", "01/01/2015") == (
        f"invalid date: '01/01/2015' is not a date; {FORMS}"
    )
    assert message(UnknownIdError, le.affiliations_on, "cavusoglu", "2015-01-01") == (
        "unknown actor_id 'cavusoglu': not in table actors; did you mean 'mevlut-cavusoglu'?"
    )


# --- timeline ---------------------------------------------------------------------------------


def test_timeline_one_row_per_event_and_participant() -> None:
    rows = le.timeline()
    assert list(rows.columns) == TIMELINE_COLUMNS
    participants = csv_rows("event_actors")
    with_actors = {r["event_id"] for r in participants}
    without = [r["event_id"] for r in csv_rows("events") if r["event_id"] not in with_actors]
    assert len(rows) == len(participants) + len(without)
    assert sorted(ids(rows[rows["actor_id"].isna()], "event_id")) == sorted(without)
    assert ids(rows.head(1), "event_id", "actor_id", "actor_name", "actor_kind", "role") == [
        ("nato-operation-libya-2011", "nato", "NATO", "international-organisation", "initiator")
    ]
    assert ids(rows.tail(1), "event_id", "actor_id", "role") == [
        ("geneva-talks-proposal-2020-06", "united-nations", "sponsor")
    ]
    dated = rows[rows["start_date"].notna()]
    keys = list(zip(dated["start_date"], dated["event_id"], strict=True))
    assert keys == sorted(keys)


def test_timeline_in_a_window() -> None:
    rows = le.timeline("2020-06-20", "2020-06-20")
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
    assert rows["role"].dtype == le.event_actors()["role"].dtype
    assert rows["actor_kind"].dtype == le.actors()["kind"].dtype


def test_timeline_with_one_open_side() -> None:
    assert set(le.timeline(end="2011-12-31")["event_id"]) == {"nato-operation-libya-2011"}
    after = le.timeline(start="2020-06-14")
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


def test_changing_a_query_result_never_changes_the_tables(ds: le.Dataset) -> None:
    before = ds.events
    found = ds.events_between("2020-06-01", "2020-06-30")
    found.loc[0, "title"] = "changed"
    found["start_date"] = pd.NaT
    rows = ds.timeline()
    rows.loc[0, "event_id"] = "changed"
    pd.testing.assert_frame_equal(ds.events, before)
    assert ids(ds.events_between("2020-06-01", "2020-06-30"), "event_id") == JUNE_2020


def test_queries_need_their_tables(tmp_path: Any) -> None:
    (tmp_path / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    empty = le.load(tmp_path)
    assert empty.tables == ()
    assert message(UnknownIdError, empty.events_with, "sergey-lavrov") == (
        f"unknown table 'events': not in the data package {tmp_path}"
    )
