"""The table layer: header, row structure, types, constraints and keys, one finding per fault."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyarrow as pa
import pytest
from fixtures.packages import (
    append,
    copy_package,
    csv_path,
    last_line,
    line_of,
    line_starting,
    read_json,
    replace,
    rows,
    set_cell,
    write_json,
)

from libya_events.validate import table, validate
from libya_events.validate.files import Dialect, _read_exact, _read_fast, read_sheet
from libya_events.validate.table import regex_mask

KEYS = ["code", "table", "line", "field"]
ROOT = Path(__file__).resolve().parent.parent
LINK = "cairo-initiative-2020-06-06,proposes,cairo-ceasefire-proposal-2020-06-08,tass-2020-06-20,"


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def findings(pkg: Path) -> list[list[object]]:
    report = validate(pkg)
    assert report.exit_code == (0 if report.valid else 1)
    return report.flatten(KEYS)


def rewrite(pkg: Path, table: str, change) -> None:  # type: ignore[no-untyped-def]
    """Apply ``change`` to every line (header included) of a table's file."""
    path = csv_path(pkg, table)
    lines = path.read_text("utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(change(n, line) for n, line in enumerate(lines)) + "\n", "utf-8")


# -- row structure ---------------------------------------------------------------------------


def test_a_row_with_an_extra_cell(pkg: Path) -> None:
    line = replace(pkg, "event_links", LINK + "\n", LINK + ",surplus\n")
    assert findings(pkg) == [["extra-cell", "event_links", line, None]]


def test_a_row_with_a_missing_cell_names_the_first_missing_field(pkg: Path) -> None:
    line = replace(pkg, "event_links", LINK + "\n", LINK[:-1] + "\n")
    assert findings(pkg) == [["missing-cell", "event_links", line, "notes"]]


def test_a_short_row_missing_a_required_cell_is_one_finding(pkg: Path) -> None:
    short = LINK.rsplit(",", 2)[0]
    line = replace(pkg, "event_links", LINK + "\n", short + "\n")
    assert findings(pkg) == [["missing-cell", "event_links", line, "source_id"]]


def test_a_row_of_empty_cells_is_blank(pkg: Path) -> None:
    line = replace(pkg, "event_links", LINK + "\n", LINK + "\n,,,,\n") + 1
    assert findings(pkg) == [["blank-row", "event_links", line, None]]


def test_an_empty_line_is_a_blank_row(pkg: Path) -> None:
    line = replace(pkg, "event_links", LINK + "\n", LINK + "\n\n") + 1
    assert findings(pkg) == [["blank-row", "event_links", line, None]]


# -- header ----------------------------------------------------------------------------------


def test_a_renamed_column(pkg: Path) -> None:
    replace(pkg, "event_links", "event_id,relation,", "event_id,relatoin,")
    assert findings(pkg) == [["incorrect-label", "event_links", 1, "relation"]]


def test_a_duplicated_label(pkg: Path) -> None:
    replace(pkg, "event_links", "event_id,relation,", "event_id,event_id,")
    assert findings(pkg) == [["duplicate-label", "event_links", 1, "relation"]]


def test_a_blank_label(pkg: Path) -> None:
    replace(pkg, "event_links", "event_id,relation,", "event_id,,")
    assert findings(pkg) == [["blank-label", "event_links", 1, "relation"]]


def test_an_extra_column(pkg: Path) -> None:
    rewrite(pkg, "event_links", lambda n, line: line + (",extra" if n == 0 else ",x"))
    report = validate(pkg)
    assert report.flatten(KEYS + ["value"]) == [["extra-label", "event_links", 1, None, "extra"]]


def test_a_missing_column(pkg: Path) -> None:
    # the last column, label and cells, dropped with the csv module (notes may hold commas)
    path = csv_path(pkg, "event_links")
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    assert records[0][-1] == "notes" and len(records) > 2
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(record[:-1] for record in records)
    path.write_text(out.getvalue(), "utf-8")
    assert findings(pkg) == [["missing-label", "event_links", 1, "notes"]]


def test_a_missing_header(pkg: Path) -> None:
    path = csv_path(pkg, "event_links")
    path.write_text(path.read_text("utf-8").split("\n", 1)[1], "utf-8")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["missing-header", "event_links", 1, None]]
    assert report.findings[0].message.endswith(
        "add the header line 'event_id,relation,related_event_id,source_id,notes'"
    )


def test_a_repeated_header(pkg: Path) -> None:
    header = csv_path(pkg, "event_links").read_text("utf-8").split("\n")[0]
    line = append(pkg, "event_links", header)
    assert findings(pkg) == [["duplicate-header", "event_links", line, None]]


# -- types and constraints ----------------------------------------------------------------------


def test_a_date_that_is_not_a_date(pkg: Path) -> None:
    line = set_cell(pkg, "sources", ("source_id", "tass-2020-06-20"), "published", "2020-06-31")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["type-error", "sources", line, "published"]]
    assert report.findings[0].message.endswith("published '2020-06-31' is not a date (YYYY-MM-DD)")


def test_a_number_that_is_not_a_number(pkg: Path) -> None:
    line = replace(pkg, "events", ",LBY,32.88,13.19,", ",LBY,32.88,east,")
    assert findings(pkg) == [["type-error", "events", line, "longitude"]]


def test_a_url_that_is_not_a_uri(pkg: Path) -> None:
    line = replace(pkg, "sources", ",https://www.un.org/", ",www.un.org/")
    assert findings(pkg) == [["type-error", "sources", line, "url"]]


def test_a_required_cell_left_empty(pkg: Path) -> None:
    line = set_cell(pkg, "actors", ("actor_id", "algeria"), "name", "")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["constraint-error", "actors", line, "name"]]
    assert report.findings[0].message.endswith("name is empty but required")


def test_a_value_outside_the_vocabulary(pkg: Path) -> None:
    line = set_cell(pkg, "actors", ("actor_id", "algeria"), "kind", "country")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["constraint-error", "actors", line, "kind"]]
    assert "'country' is not one of: person, state, government" in report.findings[0].message


def test_a_value_not_matching_its_pattern(pkg: Path) -> None:
    line = set_cell(pkg, "actors", ("actor_id", "algeria"), "country", "Algeria")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["constraint-error", "actors", line, "country"]]
    assert report.findings[0].message.endswith("'Algeria' does not match the pattern ^[A-Z]{3}$")


@pytest.mark.parametrize(
    ("latitude", "detail"),
    [("-90.5", "is below the minimum -90"), ("90.01", "is above the maximum 90")],
)
def test_a_number_out_of_range(pkg: Path, latitude: str, detail: str) -> None:
    line = replace(pkg, "events", ",LBY,32.88,13.19,", f",LBY,{latitude},13.19,")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["constraint-error", "events", line, "latitude"]]
    assert report.findings[0].message.endswith(f"latitude '{latitude}' {detail}")


# -- keys ------------------------------------------------------------------------------------


def test_a_repeated_primary_key(pkg: Path) -> None:
    first = line_of(pkg, "event_links", LINK)
    line = append(pkg, "event_links", LINK)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["primary-key", "event_links", line, "event_id"]]
    assert report.findings[0].message.endswith(f"repeats line {first}")


def test_a_repeated_single_field_key_is_one_primary_key_finding(pkg: Path) -> None:
    """actor_id is the primary key and also unique: frictionless reports both, we report one."""
    algeria = next(r for r in rows(pkg, "actors") if r["actor_id"] == "algeria")
    line = append(pkg, "actors", ",".join(algeria.values()))
    assert findings(pkg) == [["primary-key", "actors", line, "actor_id"]]


def test_a_repeated_unique_value(pkg: Path) -> None:
    holder = next(r for r in rows(pkg, "actors") if r["wikidata_id"])
    other = next(r for r in rows(pkg, "actors") if not r["wikidata_id"])
    first = line_of(pkg, "actors", holder["actor_id"] + ",")
    line = set_cell(
        pkg, "actors", ("actor_id", other["actor_id"]), "wikidata_id", holder["wikidata_id"]
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["unique-error", "actors", max(line, first), "wikidata_id"]]
    assert report.findings[0].message.endswith(
        f"repeats line {min(line, first)}; it must be unique"
    )


def test_a_foreign_key_names_the_key_and_the_value(pkg: Path) -> None:
    line = set_cell(
        pkg,
        "event_actors",
        ("affiliation_id", "putin-president"),
        "actor_id",
        "vladimir-putine",
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["foreign-key", "event_actors", line, "actor_id"]]
    assert report.findings[0].message == (
        f"data/event_actors.csv line {line}: actor_id 'vladimir-putine' is not found in "
        "actors.actor_id; add that row to data/actors.csv or fix the reference"
    )


def test_a_self_referencing_foreign_key(pkg: Path) -> None:
    line = set_cell(
        pkg,
        "events",
        ("event_id", "berlin-communique-2020-01-19"),
        "parent_event_id",
        "berlin-2020",
    )
    assert findings(pkg) == [["foreign-key", "events", line, "parent_event_id"]]


def test_a_broken_referenced_table_is_one_finding_not_a_flood(pkg: Path) -> None:
    """Every table cites sources.csv; if that file cannot be read, its references are not
    each reported (frictionless reports one foreign-key error per row, or fails every table)."""
    csv_path(pkg, "sources").write_bytes(b"")
    assert findings(pkg) == [["empty-file", "sources", 1, None]]


def test_a_referenced_table_with_a_bad_row_still_resolves_the_others(pkg: Path) -> None:
    """A source halfway down the file gets a byte that is not UTF-8 in its publisher."""
    plain = [r for r in rows(pkg, "sources") if not set(',"\n\r') & set(r["publisher"])]
    source = plain[len(plain) // 2]
    sid, kind, publisher = source["source_id"], source["kind"], source["publisher"]
    line = line_starting(pkg, "sources", f"{sid},")
    bad = f"{sid},{kind},".encode() + b"\xff" + f"{publisher},".encode()
    assert replace(pkg, "sources", f"{sid},{kind},{publisher},", bad) == line > 2
    assert findings(pkg) == [["invalid-utf8", "sources", line, "publisher"]]


def test_a_foreign_key_to_a_table_the_package_lacks(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/event_links.table.json")
    schema["foreignKeys"][0]["reference"]["resource"] = "happenings"
    write_json(pkg, "schemas/event_links.table.json", schema)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["descriptor-invalid", "event_links", None, None]]
    assert "references table 'happenings', which the package does not have" in (
        report.findings[0].message
    )


# -- the two readers ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.csv")), ids=lambda p: p.name)
def test_fast_and_exact_readers_agree_on_the_real_files(path: Path) -> None:
    data = path.read_bytes()
    fast, exact = _read_fast(data, Dialect(), None), _read_exact(data, Dialect(), None)
    assert fast is not None
    assert fast.labels == exact.labels
    assert [c.to_pylist() for c in fast.columns] == [c.to_pylist() for c in exact.columns]
    assert fast.lines.tolist() == exact.lines.tolist()
    assert fast.rows.tolist() == exact.rows.tolist()


@pytest.mark.parametrize(
    ("data", "cells", "lines", "rows", "fast"),
    [
        (b'a,b\nc,"d\ne"\nf,g\n', [["c", "f"], ["d\ne", "g"]], [2, 4], [2, 3], True),
        (b"a,b\nc,d\n\ne,f\n", [["c", "", "e"], ["d", "", "f"]], [2, 3, 4], [2, 3, 4], False),
        (b"a,b\r\nc,d\r\n", [["c"], ["d"]], [2], [2], False),
        (b'a,b\n"x,""y""",z', [['x,"y"'], ["z"]], [2], [2], False),
        (b"a,b\n", [[], []], [], [], True),
    ],
)
def test_readers_keep_cells_and_physical_lines(
    data: bytes, cells: list[list[str]], lines: list[int], rows: list[int], fast: bool
) -> None:
    sheet = read_sheet(data, Dialect())
    assert ([c.to_pylist() for c in sheet.columns], sheet.lines.tolist()) == (cells, lines)
    assert (sheet.rows.tolist(), sheet.fast) == (rows, fast)


def test_ragged_rows_keep_their_cell_counts_and_extras() -> None:
    sheet = read_sheet(b"a,b\nc\nd,e,f\n", Dialect())
    assert sheet.ncells.tolist() == [1, 3]
    assert sheet.extras == {1: ["f"]}
    assert [c.to_pylist() for c in sheet.columns] == [["c", "d"], ["", "e"]]


@pytest.mark.parametrize(
    ("values", "pattern", "expected"),
    [
        (["abc", "ab-c", "Abc", None], "^[a-z]+(-[a-z]+)*$", [True, True, False, True]),
        # Python's $ also matches before a final newline (frictionless uses re.match)
        (["abc\n", "abc\n\n"], "^[a-z]+$", [True, False]),
        # Unicode digits are digits to Python's re, not to RE2
        (["\u0663", "3"], "^\\d$", [True, True]),
        # a top-level alternation anchored only at the start, as re.match does
        (["xb", "b", "a1"], "a|b", [False, True, True]),
        # a pattern RE2 cannot compile (a backreference) falls back to Python for all
        (["aa", "ab"], "^(a)\\1$", [True, False]),
    ],
)
def test_patterns_match_as_python_re_does(
    values: list[str | None], pattern: str, expected: list[bool]
) -> None:
    assert regex_mask(pa.array(values, pa.string()), pattern).tolist() == expected


@pytest.mark.parametrize("search", [False, True])
def test_a_long_column_is_matched_per_distinct_value_with_the_same_result(search: bool) -> None:
    cases = ["abc", "ab-c", "Abc", None, "abc\n", "\u0663", "a1", "", "é-x"]
    values = [cases[i % len(cases)] for i in range(table._DISTINCT_FROM + 7)]
    pattern = "^[a-z0-9]+(-[a-z0-9]+)*$|\\d"
    expected = [
        True if v is None else bool((re.search if search else re.match)(pattern, v)) for v in values
    ]
    assert regex_mask(pa.array(values, pa.string()), pattern, search=search).tolist() == expected


def test_last_line_helper_counts_physical_lines(pkg: Path) -> None:
    assert last_line(pkg, "event_links") == len(rows(pkg, "event_links")) + 1
