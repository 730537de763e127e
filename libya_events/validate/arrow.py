"""pyarrow results as numpy arrays, and pyarrow kept from importing pandas in the command.

pyarrow asks of nearly every value it converts (a list or a numpy array given to ``pa.array``,
a plain ``"x"`` or ``False`` given to a compute function) whether it is a pandas object, and to
ask, it imports pandas on its first conversion: a third of a second, more than the rest of a
small package's validation. The validator never hands pyarrow a pandas object, so
`forget_pandas` lets the ``libya-events validate`` command tell pyarrow, before its first
conversion, that there is no pandas to look for.
"""

from __future__ import annotations

import contextlib
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean array as a numpy bool mask (null counts as False)."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def valid(values: pa.Array) -> np.ndarray:
    """Where ``values`` holds a value (is not null), as a numpy bool mask."""
    return np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def positions(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Integer positions (dictionary indices, ``index_in`` results) as int64, -1 where null."""
    return np.asarray(pc.fill_null(values, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


class _NoPandas:
    """An import finder (for ``sys.meta_path``) under which pandas cannot be imported."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def forget_pandas() -> None:
    """Have pyarrow look for pandas now, with pandas out of reach, unless pandas is imported.

    pyarrow looks for pandas once, on its first conversion of a Python value, and remembers
    the answer; so a conversion here, with pandas hidden, saves importing it later. Where
    pyarrow needs pandas for its own sake (``Table.to_pandas``) it imports it then, so this
    changes what is imported, not what works. Meant for a process that is about to validate
    and end, such as the command line; a no-op once pyarrow has looked.
    """
    if "pandas" in sys.modules:
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.scalar(0)
    finally:
        sys.meta_path.remove(finder)


def prefer_jemalloc() -> None:
    """Have pyarrow allocate with jemalloc where it is built with it, unless the environment
    names an allocator (``ARROW_DEFAULT_MEMORY_POOL``).

    Validation makes and drops many whole-column arrays; with jemalloc the peak memory of a
    million events is about a tenth lower, and less time goes to the kernel, than with
    pyarrow's default mimalloc (docs/scale.md). Meant, like `forget_pandas`, for the command.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    with contextlib.suppress(NotImplementedError):  # this pyarrow has no jemalloc
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _offsets(values: pa.Array) -> np.ndarray:
    """The offsets of a string array's strings in its data buffer (a view, not a copy)."""
    assert pa.types.is_string(values.type), values.type
    buffer = values.buffers()[1]
    return np.frombuffer(buffer, dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)


def byte_lengths(values: pa.Array) -> np.ndarray:
    """The length in bytes of each string of a string array (0 where null)."""
    lengths = np.diff(_offsets(values))
    if values.null_count:
        lengths[~valid(values)] = 0
    return lengths


def edge_bytes(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The first and the last byte of each string of a string array (-1 where it is empty or
    null), read from the array's buffers: no kernel, no copy of the text."""
    offsets = _offsets(values)
    starts, ends = offsets[:-1], offsets[1:]
    filled = ends > starts
    if values.null_count:
        filled &= valid(values)
    if not filled.any():
        nothing = np.full(len(values), -1, dtype=np.int16)
        return nothing, nothing.copy()
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    top = len(data) - 1  # an empty string's offset may be the end of the data: clipped
    first = np.where(filled, data[np.minimum(starts, top)].astype(np.int16), -1)
    last = np.where(filled, data[np.clip(ends - 1, 0, top)].astype(np.int16), -1)
    return first, last


def from_numpy(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """``pa.array(values, mask=~valid)`` for a numpy array of integers (as int64) or booleans,
    made on the array's own buffer. (``pa.array`` asks whether it is a masked array, which
    imports ``numpy.ma``: a few milliseconds of a small package's run.)"""
    bits = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    if values.dtype == np.bool_:
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
        return pa.Array.from_buffers(pa.bool_(), len(values), [bits, data])
    numbers = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(numbers), [bits, pa.py_buffer(numbers)])
