"""The text layer: every class of bad input gets one precise finding, never a traceback or a hang.

Each test copies the real package, breaks one thing, and asserts the one finding it gets:
code, table, line (header = line 1) and field.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

import pytest
from fixtures.packages import copy_package, csv_path, line_of, replace, set_cell

from libya_events.validate import validate

KEYS = ["code", "table", "line", "field"]
TITLE = "berlin-conference-2020-01-19,Berlin Conference on Libya"


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def findings(pkg: Path, **options: object) -> list[list[object]]:
    report = validate(pkg, **options)  # type: ignore[arg-type]
    assert report.exit_code == (0 if report.valid else 1)
    return report.flatten(KEYS)


def test_an_empty_file(pkg: Path) -> None:
    csv_path(pkg, "event_links").write_bytes(b"")
    assert findings(pkg) == [["empty-file", "event_links", 1, None]]


def test_a_file_of_blank_lines_is_empty(pkg: Path) -> None:
    csv_path(pkg, "event_links").write_bytes(b"\n\n")
    assert findings(pkg) == [["empty-file", "event_links", 1, None]]


def test_a_byte_order_mark(pkg: Path) -> None:
    path = csv_path(pkg, "event_links")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert findings(pkg) == [["bom", "event_links", 1, None]]


def test_a_file_with_old_mac_line_endings_is_one_finding_at_its_first_row(pkg: Path) -> None:
    path = csv_path(pkg, "event_links")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    report = validate(pkg)
    assert report.flatten(KEYS) == [["bare-cr", "event_links", 1, None]]
    assert report.findings[0].message == (
        "data/event_links.csv line 1: this row ends with a bare CR (old Mac line endings), which "
        "git and GitHub do not count as a line break; save the file with LF line endings"
    )


def test_crlf_line_endings_and_a_quoted_cr_are_no_bare_cr_finding(pkg: Path) -> None:
    path = csv_path(pkg, "event_links")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert findings(pkg) == []
    line = replace(pkg, "event_links", ",proposes,", b',"propo\rses",')
    assert findings(pkg) == [["control-character", "event_links", line, "relation"]]


def test_invalid_utf8_names_line_and_field(pkg: Path) -> None:
    line = replace(pkg, "event_links", ",proposes,", ",propo\xffses,".encode("latin-1"))
    report = validate(pkg)
    assert report.flatten(KEYS) == [["invalid-utf8", "event_links", line, "relation"]]
    assert report.findings[0].message.endswith(
        "byte 0xff is not valid UTF-8; save the file as UTF-8"
    )


def test_invalid_utf8_in_the_header(pkg: Path) -> None:
    replace(pkg, "event_links", "notes\n", b"not\xe9s\n")
    assert findings(pkg) == [
        ["invalid-utf8", "event_links", 1, None],
        ["incorrect-label", "event_links", 1, "notes"],
    ]


def test_a_nul_byte(pkg: Path) -> None:
    line = replace(pkg, "event_links", ",proposes,", ",propo\x00ses,")
    assert findings(pkg) == [["nul-byte", "event_links", line, "relation"]]


def test_an_unclosed_quote_is_reported_where_it_opens(pkg: Path) -> None:
    """The quote swallows the rest of the file; that is one fault, reported once."""
    last = csv_path(pkg, "event_links").read_text("utf-8").rstrip("\n").split("\n")[-1]
    event_id, relation, rest = last.split(",", 2)
    line = replace(pkg, "event_links", last, f'{event_id},"{relation},{rest}\nmore,text')
    assert findings(pkg) == [["unclosed-quote", "event_links", line, "relation"]]


def test_an_unclosed_quote_mid_file_reports_the_physical_line_where_it_opens(pkg: Path) -> None:
    # Free-text notes may be quoted, and a later quote would close the one opened here: the
    # notes are emptied first (they are optional), so nothing after it closes it.
    path = csv_path(pkg, "event_links")
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    notes = records[0].index("notes")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [records[0], *([*r[:notes], "", *r[notes + 1 :]] for r in records[1:])]
    )
    path.write_text(out.getvalue(), "utf-8")
    assert findings(pkg) == []
    rows = path.read_text("utf-8").split("\n")
    assert '"' not in "".join(rows)
    assert len(rows) > 5
    first_id = rows[1].split(",")[0]
    third = rows[3]
    set_cell(pkg, "event_links", ("event_id", first_id), "notes", "two\nlines")
    line = replace(pkg, "event_links", third, third.replace(",", ',"', 1))
    assert line == 5
    assert findings(pkg) == [["unclosed-quote", "event_links", 5, "relation"]]


def test_a_huge_field(pkg: Path) -> None:
    line = set_cell(
        pkg, "events", ("event_id", "berlin-conference-2020-01-19"), "notes", "x" * 1_000_001
    )
    report = validate(pkg)
    assert report.flatten(KEYS) == [["huge-field", "events", line, "notes"]]
    assert report.findings[0].message.endswith(
        "notes is 1000001 bytes long, over the limit of 1000000 bytes"
    )
    assert len(report.findings[0].value or "") == 80


def test_the_cell_limit_is_an_option(pkg: Path) -> None:
    longest = max(
        len(cell.encode())
        for path in (pkg / "data").glob("*.csv")
        for record in csv.reader(io.StringIO(path.read_text("utf-8"), newline=""))
        for cell in record
    )
    limit = longest + 10
    line = set_cell(
        pkg, "events", ("event_id", "berlin-conference-2020-01-19"), "notes", "y" * (limit + 1)
    )
    assert findings(pkg, cell_limit=limit) == [["huge-field", "events", line, "notes"]]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_a_formula_prefix_in_a_text_field(pkg: Path, prefix: str) -> None:
    line = replace(pkg, "events", TITLE, TITLE.replace(",Berlin", f",{prefix}Berlin"))
    report = validate(pkg)
    assert report.flatten(KEYS) == [["formula-prefix", "events", line, "title"]]
    assert f"title starts with '{prefix}'" in report.findings[0].message


def test_a_negative_number_is_not_a_formula(pkg: Path) -> None:
    replace(pkg, "events", ",LBY,32.88,13.19,", ",LBY,-32.88,13.19,")
    assert findings(pkg) == []


def test_text_not_in_nfc(pkg: Path) -> None:
    line = replace(pkg, "events", TITLE, TITLE.replace("Conference", "Confe\u0301rence"))
    assert findings(pkg) == [["not-nfc", "events", line, "title"]]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (" Berlin", "leading"),
        ("Berlin ", "trailing"),
        ("\u00a0Berlin\u00a0", "leading and trailing"),
    ],
)
def test_stray_whitespace(pkg: Path, text: str, where: str) -> None:
    line = set_cell(pkg, "events", ("event_id", "berlin-conference-2020-01-19"), "title", text)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["whitespace", "events", line, "title"]]
    assert f"title has {where} whitespace" in report.findings[0].message


@pytest.mark.parametrize("char", ["\x07", "\t", "\r", "\x1b", "\x85"])
def test_control_characters(pkg: Path, char: str) -> None:
    quoted = 'berlin-conference-2020-01-19,"Berlin' + char + ' Conference on Libya"'
    line = replace(pkg, "events", TITLE, quoted)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["control-character", "events", line, "title"]]
    assert f"U+{ord(char):04X}" in report.findings[0].message


def test_a_line_break_inside_a_quoted_cell_is_fine_and_lines_stay_physical(pkg: Path) -> None:
    """After a cell spanning two lines, a finding names the physical line, not the row."""
    set_cell(pkg, "events", ("event_id", "berlin-communique-2020-01-19"), "notes", "one\ntwo")
    line = line_of(pkg, "events", TITLE)
    replace(pkg, "events", TITLE, TITLE.replace(",Berlin", ",=Berlin"))
    report = validate(pkg)
    assert report.flatten(["code", "line", "row", "field"]) == [
        ["formula-prefix", line, line - 1, "title"]
    ]


def test_crlf_line_ends_are_read_like_lf(pkg: Path) -> None:
    path = csv_path(pkg, "events")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    line = line_of(pkg, "events", TITLE)
    replace(pkg, "events", TITLE, TITLE.replace(",Berlin", ",@Berlin"))
    assert findings(pkg) == [["formula-prefix", "events", line, "title"]]


def test_a_file_without_a_final_newline_reads_the_same(pkg: Path) -> None:
    path = csv_path(pkg, "event_sources")
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    assert findings(pkg) == []
    line = replace(pkg, "event_sources", "tass-2020-06-20", "=tass")
    assert findings(pkg)[-1][:3] == ["formula-prefix", "event_sources", line]


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_reading_it(pkg: Path) -> None:
    """Reading a FIFO would block forever; it is not a regular file, so it is never opened."""
    path = csv_path(pkg, "event_links")
    path.unlink()
    os.mkfifo(path)
    assert findings(pkg) == [["file-unreadable", "event_links", None, None]]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file(pkg: Path) -> None:
    path = csv_path(pkg, "event_links")
    path.chmod(0)
    try:
        assert findings(pkg) == [["file-unreadable", "event_links", None, None]]
    finally:
        path.chmod(0o644)
