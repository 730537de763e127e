"""Test support: the data package as plain tables, and a writer for them.

``libya_events.testing.strategies`` (hypothesis strategies for whole valid packages) and
``libya_events.testing.mutations`` need hypothesis, a test dependency; import them only
from tests and benchmarks.
"""

from __future__ import annotations

from libya_events.testing.package import (
    Row,
    Schemas,
    Tables,
    frame_rows,
    read_schemas,
    read_tables,
    render_rows,
    row_lines,
    shipped_schemas,
    write_package,
)

__all__ = [
    "Row",
    "Schemas",
    "Tables",
    "frame_rows",
    "read_schemas",
    "read_tables",
    "render_rows",
    "row_lines",
    "shipped_schemas",
    "write_package",
]
