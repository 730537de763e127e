"""`libya-events add`: a contribution file's rows added in key order, validated, written atomically;
every bad input leaves the package byte-identical. The example is CONTRIBUTING.md's."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
from fixtures.packages import ROOT, copy_package, line_of

from libya_events import add as contributions
from libya_events.cli import main
from libya_events.diff import diff
from libya_events.errors import ContributionError, PackageWriteError
from libya_events.snapshot import read_package, render_rows
from libya_events.validate import validate

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(# contribution\.yaml\n.*?)```", GUIDE, flags=re.S).group(1)
EVENT = "al-sarraj-visits-ankara-2020-06-04"
SOURCE = "associated-press-2020-06-04"
STATEMENT = "turkey-continued-support-gna"
NEW_IDS = {EVENT, SOURCE, STATEMENT}


def fresh_package(dest: Path) -> Path:
    """A copy of the repository's package without any row naming the example's ids (so the
    tests hold whatever the shipped data comes to hold)."""
    pkg = copy_package(dest)
    snapshot = read_package(pkg)
    for table in snapshot.tables.values():
        keep = [r for r in table.rows if not NEW_IDS & set(r.values())]
        if len(keep) != len(table.rows):
            path = pkg / table.resource["path"]
            path.write_bytes(render_rows(keep, table.header).encode("utf-8"))
    return pkg


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return fresh_package(tmp_path / "pkg")


def digest(pkg: Path) -> dict[str, str]:
    """The SHA-256 of every file of the package directory, by relative path."""
    return {
        str(p.relative_to(pkg)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(pkg.rglob("*"))
        if p.is_file()
    }


def write(tmp_path: Path, text: str, name: str = "contribution.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["add", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def edited(old: str, new: str) -> str:
    assert EXAMPLE.count(old) == 1, old
    return EXAMPLE.replace(old, new)


# --- the done-when: one event, two existing actors, a new source and a statement -------------


def test_the_example_is_added_by_one_command(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fresh_package(tmp_path / "before")
    file = write(tmp_path, EXAMPLE)
    code, out, err = run(capsys, file, "--package", pkg)
    assert (code, err) == (0, "")
    assert out == (
        f"libya-events add: {file} -> {pkg}\n"
        f"  note: sources[0].source_id: '{SOURCE}', made of publisher and published\n"
        f"  note: events[0].event_id: '{EVENT}', made of title and start_date\n"
        "\n"
        "ADDED: 5 row(s) (sources 1, events 1, event_actors 2, statements 1); "
        "the package validates\n"
    )
    report = validate(pkg)
    assert report.errors == []
    changes = diff(before, pkg)
    assert {t.name: t.added for t in changes.tables if not t.empty} == {
        "sources": [(SOURCE,)],
        "events": [(EVENT,)],
        "event_actors": [(EVENT, "fayez-al-sarraj", "visitor"), (EVENT, "turkey", "host")],
        "statements": [(STATEMENT,)],
    }
    assert all(not t.changed and not t.removed and not t.schema for t in changes.tables)
    after = read_package(pkg)
    for table in after.tables.values():
        keys = [table.key(r) for r in table.rows]
        assert keys == sorted(keys), table.name
    # the omitted source_id of every row is the file's one source
    assert after.tables["events"].by_key()[(EVENT,)]["source_id"] == SOURCE
    assert after.tables["statements"].by_key()[(STATEMENT,)]["source_id"] == SOURCE
    summary = after.tables["events"].by_key()[(EVENT,)]["summary"]
    assert summary.startswith("Fayez al-Sarraj visited Ankara and met Recep Tayyip Erdogan, who")


def test_only_the_new_rows_are_inserted_and_other_files_keep_their_bytes(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {p: (pkg / p).read_text("utf-8") for p in digest(pkg)}
    assert run(capsys, write(tmp_path, EXAMPLE), "--package", pkg)[0] == 0
    snapshot = read_package(pkg)
    for rel, text in old.items():
        now = (pkg / rel).read_text("utf-8")
        table = next((t for t in snapshot.tables.values() if t.resource["path"] == rel), None)
        if table is None or now == text:
            assert now == text, rel
            continue
        new_keys = {k for k in table.by_key() if NEW_IDS & set(k)}
        kept = [r for r in table.rows if table.key(r) not in new_keys]
        assert render_rows(kept, table.header) == text, rel


def test_a_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = digest(pkg)
    code, out, _ = run(capsys, write(tmp_path, EXAMPLE), "--package", pkg, "--dry-run")
    assert code == 0
    assert digest(pkg) == hashes
    assert (
        "\nevents: 1 added, 0 removed, 0 retired, 0 changed, 0 schema change(s) [minor]\n"
        f"  + {EVENT}\n" in out
    )
    assert (
        "\nevent_actors: 2 added, 0 removed, 0 retired, 0 changed, 0 schema change(s) [minor]\n"
        f"  + {EVENT}/fayez-al-sarraj/visitor\n  + {EVENT}/turkey/host\n" in out
    )
    assert out.endswith(
        "\nDRY RUN: would add 5 row(s) (sources 1, events 1, event_actors 2, statements 1); "
        "nothing written\n"
    )


def test_the_same_rows_again_are_a_no_op_and_said_so(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, EXAMPLE)
    assert run(capsys, file, "--package", pkg)[0] == 0
    hashes = digest(pkg)
    code, out, _ = run(capsys, file, "--package", pkg)
    assert code == 0
    assert digest(pkg) == hashes
    sources_line = line_of(pkg, "sources", SOURCE)
    assert out.splitlines()[1:] == [
        f"  note: sources[0]: the package has this url as source_id '{SOURCE}' "
        f"(data/sources.csv line {sources_line}); that row is used",
        f"  note: events[0].event_id: '{EVENT}', made of title and start_date",
        f"  note: events[0]: the same as data/events.csv line {line_of(pkg, 'events', EVENT)}; "
        "nothing to add",
        "  note: event_actors[0]: the same as data/event_actors.csv line "
        f"{line_of(pkg, 'event_actors', EVENT + ',fayez-al-sarraj')}; nothing to add",
        "  note: event_actors[1]: the same as data/event_actors.csv line "
        f"{line_of(pkg, 'event_actors', EVENT + ',turkey')}; nothing to add",
        f"  note: statements[0]: the same as data/statements.csv line "
        f"{line_of(pkg, 'statements', STATEMENT)}; nothing to add",
        "",
        "NOTHING TO ADD: the package has every row already; it is unchanged",
    ]


def test_a_json_contribution_is_the_same_contribution(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = contributions.parse_contribution(EXAMPLE)
    tables: dict[str, list[dict[str, str]]] = {}
    for row in rows.rows:
        tables.setdefault(row.table, []).append(row.cells)
    file = write(tmp_path, json.dumps(tables, indent=2), "contribution.json")
    code, out, _ = run(capsys, file, "--package", pkg)
    assert code == 0
    assert out.endswith("ADDED: 5 row(s) (sources 1, events 1, event_actors 2, statements 1); "
                        "the package validates\n")  # fmt: skip


def test_a_source_given_by_a_url_the_package_has_is_that_source(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its other values and its id in the file give way to the package's row, which every row
    citing it then cites."""
    sources = read_package(pkg).tables["sources"]
    known = next(r for r in sources.rows if r["url"] and r["published"] >= "2020-06-04")
    text = edited(
        "url: https://example.org/ap-sarraj-ankara-2020-06-04",
        f"url: {known['url']}\n    source_id: my-name-for-it",
    ).replace("  - statement_id:", "  - source_id: my-name-for-it\n    statement_id:")
    code, out, _ = run(capsys, write(tmp_path, text), "--package", pkg)
    assert code == 0
    line = sources.line_of((known["source_id"],))
    assert out.splitlines()[1] == (
        f"  note: sources[0]: the package has this url as source_id {known['source_id']!r} "
        f"(data/sources.csv line {line}); that row is used"
    )
    assert out.endswith("ADDED: 4 row(s) (events 1, event_actors 2, statements 1); "
                        "the package validates\n")  # fmt: skip
    after = read_package(pkg)
    assert after.tables["sources"].rows == sources.rows
    assert after.tables["statements"].by_key()[(STATEMENT,)]["source_id"] == known["source_id"]
    assert after.tables["events"].by_key()[(EVENT,)]["source_id"] == known["source_id"]


def test_a_warning_the_rows_bring_is_printed_and_they_are_added(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A source that nothing cites is an orphan (a warning): the row is still added."""
    text = EXAMPLE[: EXAMPLE.index("\nevents:")] + "\n"
    code, out, _ = run(capsys, write(tmp_path, text), "--package", pkg)
    line = line_of(pkg, "sources", SOURCE)
    assert code == 0
    assert out.splitlines()[2:] == [
        f"  warning: {tmp_path}/contribution.yaml line 3, sources[0].source_id: source "
        f"'{SOURCE}' is cited by no row of any table (would be data/sources.csv line {line}) "
        "[orphan-source]",
        "",
        "ADDED: 1 row(s) (sources 1); the package validates",
    ]


# --- bad input: a message and exit 1 or 2, the package byte-identical -------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "contribution.yaml",
            "events:\n  - title: x\n    kind: visit\n   end_date: 2020-06-04\n",
            "contribution.yaml line 4: not valid YAML: expected <block end>, but found "
            "'<block mapping start>' (column 4)",
        ),
        (
            "contribution.json",
            '{"events": [\n  {"title": "x",}\n]}\n',
            "contribution.json line 2: not valid JSON: Expecting property name enclosed in "
            "double quotes (column 17)",
        ),
        (
            "contribution.yaml",
            "events:\n  - title: x\n    kind: [visit, meeting]\n",
            "contribution.yaml line 3: events[0].kind: a cell holds one value (text, a number "
            "or a date), not a list",
        ),
        (
            "contribution.yaml",
            "events:\n  - title: x\n    title: y\n",
            "contribution.yaml line 3: events[0]: 'title' is given twice (also line 2)",
        ),
        (
            "contribution.yaml",
            "- events\n",
            "contribution.yaml line 1: the file holds a list; it lists rows by table name, "
            "e.g. 'events:'",
        ),
        (
            "contribution.yaml",
            "events:\n  title: x\n",
            "contribution.yaml line 2: events: a table holds a list of rows ('- column: value'), "
            "not a mapping",
        ),
        (
            "contribution.yaml",
            "# nothing yet\n",
            "contribution.yaml: the file is empty; it lists rows by table, e.g. 'events:'",
        ),
    ],
)
def test_an_unreadable_contribution_is_exit_2_with_its_line(
    tmp_path: Path,
    pkg: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    message: str,
) -> None:
    hashes = digest(pkg)
    file = write(tmp_path, text, name)
    code, out, err = run(capsys, file, "--package", pkg)
    assert (code, out) == (2, "")
    assert err == f"libya-events add: {tmp_path}/{message}\n"
    assert digest(pkg) == hashes


def test_a_missing_file_is_exit_2(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hashes = digest(pkg)
    code, out, err = run(capsys, tmp_path / "nope.yaml", "--package", pkg)
    assert (code, out, err) == (2, "", f"libya-events add: {tmp_path}/nope.yaml: no such file\n")
    assert digest(pkg) == hashes


def test_a_package_that_is_not_one_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, write(tmp_path, EXAMPLE), "--package", tmp_path)
    assert (code, out) == (2, "")
    assert err == (
        f"libya-events add: {tmp_path}: no datapackage.json; "
        "run in a checkout or name the package\n"
    )


def findings(out: str) -> list[str]:
    return [line[len("  error: ") :] for line in out.splitlines() if line.startswith("  error: ")]


def check_refused(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str], text: str
) -> list[str]:
    """Run add on ``text``: exit 1, the package unchanged; the error lines."""
    hashes = digest(pkg)
    file = write(tmp_path, text)
    code, out, err = run(capsys, file, "--package", pkg)
    assert (code, err) == (1, "")
    assert digest(pkg) == hashes
    errors = findings(out)
    n = len(errors)
    assert out.endswith(
        f"\nNOT ADDED: {n} error{'' if n == 1 else 's'}; the package is unchanged\n"
    )
    return [e.replace(str(file), "FILE") for e in errors]


def test_an_unknown_table_and_column_are_named_with_a_suggestion(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited("statements:\n", "statement:\n").replace("    role: host\n", "    rol: host\n")
    text += "weather:\n  - sky: blue\n"
    line = text.split("\n").index("statement:") + 1
    rol = text.split("\n").index("    rol: host") + 1
    tables = ", ".join(read_package(pkg).tables)
    assert check_refused(tmp_path, pkg, capsys, text) == [
        f"FILE line {line}, statement: 'statement' is not a table of the package; did you mean "
        "'statements'? [unknown-table]",
        f"FILE line {len(text.splitlines()) - 1}, weather: 'weather' is not a table of the package "
        f"({tables}) [unknown-table]",
        f"FILE line {rol}, event_actors[1].rol: table event_actors has no column 'rol'; did you "
        "mean 'role'? [unknown-column]",
    ]


def test_a_row_breaking_a_rule_points_at_its_key_path_and_line(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited("end_date: 2020-06-04", "end_date: 2020-06-03")
    line = text.split("\n").index("    end_date: 2020-06-03") + 1
    pkg_line = [e["event_id"] for e in read_package(pkg).tables["events"].rows] + [EVENT]
    at = sorted(pkg_line).index(EVENT) + 2
    (error,) = check_refused(tmp_path, pkg, capsys, text)
    assert error == (
        f"FILE line {line}, events[0].end_date: end_date 2020-06-03 is before start_date "
        f"2020-06-04 (would be data/events.csv line {at}) [date-order]"
    )
    documented = re.search(r"  error: contribution\.yaml (line \d+, events.*?) \(would", GUIDE)
    assert error.startswith(f"FILE {documented.group(1)}")


def test_rows_fine_alone_can_break_a_rule_with_the_existing_data(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Turkey cannot act in al-Sarraj's office; an actor id must be in actors.csv."""
    text = edited("    role: host\n", "    role: host\n    affiliation_id: sarraj-head-of-gna\n")
    text = text.replace("speaker_id: turkey", "speaker_id: turkiye")
    lines = text.split("\n")
    aff = [n for n, t in enumerate(lines, 1) if "affiliation_id: sarraj-head-of-gna" in t][1]
    speaker = lines.index("    speaker_id: turkiye") + 1
    errors = check_refused(tmp_path, pkg, capsys, text)
    assert [re.sub(r" \(would be .*?\)", "", e) for e in errors] == [
        f"FILE line {aff}, event_actors[1].affiliation_id: affiliation_id 'sarraj-head-of-gna' "
        "is an affiliation of 'fayez-al-sarraj', not of actor_id 'turkey' "
        "[affiliation-other-actor]",
        f"FILE line {speaker}, statements[0].speaker_id: speaker_id 'turkiye' is not found in "
        "actors.actor_id; add that row to data/actors.csv or fix the reference [foreign-key]",
    ]


def test_an_existing_id_with_other_values_is_an_error(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = read_package(pkg).tables["events"]
    taken = events.rows[0]
    text = edited(
        "  - title: Al-Sarraj", f"  - event_id: {taken['event_id']}\n    title: Al-Sarraj"
    )
    text = text.replace(f"event_id: {EVENT}", f"event_id: {taken['event_id']}")
    line = text.split("\n").index(f"  - event_id: {taken['event_id']}") + 1
    errors = check_refused(tmp_path, pkg, capsys, text)
    assert errors[0].startswith(
        f"FILE line {line}, events[0]: event_id {taken['event_id']!r} is already in "
        f"data/events.csv line 2 with other values (title, "
    )
    assert errors[0].endswith("); choose a new id, or correct that row by hand [id-exists]")


def test_a_row_given_twice_is_an_error(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(
        "    role: host\n",
        "    role: host\n  - actor_id: turkey\n    role: host\n    event_id: " + EVENT + "\n",
    )
    line = [n for n, t in enumerate(text.split("\n"), 1) if t == "  - actor_id: turkey"][0]
    assert check_refused(tmp_path, pkg, capsys, text) == [
        f"FILE line {line}, event_actors[2]: (event_id, actor_id, role) '{EVENT}/turkey/host' "
        "is given twice in the contribution, also at event_actors[1] [repeated-row]"
    ]


def test_an_id_that_cannot_be_made_must_be_given(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited("title: Al-Sarraj visits Ankara", "title: زيارة")
    line = text.split("\n").index("  - title: زيارة") + 1
    assert check_refused(tmp_path, pkg, capsys, text)[0] == (
        f"FILE line {line}, events[0].event_id: event_id is empty and cannot be derived (no "
        "title in Latin letters or digits to make it of); give one [id-needed]"
    )


def test_a_package_with_errors_takes_no_contribution(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = pkg / "data" / "events.csv"
    first = read_package(pkg).tables["events"].rows[0]
    start = f"\n{first['event_id']},{first['title']},"
    events.write_text(events.read_text("utf-8").replace(start, start[:-1] + " ,", 1), "utf-8")
    assert check_refused(tmp_path, pkg, capsys, EXAMPLE) == [
        "FILE: the package has 1 error(s) before the contribution (libya-events validate lists "
        "them); fix those first [package-invalid]",
        "data/events.csv line 2: title has trailing whitespace; remove it [whitespace]",
    ]


def test_a_failed_write_leaves_every_file_as_it_was(
    tmp_path: Path, pkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashes = digest(pkg)
    real = os.replace
    calls: list[str] = []

    def second_fails(src: str, dst: str) -> None:
        calls.append(str(dst))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", second_fails)
    contribution = contributions.read_contribution(write(tmp_path, EXAMPLE))
    with pytest.raises(PackageWriteError) as caught:
        contributions.add(contribution, pkg)
    assert str(caught.value) == (
        "cannot write the package: [Errno 28] No space left on device; it is unchanged"
    )
    assert len(calls) == 2
    assert digest(pkg) == hashes  # the first file put back, no temporary file left


# --- the template and the issue form ------------------------------------------------------------


def test_the_template_lists_every_column_and_vocabulary_of_its_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["new", "event", "--package", str(ROOT)]) == 0
    text = capsys.readouterr().out
    assert main(["add", "--template", "--package", str(ROOT)]) == 0
    assert capsys.readouterr().out == text
    parsed = contributions.parse_contribution(text)
    snapshot = read_package(ROOT)
    assert [r.table for r in parsed.rows] == [
        t for t in snapshot.tables if t in contributions.TEMPLATE_TABLES
    ]
    for row in parsed.rows:
        table = snapshot.tables[row.table]
        assert row.cells == dict.fromkeys(table.header, ""), row.table
        for f in table.fields:
            for value in (f.get("constraints") or {}).get("enum", []):
                assert re.search(rf"[ :]{re.escape(value)}[,)\n]", text), (row.table, value)


def test_the_committed_issue_form_is_generated_from_the_schemas() -> None:
    form = ROOT / ".github" / "ISSUE_TEMPLATE" / "add-event.yml"
    assert form.read_text("utf-8") == contributions.issue_form(read_package(ROOT))


def render_body(answers: dict[str, str]) -> str:
    """An issue body as GitHub writes one from the committed form and these answers by id."""
    import yaml

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "add-event.yml").read_text())
    parts = []
    for item in form["body"]:
        if item["type"] != "markdown":
            value = answers.get(item["id"], "")
            parts.append(f"### {item['attributes']['label']}\n\n{value or '_No response_'}")
    return "\n\n".join(parts)


def test_the_issue_form_round_trips_through_the_parser() -> None:
    import yaml

    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "add-event.yml").read_text())
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert ids == [q.id for q in contributions.FORM]
    for item in form["body"]:
        if item["type"] == "dropdown":
            question = next(q for q in contributions.FORM if q.id == item["id"])
            fields = read_package(ROOT).tables[question.table].fields
            enum = next(f for f in fields if f["name"] == question.column)["constraints"]["enum"]
            assert item["attributes"]["options"] == enum
    answers = {q.id: f"answer {n}" for n, q in enumerate(contributions.FORM)}
    answers["event-id"] = "some-event"
    answers["participants"] = "actor-a participant\n- actor-b, host, office-b"
    parsed = contributions.contribution_from_issue_body(render_body(answers), read_package(ROOT))
    got = {(r.table, r.index): r.cells for r in parsed.rows}
    expect: dict[tuple[str, int], dict[str, str]] = {}
    for q in contributions.FORM:
        if q.column:
            expect.setdefault((q.table, 0), {})[q.column] = answers[q.id]
    expect[("statements", 0)]["event_id"] = "some-event"
    expect[("event_actors", 0)] = {
        "event_id": "some-event", "actor_id": "actor-a", "role": "participant"
    }  # fmt: skip
    expect[("event_actors", 1)] = {
        "event_id": "some-event", "actor_id": "actor-b", "role": "host",
        "affiliation_id": "office-b",
    }  # fmt: skip
    assert got == expect
    assert render_body({}).count("_No response_") == len(contributions.FORM)
    empty = contributions.contribution_from_issue_body(render_body({}), read_package(ROOT))
    assert [(r.table, r.cells) for r in empty.rows] == [("events", {})]


def test_a_real_form_answer_becomes_the_example_and_is_added(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = ROOT / "tests" / "fixtures" / "issue-add-event.md"
    parsed = contributions.contribution_from_issue_body(body.read_text("utf-8"), read_package(pkg))
    example = contributions.parse_contribution(EXAMPLE)
    mine = {(r.table, r.index): r.cells for r in example.rows}
    mine[("statements", 0)].pop("statement_id")
    mine[("events", 0)]["event_id"] = EVENT  # made as the form is read, for the other rows
    assert {(r.table, r.index): r.cells for r in parsed.rows} == mine
    lines = body.read_text("utf-8").split("\n")
    assert {r.at(): r.line for r in parsed.rows} == {
        "events[0]": 3,  # the title's answer
        "event_actors[0]": lines.index("- fayez-al-sarraj, visitor, sarraj-head-of-gna") + 1,
        "event_actors[1]": lines.index("- turkey host") + 1,
        "sources[0]": lines.index("https://example.org/ap-sarraj-ankara-2020-06-04") + 1,
        "statements[0]": lines.index(mine[("statements", 0)]["text"]) + 1,
    }
    code, out, _ = run(capsys, "--from-issue-body", body, "--package", pkg)
    assert code == 0
    assert out.endswith(
        "ADDED: 5 row(s) (sources 1, events 1, event_actors 2, statements 1); "
        "the package validates\n"
    )
    assert validate(pkg).errors == []


def test_a_participant_line_that_is_not_id_and_role_is_exit_2(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (ROOT / "tests" / "fixtures" / "issue-add-event.md").read_text("utf-8")
    body = body.replace("- turkey host\n", "- turkey\n")
    line = body.split("\n").index("- turkey") + 1
    file = write(tmp_path, body, "body.md")
    hashes = digest(pkg)
    code, out, err = run(capsys, "--from-issue-body", file, "--package", pkg)
    assert (code, out) == (2, "")
    assert err == (
        f"libya-events add: {file} line {line}: Participants: '- turkey' is not 'actor-id role' "
        "or 'actor-id role affiliation-id'\n"
    )
    assert digest(pkg) == hashes


def test_issue_sections_read_github_s_rendering() -> None:
    body = (
        "### Title\n\nA title\n\n### Quote\n\n_No response_\n\n"
        "### Summary\n\nLine one.\nLine two.\n"
    )
    assert contributions.issue_sections(body) == {
        "Title": ("A title", 3),
        "Quote": ("", 7),
        "Summary": ("Line one.\nLine two.", 11),
    }


def test_an_unreadable_issue_body_raises_a_contribution_error(tmp_path: Path) -> None:
    with pytest.raises(ContributionError) as caught:
        contributions.read_contribution(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: cannot read it: ")


def test_json_is_read_as_json_tabs_and_escapes_included() -> None:
    row_text = '{"title": "a\\/b \\u00e9\\t", "latitude": 52.50, "notes": null}'
    text = '{\n\t"events": [\n\t\t' + row_text + "\n\t]\n}"
    parsed = contributions.parse_contribution(text, "c.json", json_syntax=True)
    (row,) = parsed.rows
    assert (row.at(), row.line, row.cells) == (
        "events[0]",
        3,
        {"title": "a/b é\t", "latitude": "52.50", "notes": ""},
    )


def test_the_template_outside_a_package_follows_the_shipped_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "event"]) == 0
    shipped = capsys.readouterr().out
    assert main(["new", "event", "--package", str(ROOT)]) == 0
    assert capsys.readouterr().out == shipped


def test_the_workflow_adds_a_labelled_issue_and_opens_a_pull_request() -> None:
    workflow = (ROOT / ".github" / "workflows" / "add-from-issue.yml").read_text("utf-8")
    assert "\n  issues:\n    types: [labeled]\n" in workflow
    assert "    if: github.event.label.name == 'add-event'\n" in workflow
    # the untrusted body reaches the shell only through an environment variable
    assert "          BODY: ${{ github.event.issue.body }}\n" in workflow
    assert workflow.count("github.event.issue.body") == 1
    assert 'libya-events add --from-issue-body "$RUNNER_TEMP/issue-body.md"' in workflow
    assert "libya-events diff git:HEAD . --format markdown" in workflow
    assert "uses: peter-evans/create-pull-request@v6" in workflow
    assert "body-path: ${{ runner.temp }}/pr-body.md" in workflow


def test_the_command_prints_no_traceback_for_bad_input(tmp_path: Path, pkg: Path) -> None:
    import subprocess
    import sys

    file = write(tmp_path, "events:\n  - title: [\n")
    hashes = digest(pkg)
    done = subprocess.run(
        [sys.executable, "-m", "libya_events.cli", "add", str(file), "--package", str(pkg)],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"libya-events add: {file} line 3: not valid YAML: expected the node content, but found "
        "'<stream end>' (column 1)\n"
    )
    assert digest(pkg) == hashes


def test_a_quote_answered_in_part_is_kept_so_that_what_is_missing_is_said(
    tmp_path: Path, pkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (ROOT / "tests" / "fixtures" / "issue-add-event.md").read_text("utf-8")
    quote = "Turkey will continue to support the Government of National Accord."
    body = body.replace(f"### Quote\n\n{quote}\n", "### Quote\n\n_No response_\n")
    file = write(tmp_path, body, "body.md")
    kind = body.split("\n").index("paraphrase") + 1  # the quote's first answer
    hashes = digest(pkg)
    code, out, _ = run(capsys, "--from-issue-body", file, "--package", pkg)
    assert (code, digest(pkg)) == (1, hashes)
    errors = [e.replace(str(file), "FILE") for e in findings(out)]
    assert errors == [
        f"FILE line {kind}, statements[0].statement_id: statement_id is empty and cannot be "
        "derived (no text in Latin letters or digits to make it of); give one [id-needed]"
    ]
