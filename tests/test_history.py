"""Stable ids against the previous release: `libya_events.validate.history` (layer `history`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DESCRIPTOR, ROOT
from release_helpers import add_event, copy_package, read_rows, retire, set_version, write_rows

from libya_events.snapshot import read_package
from libya_events.stable_ids import resolve
from libya_events.validate.history import check

VERSION = DESCRIPTOR["version"]
GONE = "visit-postponed-2020-06-14"


def next_minor(version: str) -> str:
    major, minor, _ = version.split(".")
    return f"{major}.{int(minor) + 1}.0"


NEW = next_minor(VERSION)  # the release being made on top of the shipped one
LATER = next_minor(NEW)


@pytest.fixture
def new(tmp_path: Path) -> Path:
    package = copy_package(tmp_path / "new")
    set_version(package, NEW)
    return package


def drop(package: Path, table: str, **match: str) -> None:
    rows = read_rows(package, table)
    kept = [r for r in rows if any(r[k] != v for k, v in match.items())]
    assert len(kept) < len(rows)
    write_rows(package, table, kept)


def messages(findings) -> list[tuple[str, str | None, int | None, str | None, str]]:
    return [(f.code, f.table, f.line, f.field, f.message) for f in findings]


def test_the_shipped_package_against_itself_is_clean() -> None:
    assert check(ROOT, ROOT) == []
    assert check(ROOT) == []


def test_an_id_removed_without_a_record_is_an_error(new: Path) -> None:
    drop(new, "events", event_id=GONE)
    assert messages(check(new, ROOT)) == [
        (
            "id-removed",
            "events",
            None,
            "event_id",
            f"data/events.csv: event_id '{GONE}' was in release {VERSION} and is missing; "
            "restore the row or record it in data/retired_ids.csv (table, id, retired_in "
            f"{NEW}, reason, replaced_by, notes)",
        )
    ]


def test_an_id_recorded_as_retired_passes(new: Path) -> None:
    drop(new, "events", event_id=GONE)
    drop(new, "event_links", event_id=GONE)
    drop(new, "event_sources", event_id=GONE)
    retire(new, "events", GONE, NEW, "withdrawn")
    assert check(new, ROOT) == []


def test_a_link_row_removed_alone_needs_its_own_record(new: Path) -> None:
    drop(new, "event_actors", event_id="berlin-conference-2020-01-19", actor_id="algeria")
    key = "berlin-conference-2020-01-19/algeria/participant"
    (finding,) = check(new, ROOT)
    assert (finding.code, finding.table, finding.field, finding.value) == (
        "id-removed",
        "event_actors",
        None,
        key,
    )
    assert finding.message.startswith(f"data/event_actors.csv: event_id/actor_id/role '{key}' ")
    retire(new, "event_actors", key, NEW, "withdrawn")
    assert check(new, ROOT) == []


def test_a_retired_id_used_again_is_an_error(new: Path) -> None:
    retire(new, "events", "berlin-conference-2020-01-19", NEW, "withdrawn")
    line = (
        1
        + [r["event_id"] for r in read_rows(new, "events")].index("berlin-conference-2020-01-19")
        + 1
    )
    assert messages(check(new)) == [
        (
            "id-reused",
            "events",
            line,
            "event_id",
            f"data/events.csv line {line}: event_id 'berlin-conference-2020-01-19' was retired "
            f"in {NEW} (data/retired_ids.csv line 2) and is used again; give this row a new id",
        )
    ]


def test_redirects_must_resolve_and_may_chain(new: Path) -> None:
    drop(new, "events", event_id=GONE)
    drop(new, "event_links", event_id=GONE)
    drop(new, "event_sources", event_id=GONE)
    retire(new, "events", GONE, NEW, "merged", "lavrov-visit-turkey-2020-06-14")
    assert check(new, ROOT) == []
    assert resolve(read_package(new), "events", GONE) == "lavrov-visit-turkey-2020-06-14"
    retire(new, "events", "old-name", NEW, "renamed", GONE)
    assert resolve(read_package(new), "events", "old-name") == "lavrov-visit-turkey-2020-06-14"
    retire(new, "events", "older-name", NEW, "renamed", "no-such-event")
    assert messages(check(new)) == [
        (
            "retired-invalid",
            "retired_ids",
            3,
            "replaced_by",
            "data/retired_ids.csv line 3: replaced_by 'no-such-event' is not an id of events, "
            "nor retired with a successor there",
        )
    ]


def test_retired_rows_name_a_table_and_this_version(new: Path) -> None:
    retire(new, "evnets", "x", NEW, "withdrawn")
    retire(new, "events", "y", "0.1.0", "withdrawn")
    retire(new, "events", "z", LATER, "withdrawn")
    assert messages(check(new, ROOT)) == [
        (
            "retired-invalid",
            "retired_ids",
            2,
            "retired_in",
            "data/retired_ids.csv line 2: events id 'y' is retired in this release, so "
            f"retired_in is {NEW}, not 0.1.0",
        ),
        (
            "retired-invalid",
            "retired_ids",
            3,
            "retired_in",
            f"data/retired_ids.csv line 3: retired_in {LATER} is later than this release, {NEW}",
        ),
        (
            "retired-invalid",
            "retired_ids",
            4,
            "table",
            "data/retired_ids.csv line 4: table 'evnets' is not a table of this package",
        ),
    ]


def test_retired_ids_only_grows(tmp_path: Path, new: Path) -> None:
    retire(new, "events", "old-event", NEW, "withdrawn")
    newer = copy_package(tmp_path / "newer", new)
    set_version(newer, LATER)
    write_rows(newer, "retired_ids", [])
    assert messages(check(newer, new)) == [
        (
            "retired-invalid",
            "retired_ids",
            None,
            None,
            f"data/retired_ids.csv: the record of events id 'old-event' (retired in {NEW}) was "
            f"in release {NEW} and is missing; retired_ids only grows",
        )
    ]


def test_an_added_id_is_no_finding(new: Path) -> None:
    add_event(new, "zz-added-event-2020-07-01")
    assert check(new, ROOT) == []


def test_an_unreadable_previous_release_is_a_finding(tmp_path: Path, new: Path) -> None:
    (finding,) = check(new, tmp_path / "nowhere")
    assert (finding.code, finding.severity, finding.layer) == (
        "previous-unreadable",
        "error",
        "history",
    )
    assert finding.message == (
        f"datapackage.json: the previous release {tmp_path / 'nowhere'} cannot be read: "
        f"{tmp_path / 'nowhere'}: not a directory holding a datapackage.json"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_previous_release_may_be_a_git_revision(tmp_path: Path) -> None:
    repo = copy_package(tmp_path / "repo")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", VERSION], check=True)
    set_version(repo, NEW)
    drop(repo, "events", event_id=GONE)
    assert [f.code for f in check(repo, "git:HEAD")] == ["id-removed"]


def test_validate_previous_fails_on_an_unrecorded_removal_and_passes_once_recorded(
    tmp_path: Path, new: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from libya_events.cli import main
    from libya_events.validate import validate

    # The previous release is the shipped one with one event more, which the new release
    # lacks: an event nothing else refers to, so its removal is the only thing that differs
    # however the shipped rows grow.
    gone = "zz-withdrawn-event-2020-07-01"
    previous = copy_package(tmp_path / "previous")
    add_event(previous, gone)
    assert gone in [r["event_id"] for r in read_rows(previous, "events")]
    assert gone not in [r["event_id"] for r in read_rows(new, "events")]
    report = validate(new, previous=previous)
    assert report.flatten(["code", "layer", "table", "line", "field", "value"]) == [
        ["id-removed", "history", "events", None, "event_id", gone]
    ]
    assert report.exit_code == 1
    assert main(["validate", str(new), "--previous", str(previous)]) == 1
    assert (
        f"  error: data/events.csv: event_id '{gone}' was in release {VERSION} and is missing; "
        in capsys.readouterr().out
    )
    retire(new, "events", gone, NEW, "withdrawn")
    report = validate(new, previous=previous)
    assert (report.findings, report.exit_code) == ([], 0)
    assert main(["validate", str(new), "--previous", str(previous), "--quiet"]) == 0


def test_validate_without_previous_still_catches_a_reused_id(new: Path) -> None:
    from libya_events.validate import validate

    retire(new, "events", "berlin-conference-2020-01-19", NEW, "withdrawn")
    assert [f.code for f in validate(new).findings] == ["id-reused"]


def test_an_unbumped_release_is_told_the_version_a_retirement_needs(new: Path) -> None:
    set_version(new, VERSION)
    drop(new, "events", event_id=GONE)
    (finding,) = check(new, ROOT)
    assert finding.message.endswith(f"(table, id, retired_in {NEW}, reason, replaced_by, notes)")
