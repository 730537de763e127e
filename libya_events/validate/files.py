"""Read one table's CSV file into columns, with the physical line where each row starts.

Two readers give the same result. The fast one hands the bytes to pyarrow's multi-threaded CSV
parser and is used when the file is regular (valid UTF-8, LF line ends, no blank line, every
row as wide as the header); anything else goes to the exact one, Python's `csv` module with
the same dialect frictionless uses, which keeps ragged rows, blank lines and bad bytes and
tracks line numbers through quoted line breaks.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from libya_events.lines import Lines

BOM = b"\xef\xbb\xbf"
#: Bytes that decode to lone surrogates under "surrogateescape" (one per invalid byte).
SURROGATE = re.compile("[\udc80-\udcff]")
_BLOCK_SIZE = 1 << 24
#: Two line feeds in a row (a regex finds them in a third of the time ``in`` takes).
_BLANK_LINE = re.compile(rb"\n\n")

csv.field_size_limit(sys.maxsize if sys.maxsize < 2**63 else 2**62)


@dataclass(frozen=True)
class Dialect:
    """The CSV dialect of a resource (Frictionless CSV Dialect, the parts that matter here)."""

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header: bool = True

    @classmethod
    def from_descriptor(cls, d: dict[str, Any] | None) -> Dialect:
        """The dialect a descriptor gives; a value that cannot be one (frictionless reports
        it) leaves the default in place."""
        d = d if isinstance(d, dict) else {}

        def char(key: str, default: str | None) -> str | None:
            value = d.get(key, default)
            ok = isinstance(value, str) and len(value) == 1 and value not in "\r\n"
            return value if ok else default

        def flag(key: str, default: bool) -> bool:
            value = d.get(key, default)
            return value if isinstance(value, bool) else default

        delimiter = char("delimiter", ",") or ","
        quote = char("quoteChar", '"') or '"'
        escape = char("escapeChar", None)
        if quote == delimiter or escape in (delimiter, quote):
            delimiter, quote, escape = ",", '"', None
        return cls(
            delimiter=delimiter,
            quote_char=quote,
            double_quote=flag("doubleQuote", True),
            escape_char=escape,
            skip_initial_space=flag("skipInitialSpace", False),
            header=flag("header", True),
        )

    def python(self) -> dict[str, Any]:
        return {
            "delimiter": self.delimiter,
            "quotechar": self.quote_char,
            "doublequote": self.double_quote,
            "escapechar": self.escape_char,
            "skipinitialspace": self.skip_initial_space,
        }


@dataclass
class Sheet:
    """A CSV file read into one string column per header position.

    ``columns[j][i]`` is cell ``j`` of row ``i``, ``""`` where the row is shorter than the header
    (``ncells[i]`` says how many cells it really had). ``lines[i]`` is the physical line where
    row ``i`` starts (the header is line 1); ``rows[i]`` counts rows as frictionless does.
    """

    labels: list[str]
    columns: list[pa.Array]
    ncells: np.ndarray
    lines: np.ndarray
    rows: np.ndarray
    header_line: int | None = 1
    extras: dict[int, list[str]] = field(default_factory=dict)
    bom: bool = False
    #: The line of the first row (or the header) that a bare CR ends, if any.
    bare_cr: int | None = None
    #: (row index or None for the header, column index, value) of cells with invalid UTF-8.
    bad_bytes: list[tuple[int | None, int, str]] = field(default_factory=list)
    #: Row index and column of a quoted cell that is never closed (it swallows the rest).
    unclosed: tuple[int, int, int] | None = None
    fast: bool = False

    @property
    def nrows(self) -> int:
        return len(self.lines)

    @property
    def width(self) -> int:
        return len(self.labels)


def read_sheet(data: bytes, dialect: Dialect, labels: list[str] | None = None) -> Sheet:
    """Parse ``data``; ``labels`` are the field names to use when the dialect has no header."""
    bom = data.startswith(BOM)
    if bom:
        data = data[len(BOM) :]
    sheet = _read_fast(data, dialect, labels) or _read_exact(data, dialect, labels)
    sheet.bom = bom
    return sheet


# -- the fast reader ------------------------------------------------------------------------------


def _read_fast(data: bytes, dialect: Dialect, labels: list[str] | None) -> Sheet | None:
    """pyarrow's reader, or None when the file needs the exact one."""
    if b"\r" in data or (dialect.escape_char and dialect.escape_char.encode() in data):
        return None
    if dialect.header:
        end = data.find(b"\n")
        head = data if end < 0 else data[:end]
        if dialect.quote_char.encode() in head or not head:
            return None
        try:
            labels = head.decode("utf-8").split(dialect.delimiter)
        except UnicodeDecodeError:
            return None
        if dialect.skip_initial_space:
            labels = [label.lstrip(" ") for label in labels]
        body = pa.py_buffer(data).slice(end + 1) if end >= 0 else pa.py_buffer(b"")
        first_line = 2
        first_byte = end + 1
    else:
        body = pa.py_buffer(data)
        first_line = 1
        first_byte = 0
    assert labels is not None
    if _BLANK_LINE.search(data) or data[first_byte : first_byte + 1] == b"\n":
        return None
    width = len(labels)
    if body.size == 0:
        columns = [pa.array([], pa.string()) for _ in labels]
        empty = np.zeros(0, dtype=np.int64)
        return Sheet(labels, columns, empty.astype(np.int32), empty, empty, fast=True)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=_BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                quote_char=dialect.quote_char,
                double_quote=dialect.double_quote,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{j}": pa.string() for j in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowCapacityError):
        return None
    if table.num_columns != width:
        return None
    if dialect.skip_initial_space:
        return None
    columns = [table.column(j).combine_chunks() for j in range(width)]
    n = table.num_rows
    total_newlines = data.count(b"\n")
    newlines = total_newlines - (1 if dialect.header else 0)
    rows = np.arange(first_line, first_line + n, dtype=np.int64)
    if newlines in (n, n - 1):
        lines = rows.copy()
    else:
        spans = np.ones(n, dtype=np.int64)
        for col in columns:
            spans += np.asarray(pc.count_substring(col, "\n").to_numpy(zero_copy_only=False))
        lines = np.concatenate([[first_line], first_line + np.cumsum(spans)[:-1]]).astype(np.int64)
    sheet = Sheet(
        labels,
        columns,
        np.full(n, width, dtype=np.int32),
        lines,
        rows,
        header_line=1 if dialect.header else None,
        fast=True,
    )
    tail_start = _line_offset(data, int(lines[-1]), total_newlines) if n else len(data)
    sheet.unclosed = _unclosed(data[tail_start:].decode("utf-8"), dialect, sheet, n - 1)
    return sheet


def _line_offset(data: bytes, line: int, newlines: int) -> int:
    """Byte offset where physical ``line`` starts, found by searching back from the end."""
    pos = len(data)
    for _ in range(newlines - line + 2 if line > 1 else 0):
        pos = data.rfind(b"\n", 0, pos)
        if pos < 0:
            return 0
    return pos + 1 if line > 1 else 0


# -- the exact reader ------------------------------------------------------------------------------


def _read_exact(data: bytes, dialect: Dialect, labels: list[str] | None) -> Sheet:
    text = data.decode("utf-8", errors="surrogateescape")
    lines_in = Lines(text)
    reader = csv.reader(lines_in, **dialect.python())
    records: list[list[str]] = []
    starts: list[int] = []
    start_nl = 0
    offset = last_start = 0
    bare_cr: int | None = None
    for record in reader:
        starts.append(start_nl + 1)
        records.append(record)
        if bare_cr is None and lines_in.ended_by_bare_cr:
            bare_cr = start_nl + 1
        last_start = offset
        start_nl, offset = lines_in.newlines, lines_in.offset

    header_line: int | None = None
    bad: list[tuple[int | None, int, str]] = []
    if dialect.header:
        if not records:
            return Sheet([], [], *(np.zeros(0, dtype=t) for t in (np.int32, np.int64, np.int64)))
        labels = records.pop(0)
        header_line = starts.pop(0)
        for j, label in enumerate(labels):
            if SURROGATE.search(label):
                bad.append((None, j, label))
                labels[j] = _replace_bad(label)
    assert labels is not None
    width = len(labels)
    n = len(records)
    ncells = np.fromiter(map(len, records), dtype=np.int32, count=n)
    extras: dict[int, list[str]] = {}
    if n and (ncells != width).any():
        for i in np.flatnonzero(ncells != width).tolist():
            rec = records[i]
            if len(rec) > width:
                extras[i] = rec[width:]
                records[i] = rec[:width]
            else:
                records[i] = rec + [""] * (width - len(rec))
    if text and SURROGATE.search(text):
        for i, rec in enumerate(records):
            for j, cell in enumerate(rec):
                if SURROGATE.search(cell):
                    bad.append((i, j, cell))
                    rec[j] = _replace_bad(cell)
    cols = list(zip(*records, strict=True)) if n else [() for _ in range(width)]
    columns = [pa.array(list(col), pa.string()) for col in cols]
    first_row = 2 if dialect.header else 1
    sheet = Sheet(
        labels,
        columns,
        ncells,
        np.asarray(starts, dtype=np.int64),
        np.arange(first_row, first_row + n, dtype=np.int64),
        header_line=header_line,
        extras=extras,
        bad_bytes=bad,
        bare_cr=bare_cr,
    )
    if n:
        sheet.unclosed = _unclosed(text[last_start:], dialect, sheet, n - 1)
    return sheet


def _replace_bad(cell: str) -> str:
    """The cell with each invalid byte shown as U+FFFD."""
    return SURROGATE.sub("\ufffd", cell)


def _unclosed(tail: str, dialect: Dialect, sheet: Sheet, index: int) -> tuple[int, int, int] | None:
    """(row index, column, line) of a quoted cell in the last record that is never closed."""
    if dialect.quote_char not in tail:
        return None
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True, **dialect.python()):
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return None
    else:
        return None
    column = max(int(sheet.ncells[index]) - 1, 0)
    before = sum(
        sheet.columns[j][index].as_py().count("\n") for j in range(min(column, sheet.width))
    )
    return index, column, int(sheet.lines[index]) + before
