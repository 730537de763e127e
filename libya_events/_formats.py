"""The output formats of `libya-events diff` and `libya-events export`, kept here so that the
command line lists them without importing either module (which `validate` does not need)."""

from __future__ import annotations

DIFF = ("text", "json", "markdown")
EXPORT = ("sqlite", "parquet", "xlsx", "json", "zip")
