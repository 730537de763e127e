"""`validate.arrow`: what is read from a string array's buffers equals what kernels give."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from libya_events.validate import arrow

VALUES = ["", "a", " b ", "=1", "é", None, "x\u00e9", "", "-", "@z "]


@pytest.mark.parametrize("offset", [0, 1, 3])
def test_edge_bytes_and_lengths_match_the_kernels(offset: int) -> None:
    values = pa.array(VALUES, pa.string()).slice(offset)
    first, last = arrow.edge_bytes(values)
    expected_first = [-1 if not v else v.encode()[0] for v in VALUES[offset:]]
    expected_last = [-1 if not v else v.encode()[-1] for v in VALUES[offset:]]
    lengths = pc.fill_null(pc.binary_length(values), 0).to_pylist()
    assert (first.tolist(), last.tolist(), arrow.byte_lengths(values).tolist()) == (
        expected_first,
        expected_last,
        lengths,
    )


def test_an_array_of_empty_strings_has_no_edges() -> None:
    first, last = arrow.edge_bytes(pa.array(["", ""], pa.string()))
    assert (first.tolist(), last.tolist()) == ([-1, -1], [-1, -1])


def test_from_numpy_is_pa_array() -> None:
    numbers = np.array([3, -1, 0, 7], dtype=np.int64)
    flags = np.array([True, False, True, True, False, False, True, True, True])
    assert arrow.from_numpy(numbers, valid=numbers >= 0).to_pylist() == [3, None, 0, 7]
    assert arrow.from_numpy(flags).to_pylist() == flags.tolist()
    assert arrow.from_numpy(np.flatnonzero(flags)).to_pylist() == [0, 2, 3, 6, 7, 8]
