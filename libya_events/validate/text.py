"""The text layer: bytes and characters of each CSV file, before any schema applies.

Whole-file faults (empty file, byte order mark, an unclosed quote) and cell-level ones (invalid
UTF-8, NUL bytes, control characters, huge cells, formula prefixes, stray whitespace, text not
in NFC), each checked column by column with pyarrow's vectorised string kernels.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code
from libya_events.validate import arrow
from libya_events.validate.arrow import mask
from libya_events.validate.context import TableState

#: The largest cell accepted, in bytes.
CELL_LIMIT = 1_000_000
_CONTROL = r"[\x00-\x09\x0b-\x1f\x7f-\x9f]"
_FORMULA = ["=", "+", "-", "@"]
_FORMULA_BYTES = [ord(c) for c in _FORMULA]
_SPACE = ord(" ")


def keep(values: pa.Array, rows: np.ndarray) -> pa.Array:
    """``values`` where ``rows`` is True, null elsewhere. A string array keeps its buffers (only
    its validity bitmap changes), so no text is copied."""
    if pa.types.is_string(values.type) and values.offset == 0 and len(values) == len(rows):
        if values.null_count:
            rows = rows & mask(values.is_valid())
        bits = pa.py_buffer(np.packbits(rows, bitorder="little"))
        _, offsets, data = values.buffers()
        return pa.Array.from_buffers(values.type, len(values), [bits, offsets, data])
    return pc.if_else(arrow.from_numpy(rows), values, pa.nulls(len(values), values.type))


def check_file(state: TableState) -> None:
    """Faults of the file as a whole, found while reading it."""
    sheet = state.sheet
    assert sheet is not None
    if sheet.bom:
        state.add(Code.BOM, line=1)
    if sheet.bare_cr is not None:
        state.add(Code.BARE_CR, line=sheet.bare_cr)
    if sheet.unclosed is not None:
        index, column, line = sheet.unclosed
        state.add(Code.UNCLOSED_QUOTE, index, column, line=line)
        state.claim_rows(index)
    for index, column, value in sheet.bad_bytes:
        byte = _first_bad_byte(value)
        if index is None:
            state.add(Code.INVALID_UTF8, line=sheet.header_line, value=value, byte=byte)
        elif state.free(column)[index]:
            state.add(Code.INVALID_UTF8, index, column, value=value, byte=byte)
            state.claim(column, index)


def _first_bad_byte(value: str) -> str:
    for ch in value:
        if "\udc80" <= ch <= "\udcff":
            return f"0x{ord(ch) - 0xDC00:02x}"
    return "?"


def check_cells(
    state: TableState, string_columns: set[int] | None = None, limit: int = CELL_LIMIT
) -> None:
    """Per-cell text faults, in order of precedence (one finding per cell).

    ``string_columns`` are the columns whose schema type is string: only they are checked for
    formula prefixes (a number such as -12.5 is fine).
    """
    sheet = state.sheet
    assert sheet is not None
    if sheet.nrows == 0:
        return
    for column, values in enumerate(sheet.columns):
        if len(values) == 0 or values.null_count == len(values):
            continue
        free = state.free(column) & (sheet.ncells > column)
        if not free.any():
            continue
        printable = state.printable(column)
        other = ~printable  # only these can hold NUL, control characters or non-NFC text
        odd = _where(other, lambda sub: pc.match_substring_regex(sub, _CONTROL), values)
        nul = _where(odd, lambda sub: pc.match_substring(sub, "\x00"), values)
        checks: list[tuple[Code, np.ndarray, dict[str, object]]] = [
            (Code.HUGE_FIELD, _longer_than(values, limit), {"limit": limit}),
            (Code.NUL_BYTE, nul, {}),
            (Code.CONTROL_CHARACTER, odd, {}),
        ]
        first, last = arrow.edge_bytes(values)  # the characters checked here are ASCII
        if string_columns is None or column in string_columns:
            checks.append((Code.FORMULA_PREFIX, np.isin(first, _FORMULA_BYTES), {}))
        spaced = (first == _SPACE) | (last == _SPACE)
        spaced |= _where(other, lambda sub: pc.not_equal(sub, pc.utf8_trim_whitespace(sub)), values)
        checks.append((Code.WHITESPACE, spaced, {}))
        if other.any():
            nfc = _where(
                other, lambda sub: pc.not_equal(sub, pc.utf8_normalize(sub, form="NFC")), values
            )
            checks.append((Code.NOT_NFC, nfc, {}))
        for code, hits, extra in checks:
            hits = hits & free
            if not hits.any():
                continue
            for index in np.flatnonzero(hits).tolist():
                value = values[index].as_py()
                state.add(code, index, column, value=value, **_params(code, value), **extra)
            state.claim(column, hits)
            free &= ~hits


def _longer_than(values: pa.Array, limit: int) -> np.ndarray:
    """Cells of more than ``limit`` bytes (a string array's offsets give the lengths)."""
    if pa.types.is_string(values.type):
        return arrow.byte_lengths(values) > limit
    return mask(pc.greater(pc.binary_length(values), limit))


def _where(rows: np.ndarray, kernel: Callable[[pa.Array], pa.Array], values: pa.Array):
    """A boolean kernel run only on the rows selected (False elsewhere)."""
    out = np.zeros(len(values), dtype=bool)
    index = np.flatnonzero(rows)
    if index.size:
        out[index] = mask(kernel(values.take(arrow.from_numpy(index))))
    return out


def _params(code: Code, value: str) -> dict[str, object]:
    if code is Code.HUGE_FIELD:
        return {"size": len(value.encode("utf-8", "surrogatepass"))}
    if code is Code.CONTROL_CHARACTER:
        ch = next(c for c in value if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F))
        return {"char": f"U+{ord(ch):04X}"}
    if code is Code.FORMULA_PREFIX:
        return {"char": value[0]}
    if code is Code.WHITESPACE:
        lead, trail = value != value.lstrip(), value != value.rstrip()
        return {
            "where": "leading and trailing" if lead and trail else "leading" if lead else "trailing"
        }
    return {}
