"""One line-numbering convention for every CSV reader: LF line breaks only, as git counts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from libya_events.lines import Lines, numbered
from libya_events.snapshot import _read_csv
from libya_events.validate.files import Dialect, read_sheet

# (file bytes, the line each data row starts on)
CASES = {
    "lf": (b"a,b\nx,y\nz,w\n", [2, 3]),
    "crlf": (b"a,b\r\nx,y\r\nz,w\r\n", [2, 3]),
    "bare-cr-ends-no-line": (b"a,b\rx,y\nz,w\n", [1, 2]),
    "quoted-lf": (b'a,b\n"x\ny",1\nz,w\n', [2, 4]),
    "quoted-crlf": (b'a,b\r\n"x\r\ny",1\r\nz,w\r\n', [2, 4]),
    "quoted-bare-cr": (b'a,b\n"x\ry",1\nz,w\n', [2, 3]),
}


def test_lines_counts_lf_and_characters() -> None:
    counted = Lines("a\rb\r\nc\n")
    assert [(piece, counted.last, counted.next_line) for piece in counted] == [
        ("a\r", 1, 1),
        ("b\r\n", 1, 2),
        ("c\n", 2, 3),
    ]
    assert counted.offset == 7


def test_numbered_gives_each_record_its_line_and_leaves_out_blank_lines() -> None:
    counted = Lines('a,b\r\n\r\n"x\ny",1\rz,w\n\n')
    assert list(numbered(csv.reader(counted), counted)) == [
        (1, ["a", "b"]),
        (3, ["x\ny", "1"]),
        (4, ["z", "w"]),
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_validator_and_the_release_reader_agree(case: str, tmp_path: Path) -> None:
    data, lines = CASES[case]
    assert read_sheet(data, Dialect()).lines.tolist() == lines
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    assert _read_csv(path)[2] == lines


def test_the_release_reader_keeps_a_quoted_crlf_in_a_cell(tmp_path: Path) -> None:
    """It read the file in universal-newline mode, so "x<CR><LF>y" came back as "x<LF>y" and a
    diff could not see a change between the two."""
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\r\n"x\r\ny",1\r\n')
    assert _read_csv(path)[1] == [{"a": "x\r\ny", "b": "1"}]


def test_csv_alone_counts_a_bare_cr_as_a_line() -> None:
    """Why `Lines` exists: csv.reader.line_num would put the second row on line 3."""
    reader = csv.reader(["a,b\r", "x,y\n", "z,w\n"])
    list(reader)
    assert reader.line_num == 3
