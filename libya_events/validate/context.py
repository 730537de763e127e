"""What one table carries through the layers: its spec, its cells, and the cells already reported.

Each fault gets exactly one finding: a layer that reports a cell (or a whole row) claims it, and
later layers skip claimed cells, so a NUL byte is a ``nul-byte`` and not also a pattern error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from libya_events.errors import Code
from libya_events.report import Finding
from libya_events.validate import arrow
from libya_events.validate.files import Dialect, Sheet


@dataclass
class TableSpec:
    """A resource of the descriptor, resolved safely: where its file is and what rules it has."""

    name: str
    path: str
    file: Path | None
    schema: dict[str, Any] | None
    dialect: Dialect
    schema_path: str | None = None
    record_schema: dict[str, Any] | None = None
    record_schema_path: str | None = None
    #: False when frictionless rejected the Table Schema: the table layer cannot apply it.
    schema_ok: bool = True

    # The schema may be anything a pull request wrote: these read it defensively (frictionless
    # reports what is wrong with it, and an unusable schema is never applied).

    @property
    def fields(self) -> list[dict[str, Any]]:
        """The schema's fields by position ({} for an entry that is not an object)."""
        raw = self.schema.get("fields") if isinstance(self.schema, dict) else None
        return [f if isinstance(f, dict) else {} for f in raw] if isinstance(raw, list) else []

    @property
    def field_names(self) -> list[str]:
        return [f["name"] if isinstance(f.get("name"), str) else "" for f in self.fields]

    @property
    def missing_values(self) -> list[str]:
        values = self.schema.get("missingValues", [""]) if isinstance(self.schema, dict) else [""]
        return [str(v) for v in values] if isinstance(values, list) else [""]

    def items(self, key: str) -> list[dict[str, Any]]:
        """The schema's list under ``key`` (e.g. foreignKeys), objects only."""
        raw = self.schema.get(key) if isinstance(self.schema, dict) else None
        return [x for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []


@dataclass
class TableState:
    """One table during validation: its sheet, claimed cells and rows, typed values, findings."""

    spec: TableSpec
    sheet: Sheet | None = None
    findings: list[Finding] = field(default_factory=list)
    claimed_rows: np.ndarray | None = None
    claimed: dict[int, np.ndarray] = field(default_factory=dict)
    #: Schema field name -> column index in the sheet (by position, as frictionless maps them).
    columns: dict[str, int] = field(default_factory=dict)
    #: Schema field name -> typed values (pyarrow array; null where missing or not parsed).
    typed: dict[str, pa.Array] = field(default_factory=dict)
    #: Schema field name -> bool mask of cells holding a value (not missing, cell present).
    present: dict[str, np.ndarray] = field(default_factory=dict)
    #: Column -> cached masks (see `missing` and `printable`).
    cache: dict[tuple[str, int], np.ndarray] = field(default_factory=dict)
    #: Field name -> distinct values other tables' foreign keys may point at.
    pools: dict[str, pa.Array] = field(default_factory=dict)
    #: (field, referenced table, referenced field) -> for each row, the first row of the
    #: referenced table holding the same value, among all its rows (-1 where none or empty):
    #: found once by the foreign-key check, reused by the cross-table rules.
    lookups: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def nrows(self) -> int:
        return 0 if self.sheet is None else self.sheet.nrows

    @property
    def usable(self) -> bool:
        """True when the table was read and its schema can be applied."""
        return self.sheet is not None and self.spec.schema_ok and self.spec.schema is not None

    def label(self, column: int) -> str | None:
        """The schema field name at a column, else the header label, else None."""
        names = self.spec.field_names
        if column < len(names):
            return names[column]
        if self.sheet is not None and column < self.sheet.width:
            return self.sheet.labels[column]
        return None

    def missing(self, column: int) -> np.ndarray:
        """Cells at ``column`` holding no value: a missing value, or beyond the row's end."""
        key = ("missing", column)
        if key not in self.cache:
            sheet = self.sheet
            assert sheet is not None
            values = sheet.columns[column]
            markers = self.spec.missing_values
            if markers == [""] and pa.types.is_string(values.type):
                found = (arrow.byte_lengths(values) == 0) & arrow.valid(values)
            else:
                found = arrow.mask(pc.is_in(values, value_set=pa.array(markers, pa.string())))
            self.cache[key] = found | (sheet.ncells <= column)
        return self.cache[key]

    def printable(self, column: int) -> np.ndarray:
        """Cells at ``column`` made only of printable ASCII (where regex engines agree)."""
        key = ("printable", column)
        if key not in self.cache:
            assert self.sheet is not None
            self.cache[key] = arrow.mask(pc.ascii_is_printable(self.sheet.columns[column]))
        return self.cache[key]

    # -- claims --------------------------------------------------------------------------------

    def _rows_mask(self) -> np.ndarray:
        if self.claimed_rows is None:
            self.claimed_rows = np.zeros(self.nrows, dtype=bool)
        return self.claimed_rows

    def claim_rows(self, index: np.ndarray | list[int] | int) -> None:
        self._rows_mask()[index] = True

    def claim(self, column: int, index: np.ndarray | list[int] | int) -> None:
        if column not in self.claimed:
            self.claimed[column] = np.zeros(self.nrows, dtype=bool)
        self.claimed[column][index] = True

    def free(self, column: int | None = None) -> np.ndarray:
        """Bool mask of rows whose cell (or, without a column, whole row) nobody has reported."""
        mask = ~self._rows_mask()
        if column is not None and column in self.claimed:
            mask &= ~self.claimed[column]
        return mask

    # -- findings ------------------------------------------------------------------------------

    def add(
        self,
        code: Code,
        index: int | None = None,
        column: int | None = None,
        *,
        value: object = None,
        field: str | None = None,
        line: int | None = None,
        **params: object,
    ) -> Finding:
        """Record a finding at row ``index`` (None: the whole file) and ``column``."""
        sheet = self.sheet
        row = None
        if index is not None and sheet is not None:
            line = int(sheet.lines[index]) if line is None else line
            row = int(sheet.rows[index])
        if field is None and column is not None:
            field = self.label(column)
        params.setdefault("path", self.spec.path)
        finding = Finding.make(
            code,
            table=self.spec.name,
            line=line,
            row=row,
            field=field,
            value=value,
            **params,
        )
        self.findings.append(finding)
        return finding
