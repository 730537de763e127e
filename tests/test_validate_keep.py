"""Array helpers of the columnar engine: masking without copying text, bounding cell sizes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from libya_events.validate.text import _longer_than, keep

ROWS = np.array([True, False, True, True, False])


@pytest.mark.parametrize(
    "values",
    [
        pa.array(["a", "", "ccc", "dd", "e"]),
        pa.array(["a", None, "ccc", None, "e"]),
        pa.array(["x", "a", "", "ccc", "dd", "e"]).slice(1),
        pa.array([1, 2, 3, 4, 5]),
    ],
    ids=["strings", "with-nulls", "sliced", "numbers"],
)
def test_keep_is_values_where_rows_else_null(values: pa.Array) -> None:
    expected = [v if r else None for v, r in zip(values.to_pylist(), ROWS, strict=True)]
    kept = keep(values, ROWS)
    assert kept.to_pylist() == expected
    assert kept.type == values.type
    assert kept.null_count == expected.count(None)


def test_longer_than_counts_bytes_not_characters() -> None:
    values = pa.array(["abc", "é" * 3, "", "abcd"])
    assert _longer_than(values, 4).tolist() == [False, True, False, False]
    assert _longer_than(values, 6).tolist() == [False, False, False, False]
    assert _longer_than(values.slice(1), 3).tolist() == [True, False, True]
