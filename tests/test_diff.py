"""`libya_events.diff` and `libya-events diff`: rows and schema changes, and the bump they need."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from release_helpers import (
    add_event,
    copy_package,
    field_of,
    read_rows,
    read_schema,
    retire,
    set_version,
    write_rows,
    write_schema,
)

from libya_events.cli import main
from libya_events.diff import RowChange, SchemaChange, TableDiff, diff
from libya_events.errors import PackageReadError
from libya_events.release import Bump

VERSION = "0.1.0"  # both test packages are pinned to it, whatever the shipped version
NEW_EVENT = "zz-added-event-2020-07-01"
MAJOR, MINOR, PATCH = Bump.MAJOR, Bump.MINOR, Bump.PATCH


@pytest.fixture
def old(tmp_path: Path) -> Path:
    package = copy_package(tmp_path / "old")
    set_version(package, VERSION)
    return package


@pytest.fixture
def new(old: Path, tmp_path: Path) -> Path:
    return copy_package(tmp_path / "new", old)


def changed_tables(d) -> dict[str, TableDiff]:
    return {t.name: t for t in d.tables if not t.empty}


def summary_of(event_id: str) -> str:
    (row,) = [r for r in read_rows(ROOT, "events") if r["event_id"] == event_id]  # as shipped
    return row["summary"]


def test_a_copy_needs_no_bump(old: Path, new: Path) -> None:
    d = diff(old, new)
    assert d.required is Bump.NONE
    assert changed_tables(d) == {}
    assert d.package == []
    assert d.render("text") == (
        f"libya-events {VERSION} -> {VERSION}\nrequired bump: none; declared bump: none\n"
        "no changes\n"
    )


def test_an_added_event_is_minor_and_named(old: Path, new: Path) -> None:
    add_event(new, NEW_EVENT)
    d = diff(old, new)
    assert d.required is MINOR
    tables = changed_tables(d)
    assert list(tables) == ["events"]
    assert tables["events"] == TableDiff("events", ["event_id"], added=[(NEW_EVENT,)])


def test_a_changed_summary_is_a_patch_with_old_and_new_values(old: Path, new: Path) -> None:
    rows = read_rows(new, "events")
    for row in rows:
        if row["event_id"] == "berlin-conference-2020-01-19":
            row["summary"] = "International conference on Libya in Berlin."
    write_rows(new, "events", rows)
    d = diff(old, new)
    assert d.required is PATCH
    assert changed_tables(d)["events"].changed == [
        RowChange(
            ("berlin-conference-2020-01-19",),
            {
                "summary": (
                    summary_of("berlin-conference-2020-01-19"),
                    "International conference on Libya in Berlin.",
                )
            },
        )
    ]


def test_a_number_written_differently_is_no_change(old: Path, new: Path) -> None:
    rows = read_rows(new, "events")
    for row in rows:
        if row["latitude"]:
            row["latitude"] += "0"
    write_rows(new, "events", rows)
    assert diff(old, new).required is Bump.NONE


def test_a_removed_vocabulary_value_is_major(old: Path, new: Path) -> None:
    schema = read_schema(new, "events")
    kind = field_of(schema, "kind")
    kind["constraints"]["enum"].remove("postponement")
    kind["categories"] = [c for c in kind["categories"] if c["value"] != "postponement"]
    write_schema(new, "events", schema)
    d = diff(old, new)
    assert d.required is MAJOR
    assert changed_tables(d)["events"].schema == [
        SchemaChange(
            "events",
            "kind",
            "enum-values-removed",
            "column kind: vocabulary values removed: postponement",
            MAJOR,
        )
    ]


def test_an_added_vocabulary_value_is_minor(old: Path, new: Path) -> None:
    schema = read_schema(new, "events")
    kind = field_of(schema, "kind")
    kind["constraints"]["enum"].append("summit")
    kind["categories"].append({"value": "summit", "label": "A summit.", "cameo_root": "04"})
    write_schema(new, "events", schema)
    d = diff(old, new)
    assert d.required is MINOR
    assert [(c.change, c.detail) for c in changed_tables(d)["events"].schema] == [
        ("enum-values-added", "column kind: vocabulary values added: summit")
    ]


def test_an_added_column_is_minor_and_no_row_change(old: Path, new: Path) -> None:
    schema = read_schema(new, "event_sources")
    schema["fields"].append({"name": "page", "type": "string", "description": "Page."})
    write_schema(new, "event_sources", schema)
    rows = [{**r, "page": ""} for r in read_rows(new, "event_sources")]
    write_rows(new, "event_sources", rows, ["event_id", "source_id", "supports", "page"])
    d = diff(old, new)
    assert d.required is MINOR
    assert changed_tables(d) == {
        "event_sources": TableDiff(
            "event_sources",
            ["event_id", "source_id"],
            schema=[
                SchemaChange("event_sources", "page", "field-added", "column page added", MINOR)
            ],
        )
    }


def test_a_renamed_column_is_major(old: Path, new: Path) -> None:
    schema = read_schema(new, "event_sources")
    field_of(schema, "supports")["name"] = "evidence"
    write_schema(new, "event_sources", schema)
    rows = [
        {"event_id": r["event_id"], "source_id": r["source_id"], "evidence": r["supports"]}
        for r in read_rows(new, "event_sources")
    ]
    write_rows(new, "event_sources", rows, ["event_id", "source_id", "evidence"])
    d = diff(old, new)
    assert d.required is MAJOR
    assert [(c.change, c.field, c.detail) for c in changed_tables(d)["event_sources"].schema] == [
        ("field-renamed", "evidence", "column supports renamed to evidence (probably)")
    ]


@pytest.mark.parametrize(
    ("edit", "change", "detail", "bump"),
    [
        (lambda f: f.update(type="integer"), "type-changed", "type number -> integer", MAJOR),
        (
            lambda f: f["constraints"].update(required=True),
            "constraint-tightened",
            "now required",
            MAJOR,
        ),
        (
            lambda f: f["constraints"].update(minimum=-45),
            "constraint-tightened",
            "minimum -90 -> -45",
            MAJOR,
        ),
        (
            lambda f: f["constraints"].pop("maximum"),
            "constraint-loosened",
            "maximum 90 -> none",
            MINOR,
        ),
        (
            lambda f: f.update(description="Latitude."),
            "description-changed",
            "description changed",
            PATCH,
        ),
    ],
)
def test_field_changes_and_their_bumps(old: Path, new: Path, edit, change, detail, bump) -> None:
    schema = read_schema(new, "events")
    edit(field_of(schema, "latitude"))
    write_schema(new, "events", schema)
    d = diff(old, new)
    assert d.required is bump
    assert changed_tables(d)["events"].schema == [
        SchemaChange("events", "latitude", change, f"column latitude: {detail}", bump)
    ]


def test_a_removed_row_without_retirement_is_major(old: Path, new: Path) -> None:
    rows = [r for r in read_rows(new, "events") if r["event_id"] != "visit-postponed-2020-06-14"]
    write_rows(new, "events", rows)
    d = diff(old, new)
    assert d.required is MAJOR
    assert changed_tables(d)["events"] == TableDiff(
        "events", ["event_id"], removed=[("visit-postponed-2020-06-14",)]
    )
    assert d.reasons() == ["events: 1 row(s) removed without a retired_ids row"]


def test_a_merged_event_and_its_rows_are_retired_by_one_record(old: Path, new: Path) -> None:
    gone = "moscow-press-conference-2020-01-13"
    for table in ("events", "event_actors", "event_sources"):
        write_rows(new, table, [r for r in read_rows(new, table) if r["event_id"] != gone])
    retire(new, "events", gone, "0.2.0", "merged", "moscow-talks-2020-01-13")
    d = diff(old, new)
    assert d.required is MINOR
    tables = changed_tables(d)
    assert list(tables) == ["events", "event_actors", "event_sources", "retired_ids"]
    assert tables["events"].retired == [(gone,)]
    assert tables["event_actors"].retired == [
        (gone, "mevlut-cavusoglu", "participant"),
        (gone, "sergey-lavrov", "participant"),
    ]
    assert tables["event_sources"].retired == [(gone, "news4jax-ap-photo")]
    assert all(t.removed == [] for t in tables.values())
    assert tables["retired_ids"].added == [("events", gone)]


def test_a_retired_ids_row_cannot_be_dropped(tmp_path: Path, new: Path) -> None:
    retire(new, "events", "old-event", "0.2.0", "withdrawn")
    newer = copy_package(tmp_path / "newer", new)
    write_rows(newer, "retired_ids", [])
    assert changed_tables(diff(new, newer))["retired_ids"].removed == [("events", "old-event")]


def test_a_removed_table_is_major_and_an_added_one_minor(old: Path, new: Path) -> None:
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "event_links"]
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    d = diff(old, new)
    assert d.package == [
        SchemaChange("event_links", "", "table-removed", "table event_links removed", MAJOR)
    ]
    back = diff(new, old)
    assert back.required is MINOR
    assert back.package == [
        SchemaChange("event_links", "", "table-added", "table event_links added", MINOR)
    ]
    added = changed_tables(back)["event_links"].added
    assert len(added) == len(read_rows(ROOT, "event_links"))


def _plain_source(package: Path = ROOT) -> dict[str, str]:
    """The first source without notes (the one `_small_change` gives notes)."""
    return next(r for r in read_rows(package, "sources") if r["notes"] == "")


def _small_change(new: Path) -> None:
    add_event(new, NEW_EVENT)
    rows = read_rows(new, "sources")
    plain = _plain_source(new)["source_id"]
    for row in rows:
        if row["source_id"] == plain:
            row["notes"] = "A | B\nC"
    write_rows(new, "sources", rows)


def test_json_output_is_exact(old: Path, new: Path) -> None:
    _small_change(new)
    set_version(new, "0.2.0")
    first_source = _plain_source()
    out = json.loads(diff(old, new).render("json"))
    assert out == {
        "old_version": VERSION,
        "new_version": "0.2.0",
        "required_bump": "minor",
        "declared_bump": "minor",
        "bump_ok": True,
        "package": [],
        "tables": {
            "sources": {
                "primary_key": ["source_id"],
                "bump": "patch",
                "added": [],
                "removed": [],
                "retired": [],
                "changed": [
                    {
                        "key": {"source_id": first_source["source_id"]},
                        "fields": {"notes": {"old": first_source["notes"], "new": "A | B\nC"}},
                    }
                ],
                "schema": [],
            },
            "events": {
                "primary_key": ["event_id"],
                "bump": "minor",
                "added": [{"event_id": NEW_EVENT}],
                "removed": [],
                "retired": [],
                "changed": [],
                "schema": [],
            },
        },
    }


def test_markdown_output_is_exact(old: Path, new: Path) -> None:
    _small_change(new)
    first = _plain_source()
    assert diff(old, new).render("markdown") == (
        f"## Changes from {VERSION} to {VERSION}\n"
        "\n"
        f"Required version bump: **minor**. Declared: **none** ({VERSION} → {VERSION}).\n"
        "\n"
        "| table | added | removed | retired | changed | schema changes | bump |\n"
        "|---|---:|---:|---:|---:|---:|---|\n"
        "| sources | 0 | 0 | 0 | 1 | 0 | patch |\n"
        "| events | 1 | 0 | 0 | 0 | 0 | minor |\n"
        "\n"
        "### sources\n"
        "\n"
        "| key | field | old | new |\n"
        "|---|---|---|---|\n"
        f"| `{first['source_id']}` | notes | (empty) | A \\| B<br>C |\n"
        "\n"
        "### events\n"
        "\n"
        f"Added: `{NEW_EVENT}`\n"
    )


def test_text_output_is_exact(old: Path, new: Path) -> None:
    _small_change(new)
    first = _plain_source()
    assert diff(old, new).render("text") == (
        f"libya-events {VERSION} -> {VERSION}\n"
        "required bump: minor; declared bump: none\n"
        "\n"
        "sources: 0 added, 0 removed, 0 retired, 1 changed, 0 schema change(s) [patch]\n"
        f"  ~ {first['source_id']}\n"
        "      notes: '' -> 'A | B\\nC'\n"
        "\n"
        "events: 1 added, 0 removed, 0 retired, 0 changed, 0 schema change(s) [minor]\n"
        f"  + {NEW_EVENT}\n"
    )


@pytest.mark.parametrize(
    ("version", "ok", "verdict"),
    [
        (
            "0.2.0",
            True,
            "version check passed: 0.1.0 -> 0.2.0 is a minor bump; the changes require minor",
        ),
        (
            "1.0.0",
            True,
            "version check passed: 0.1.0 -> 1.0.0 is a major bump; the changes require minor",
        ),
        (
            "0.1.0",
            False,
            "version check failed: the version stays 0.1.0, the changes require minor "
            "(events: 1 row(s) added); set the version in datapackage.json to 0.2.0",
        ),
        (
            "0.1.1",
            False,
            "version check failed: 0.1.0 -> 0.1.1 is a patch bump, the changes require minor "
            "(events: 1 row(s) added); set the version in datapackage.json to 0.2.0",
        ),
        (
            "0.3.0",
            False,
            "version check failed: version 0.3.0 does not follow 0.1.0; the next is one of "
            "0.1.1, 0.2.0, 1.0.0",
        ),
    ],
)
def test_check_bump(old: Path, new: Path, version: str, ok: bool, verdict: str) -> None:
    add_event(new, NEW_EVENT)
    set_version(new, version)
    assert diff(old, new).check_bump() == (ok, verdict)


def test_cli_check_bump_exit_codes(
    old: Path, new: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_event(new, NEW_EVENT)
    assert main(["diff", str(old), str(new), "--format", "json", "--check-bump"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["required_bump"] == "minor"
    assert err.startswith("version check failed: the version stays 0.1.0")
    set_version(new, "0.2.0")
    assert main(["diff", str(old), str(new), "--check-bump"]) == 0
    assert capsys.readouterr().err == (
        "version check passed: 0.1.0 -> 0.2.0 is a minor bump; the changes require minor\n"
    )


def test_cli_names_an_unreadable_package(tmp_path: Path, capsys) -> None:
    broken = copy_package(tmp_path / "broken")
    (broken / "data" / "events.csv").unlink()
    assert main(["diff", str(ROOT), str(broken)]) == 2
    assert capsys.readouterr().err == (
        f"libya-events diff: {broken / 'data' / 'events.csv'}: file not found\n"
    )


def test_a_ragged_row_is_named_by_line(old: Path, new: Path) -> None:
    with open(new / "data" / "statements.csv", "a", encoding="utf-8") as fh:
        fh.write("only,three,cells\n")
    with pytest.raises(PackageReadError) as caught:
        diff(old, new)
    lines = len(read_rows(ROOT, "statements")) + 2
    header = (ROOT / "data" / "statements.csv").read_text(encoding="utf-8").split("\n")[0]
    assert str(caught.value) == (
        f"{new / 'data' / 'statements.csv'}:{lines}: 3 cells, "
        f"the header has {len(header.split(','))}"
    )


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_old_may_be_a_git_revision_read_without_touching_the_repo(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    package = copy_package(repo / "pkg")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "0.1.0")
    add_event(package, NEW_EVENT)
    status = _git(repo, "status", "--porcelain")
    d = diff("git:HEAD", package)
    assert changed_tables(d) == {"events": TableDiff("events", ["event_id"], added=[(NEW_EVENT,)])}
    assert _git(repo, "status", "--porcelain") == status == " M pkg/data/events.csv\n"
    with pytest.raises(PackageReadError, match="git archive --format=tar no-such-rev"):
        diff("git:no-such-rev", package)


# --- a diff between generated packages, checked against the mutations that made one ----------


Specs = dict[str, tuple[list[str], list[dict]]]


def _mutate(tables: dict[str, list[dict[str, str]]], rng: random.Random, specs: Specs) -> dict:
    """Remove, change and add rows at random; return what a diff must report, per table."""
    expected: dict[str, dict[str, set]] = {}
    for name, (pk, fields) in specs.items():
        rows = tables[name]
        editable = [
            f["name"]
            for f in fields
            if f["name"] not in pk
            and f["type"] == "string"
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
        ]
        want = expected.setdefault(name, {"added": set(), "removed": set(), "changed": set()})
        if rows and rng.random() < 0.5:
            gone = rows.pop(rng.randrange(len(rows)))
            want["removed"].add(tuple(gone[k] for k in pk))
        if rows and editable and rng.random() < 0.7:
            row = rng.choice(rows)
            column = rng.choice(editable)
            row[column] = row[column] + " (corrected)"
            want["changed"].add((tuple(row[k] for k in pk), column))
        if rows and rng.random() < 0.5:
            template = dict(rng.choice(rows))
            template[pk[-1]] = f"{template[pk[-1]]}-added"
            key = tuple(template[k] for k in pk)
            if all(tuple(r[k] for k in pk) != key for r in rows):
                rows.append(template)
                want["added"].add(key)
    return expected


def _observed(d) -> dict:
    out = {}
    for t in d.tables:
        out[t.name] = {
            "added": set(t.added),
            "removed": set(t.removed) | set(t.retired),
            "changed": {(c.key, f) for c in t.changed for f in c.fields},
        }
    return out


def test_diff_of_seeded_mutations_of_the_real_package(tmp_path: Path) -> None:
    from libya_events.snapshot import read_package

    shipped = read_package(ROOT)
    specs = {name: (t.primary_key, t.fields) for name, t in shipped.tables.items()}
    for seed in range(20):
        new = copy_package(tmp_path / f"new{seed}")
        tables = {name: read_rows(new, name) for name in specs}
        expected = _mutate(tables, random.Random(seed), specs)
        for name, rows in tables.items():
            write_rows(new, name, rows)
        assert _observed(diff(ROOT, new)) == expected, seed


def test_diff_of_generated_packages_reports_exactly_the_mutations(tmp_path: Path) -> None:
    strategies = pytest.importorskip("libya_events.testing.strategies")
    from hypothesis import HealthCheck, given, settings

    from libya_events.testing.package import shipped_schemas, write_package

    schemas = shipped_schemas()
    specs = {name: (schemas.primary_key(name), schemas.fields(name)) for name in schemas.names}
    count = iter(range(10_000))

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(strategies.packages(), strategies.st.integers(0, 2**32 - 1))
    def check(tables, seed) -> None:
        n = next(count)
        old = write_package(tables, tmp_path / f"old{n}").parent
        mutated = {name: [dict(r) for r in tables.get(name, [])] for name in schemas.names}
        expected = _mutate(mutated, random.Random(seed), specs)
        new_dir = write_package(mutated, tmp_path / f"new{n}").parent
        assert _observed(diff(old, new_dir)) == expected

    check()
