"""Load a data package as typed pandas tables: `load()`, `Dataset`, shortcuts for the packaged data.

Column dtypes follow each field of the Table Schema, never a hand-kept list:

- ``string`` with ``constraints.enum``: ``CategoricalDtype(categories=enum)``, declared order;
- other ``string`` fields, and types pandas has no dtype for: ``StringDtype()`` (``"string"``);
- ``date``: ``datetime64[s]`` (``datetime``: ``datetime64[s, UTC]``);
- ``number``: ``Float64``; ``integer`` and ``year``: ``Int64``; ``boolean``: ``boolean``.

A cell equal to one of the schema's ``missingValues`` (default: the empty string) is missing
(``pd.NA``, ``NaT`` or a missing category); every other text, "NA" included, is kept as written.

Importing this module is cheap: pandas is imported when a table is first read.
"""

from __future__ import annotations

import copy
import csv
import difflib
import functools
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libya_events._paths import DESCRIPTOR, packaged_root
from libya_events.errors import NotADataPackageError, TableReadError, UnknownIdError
from libya_events.lines import Lines, numbered

if TYPE_CHECKING:
    import pandas as pd

_WORDS = re.compile(r"[-_\s]+")
_DEFAULT_TRUE = ("true", "True", "TRUE", "1")
_DEFAULT_FALSE = ("false", "False", "FALSE", "0")


def suggest(value: object, candidates: Sequence[str]) -> list[str]:
    """Up to three candidates close to ``value``: near spellings first, then those containing
    it or all of its words."""
    if not isinstance(value, str) or not value:
        return []
    found = difflib.get_close_matches(value, candidates, n=3, cutoff=0.6)
    words = set(_WORDS.split(value.lower())) - {""}
    for c in candidates:
        containing = len(value) >= 3 and value.lower() in c.lower()
        if c not in found and (containing or (words and words <= set(_WORDS.split(c.lower())))):
            found.append(c)
    return found[:3]


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotADataPackageError(f"not a data package: {what} {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotADataPackageError(
            f"not a data package: cannot read {what} {path}: {exc}"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotADataPackageError(
            f"not a data package: {what} {path} is not valid JSON: "
            f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise NotADataPackageError(
            f"not a data package: {what} {path} holds a JSON {type(data).__name__}, not an object"
        )
    return data


def _descriptor_path(path: str | os.PathLike[str]) -> Path:
    given = Path(path)
    if given.is_dir():
        if not (given / DESCRIPTOR).is_file():
            raise NotADataPackageError(f"not a data package: {given} has no {DESCRIPTOR}")
        return given / DESCRIPTOR
    if not given.exists():
        raise NotADataPackageError(f"not a data package: {given} does not exist")
    return given


def _local_file(root: Path, ref: object, what: str) -> Path:
    """A path inside the package that a descriptor gives for ``what``; nothing remote."""
    if not isinstance(ref, str) or not ref:
        raise NotADataPackageError(
            f"not a data package: {what} must be a relative file path, not {ref!r}"
        )
    if "://" in ref:
        raise NotADataPackageError(
            f"not a data package: {what} is remote ({ref}); only local files are read"
        )
    return root / ref


class _TableSpec:
    """One tabular resource: where its CSV is, its Table Schema and how the CSV is written."""

    def __init__(self, root: Path, resource: dict[str, Any], index: int):
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            raise NotADataPackageError(f"not a data package: resource {index} has no name")
        self.name = name
        self.path = _local_file(root, resource.get("path"), f"the path of resource {name!r}")
        schema = resource["schema"]
        if isinstance(schema, dict):
            self.schema = schema
            self.schema_file = None
        else:
            self.schema_file = _local_file(root, schema, f"the schema of resource {name!r}")
            self.schema = _read_json(self.schema_file, "Table Schema")
        fields = self.schema.get("fields")
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            raise NotADataPackageError(
                f"not a data package: the Table Schema of {name!r} has no list of named fields"
            )
        self.fields: list[dict[str, Any]] = fields
        fmt = str(resource.get("format", self.path.suffix.lstrip("."))).lower()
        if fmt != "csv":
            raise NotADataPackageError(
                f"not a data package: resource {name!r} has format {fmt!r}; only csv is read"
            )
        dialect = resource.get("dialect") or {}
        if not isinstance(dialect, dict):
            raise NotADataPackageError(
                f"not a data package: the dialect of resource {name!r} must be an object"
            )
        for key in ("delimiter", "quoteChar", "escapeChar"):
            if key in dialect and not (isinstance(dialect[key], str) and len(dialect[key]) == 1):
                raise NotADataPackageError(
                    f"not a data package: the dialect of resource {name!r} has {key} "
                    f"{dialect[key]!r}; it must be one character"
                )
        self.delimiter: str = dialect.get("delimiter", ",")
        self.quotechar: str = dialect.get("quoteChar", '"')
        self.doublequote: bool = dialect.get("doubleQuote", True)
        self.escapechar: str | None = dialect.get("escapeChar")
        self.skipinitialspace: bool = dialect.get("skipInitialSpace", False)
        self.header: bool = dialect.get("header", True)
        encoding = str(resource.get("encoding", "utf-8")).lower()
        self.encoding = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding
        self.missing = frozenset(self.schema.get("missingValues", [""]))


def pandas_dtype(field: dict[str, Any]) -> Any:
    """The pandas dtype a Table Schema field is loaded as (see the module docstring)."""
    import pandas as pd

    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if kind == "string" and enum is not None:
        return pd.CategoricalDtype(categories=list(enum), ordered=False)
    return {
        "date": "datetime64[s]",
        "datetime": pd.DatetimeTZDtype(unit="s", tz="UTC"),
        "number": pd.Float64Dtype(),
        "integer": pd.Int64Dtype(),
        "year": pd.Int64Dtype(),
        "boolean": pd.BooleanDtype(),
    }.get(kind, pd.StringDtype())


class _BadCell(Exception):
    """A cell that is not of its field's type: its row position among the data rows."""

    def __init__(self, position: int, value: str, expected: str):
        super().__init__(value)
        self.position, self.value, self.expected = position, value, expected


def _column(field: dict[str, Any], raw: pd.Series) -> Any:
    """A typed pandas array from one column's text (missing cells already NA); a cell not of
    the field's type raises _BadCell.

    Typed values repeat (dates, vocabularies), so all but plain text is converted once per
    distinct text and then spread back over the rows.
    """
    import numpy as np
    import pandas as pd

    dtype = pandas_dtype(field)
    if dtype == pd.StringDtype():
        return raw.array
    codes, uniques = pd.factorize(raw.array)
    typed, bad, expected = _convert(field, dtype, pd.Series(uniques))
    bad_rows = np.flatnonzero(np.isin(codes, np.flatnonzero(bad.to_numpy(dtype=bool))))
    if len(bad_rows):
        raise _BadCell(int(bad_rows[0]), str(raw.iloc[bad_rows[0]]), expected)
    return typed.array.take(codes, allow_fill=True)


def _convert(field: dict[str, Any], dtype: Any, text: pd.Series) -> tuple[pd.Series, Any, str]:
    """Distinct non-missing ``text`` typed as ``dtype``, a mask of the texts that are not of
    the field's type, and what such a text should have been."""
    import pandas as pd

    kind = field.get("type", "string")
    if isinstance(dtype, pd.CategoricalDtype):
        expected = "one of the declared values (" + ", ".join(dtype.categories) + ")"
        bad = ~text.isin(list(dtype.categories))
        return text.where(~bad).astype(dtype), bad, expected
    if kind == "date":
        fmt = field.get("format", "default")
        custom = "%" in str(fmt)
        typed = pd.to_datetime(text, format=fmt if custom else "%Y-%m-%d", errors="coerce")
        bad = typed.isna() if custom else typed.isna() | text.str.len().ne(10)
        return typed.astype(dtype), bad, f"a date ({fmt if custom else 'YYYY-MM-DD'})"
    if kind == "datetime":
        typed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        return typed.astype(dtype), typed.isna(), "a datetime (ISO 8601)"
    if kind in ("number", "integer", "year"):
        digits = text
        if field.get("groupChar"):
            digits = digits.str.replace(field["groupChar"], "", regex=False)
        if field.get("decimalChar", ".") != ".":
            digits = digits.str.replace(field["decimalChar"], ".", regex=False)
        number = pd.to_numeric(digits, errors="coerce")
        if kind == "number":
            return number.astype(dtype), number.isna() & text.str.lower().ne("nan"), "a number"
        bad = number.isna() | number.mod(1).ne(0)
        return number.where(~bad).astype(dtype), bad, "an integer"
    if kind == "boolean":
        truth = {v: True for v in field.get("trueValues", _DEFAULT_TRUE)}
        truth.update({v: False for v in field.get("falseValues", _DEFAULT_FALSE)})
        typed = text.astype(object).map(truth).astype(dtype)
        return typed, ~text.isin(list(truth)), "one of " + ", ".join(truth)
    raise AssertionError(f"no conversion for {kind}")  # pandas_dtype gives strings the rest


def _scan(spec: _TableSpec) -> list[int]:
    """Read the CSV record by record, raising TableReadError at the first structural fault
    (encoding, quoting, header, cell count); otherwise the first line of each data row.

    The slow, exact path: `read_table` reads with pandas and comes here for line numbers.
    """
    file = str(spec.path)
    try:
        raw = spec.path.read_bytes()
    except FileNotFoundError:
        raise TableReadError(
            f"{file}: no such file (the data of table {spec.name!r})", file
        ) from None
    except OSError as exc:
        raise TableReadError(f"{file}: cannot read: {exc.strerror}", file) from None
    try:
        text = raw.decode(spec.encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise TableReadError(
            f"{file}, line {line}: not valid {spec.encoding} text ({exc.reason})", file, line
        ) from None
    except LookupError:
        raise TableReadError(f"{file}: unknown encoding {spec.encoding!r}", file) from None
    counted = Lines(text)
    reader = csv.reader(
        counted,
        delimiter=spec.delimiter,
        quotechar=spec.quotechar,
        doublequote=spec.doublequote,
        escapechar=spec.escapechar,
        skipinitialspace=spec.skipinitialspace,
        strict=True,
    )
    names = [f["name"] for f in spec.fields]
    header_pending = spec.header
    lines: list[int] = []
    try:
        for first_line, row in numbered(reader, counted):
            if header_pending:
                _check_header(spec, row, names, first_line)
                header_pending = False
            elif len(row) != len(names):
                raise TableReadError(
                    f"{file}, line {first_line}: {len(row)} cells, but the header has {len(names)}",
                    file,
                    first_line,
                )
            else:
                lines.append(first_line)
    except csv.Error as exc:
        raise TableReadError(
            f"{file}, line {counted.last}: malformed CSV: {exc}", file, counted.last
        ) from None
    if header_pending:
        raise TableReadError(f"{file}: empty file, expected the header row", file, 1)
    return lines


def _check_header(spec: _TableSpec, header: list[str], names: list[str], line: int = 1) -> None:
    if header == names:
        return
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    parts = [
        "missing " + ", ".join(missing) if missing else "",
        "unexpected " + ", ".join(extra) if extra else "",
        "columns out of order" if not missing and not extra else "",
    ]
    schema = spec.schema_file or f"the Table Schema of {spec.name!r}"
    raise TableReadError(
        f"{spec.path}, line {line}: the header does not match {schema}: "
        f"{'; '.join(p for p in parts if p)}; expected {','.join(names)}",
        str(spec.path),
        line,
    )


def _first_record(spec: _TableSpec) -> list[str] | None:
    """The header row, read with the csv module; None when it cannot be read cleanly."""
    try:
        with open(spec.path, encoding=spec.encoding, newline="") as fh:
            reader = csv.reader(
                fh,
                delimiter=spec.delimiter,
                quotechar=spec.quotechar,
                doublequote=spec.doublequote,
                escapechar=spec.escapechar,
                skipinitialspace=spec.skipinitialspace,
                strict=True,
            )
            return next(reader, None)
    except (OSError, UnicodeDecodeError, LookupError, csv.Error):
        return None


def _read_text(spec: _TableSpec, names: list[str]) -> pd.DataFrame:
    """Every cell of the data rows as text (pandas ``string``), missing values as NA.

    pyarrow's CSV reader is strict about cell counts and quoting; whatever it rejects,
    `_scan` then reports with its file and line.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    trim = spec.skipinitialspace  # pyarrow cannot, so missing values are found after trimming
    table = pa_csv.read_csv(
        spec.path,
        read_options=pa_csv.ReadOptions(
            skip_rows=1 if spec.header else 0,
            column_names=names,
            encoding="utf8" if spec.encoding == "utf-8-sig" else spec.encoding,
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=spec.delimiter,
            quote_char=spec.quotechar,
            double_quote=spec.doublequote,
            escape_char=spec.escapechar or False,
            newlines_in_values=True,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[] if trim else list(spec.missing),
            strings_can_be_null=not trim,
            quoted_strings_can_be_null=not trim,
        ),
    )
    if trim:
        missing = pa.array(list(spec.missing), pa.string())
        columns = [pc.utf8_ltrim(column, characters=" ") for column in table.columns]
        columns = [pc.if_else(pc.is_in(c, value_set=missing), None, c) for c in columns]
        table = pa.table(columns, names=names)
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def read_table(spec: _TableSpec) -> pd.DataFrame:
    """Read one table's CSV as text, then type each column from its Table Schema field.

    Any fault found on the way is reported by `_scan`, which names the file and line.
    Columns follow the schema; rows keep the file's order under a RangeIndex.
    """
    import pandas as pd

    names = [f["name"] for f in spec.fields]
    if spec.header:
        header = _first_record(spec)
        if header is None:
            _scan(spec)
        else:
            _check_header(spec, header, names)
    try:
        raw = _read_text(spec, names)
    except (ValueError, OSError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        _scan(spec)
        raise TableReadError(f"{spec.path}: unreadable CSV: {exc}", str(spec.path)) from None
    typed = {}
    for field in spec.fields:
        try:
            typed[field["name"]] = _column(field, raw[field["name"]])
        except _BadCell as bad:
            lines = _scan(spec)
            line = lines[bad.position] if bad.position < len(lines) else None
            where = f", line {line}" if line else f", data row {bad.position + 1}"
            raise TableReadError(
                f"{spec.path}{where}, field {field['name']!r}: {bad.value!r} is not {bad.expected}",
                str(spec.path),
                line,
                field["name"],
            ) from None
    return pd.DataFrame(typed, columns=names)


class Dataset:
    """A loaded data package: each table a typed DataFrame, plus the package's metadata.

    ``ds.events`` and ``ds["events"]`` give the events table; every access returns a fresh
    copy, so changing it never changes the Dataset. Rows keep the CSV's order, under a
    RangeIndex. The query methods (``events_between`` ...) also return new frames.
    """

    def __init__(self, path: Path, descriptor: dict[str, Any], specs: list[_TableSpec]):
        self.path = path
        self._descriptor = descriptor
        self._schemas = {spec.name: spec.schema for spec in specs}
        self._frames: dict[str, pd.DataFrame] = {spec.name: read_table(spec) for spec in specs}

    @property
    def version(self) -> str | None:
        """The ``version`` of the data package descriptor."""
        version = self._descriptor.get("version")
        return None if version is None else str(version)

    @property
    def tables(self) -> tuple[str, ...]:
        """The table names, in descriptor order."""
        return tuple(self._frames)

    @property
    def descriptor(self) -> dict[str, Any]:
        """A copy of the parsed ``datapackage.json``."""
        return copy.deepcopy(self._descriptor)

    def schema(self, table: str) -> dict[str, Any]:
        """A copy of the Table Schema of ``table``."""
        self._frame(table)
        return copy.deepcopy(self._schemas[table])

    def _frame(self, table: str) -> pd.DataFrame:
        """The cached frame itself (callers must not mutate it)."""
        try:
            return self._frames[table]
        except (KeyError, TypeError):
            raise UnknownIdError(
                "table", table, f"the data package {self.path}", suggest(table, self.tables)
            ) from None

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self._frame(table).copy(deep=True)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self.__dict__.get("_frames", {}):
            hint = suggest(name, tuple(self.__dict__.get("_frames", {})))
            more = f"; did you mean {hint[0]!r}?" if hint else ""
            raise AttributeError(
                f"{type(self).__name__!r} has no table or attribute {name!r}{more}"
            )
        return self._frames[name].copy(deep=True)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._frames))

    def __contains__(self, table: object) -> bool:
        return table in self._frames

    def __repr__(self) -> str:
        name = self._descriptor.get("name", "data package")
        tables = ", ".join(f"{t} ({len(f)} rows)" for t, f in self._frames.items())
        return f"<Dataset {name} {self.version} from {self.path}: {tables}>"

    # --- queries (see libya_events.queries) -------------------------------------------------

    def events_between(self, start: Any, end: Any) -> pd.DataFrame:
        """Events whose date range overlaps ``start``..``end`` (both days included).

        An event without an end date is open-ended; undated events never match.
        Sorted by start_date, then event_id.
        """
        from libya_events import queries

        return queries.events_between(self._frame("events"), start, end)

    def events_with(self, actor_id: str, role: str | None = None) -> pd.DataFrame:
        """Events ``actor_id`` took part in (optionally only in ``role``), with the role columns."""
        from libya_events import queries

        return queries.events_with(
            self._frame("events"),
            self._frame("event_actors"),
            self._frame("actors"),
            actor_id,
            role,
        )

    def statements_by(self, speaker_id: str) -> pd.DataFrame:
        """Statements made by ``speaker_id``, by date."""
        from libya_events import queries

        return queries.statements_by(self._frame("statements"), self._frame("actors"), speaker_id)

    def statements_about(self, event_id: str) -> pd.DataFrame:
        """Statements made at or about ``event_id`` (its event_id or about_event_id), by date."""
        from libya_events import queries

        return queries.statements_about(self._frame("statements"), self._frame("events"), event_id)

    def affiliations_on(self, actor_id: str, date: Any) -> pd.DataFrame:
        """``actor_id``'s affiliations in force on ``date``; an empty start or end is open."""
        from libya_events import queries

        return queries.affiliations_on(
            self._frame("affiliations"), self._frame("actors"), actor_id, date
        )

    def find_actor(self, name: str) -> pd.DataFrame:
        """Actors one of whose names (name, aliases, actor_names) matches ``name``, in any
        script; see `libya_events.queries.find_actor` for the matching rules."""
        from libya_events import queries

        return queries.find_actor(self._frame("actors"), self._frames.get("actor_names"), name)

    def timeline(self, start: Any = None, end: Any = None) -> pd.DataFrame:
        """Events (overlapping ``start``..``end`` if given) joined with their participants."""
        from libya_events import queries

        return queries.timeline(
            self._frame("events"),
            self._frame("event_actors"),
            self._frame("actors"),
            start,
            end,
        )


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load a data package: the one shipped with this package, or ``path``.

    ``path`` is a directory holding ``datapackage.json`` or the descriptor file itself.
    Every table is read and typed now, so a broken package fails here, naming the file.
    """
    descriptor_path = _descriptor_path(packaged_root() if path is None else path)
    descriptor = _read_json(descriptor_path, "descriptor")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise NotADataPackageError(
            f"not a data package: {descriptor_path} has no list of resources"
        )
    root = descriptor_path.parent
    specs = [_TableSpec(root, r, i) for i, r in enumerate(resources) if "schema" in r]
    return Dataset(root, descriptor, specs)


@functools.cache
def _packaged() -> Dataset:
    return load()


def list_tables() -> list[str]:
    """The names of the packaged tables, in descriptor order."""
    return list(_packaged().tables)


def sources() -> pd.DataFrame:
    """The packaged ``sources`` table: every cited source."""
    return _packaged()["sources"]


def actors() -> pd.DataFrame:
    """The packaged ``actors`` table: people, states, governments, forces, organisations."""
    return _packaged()["actors"]


def actor_names() -> pd.DataFrame:
    """The packaged ``actor_names`` table: each actor's names in its own script and language,
    and the other spellings of the sources."""
    return _packaged()["actor_names"]


def affiliations() -> pd.DataFrame:
    """The packaged ``affiliations`` table: offices, leadership, membership, support."""
    return _packaged()["affiliations"]


def events() -> pd.DataFrame:
    """The packaged ``events`` table."""
    return _packaged()["events"]


def event_actors() -> pd.DataFrame:
    """The packaged ``event_actors`` table: who took part in each event, in what role."""
    return _packaged()["event_actors"]


def event_links() -> pd.DataFrame:
    """The packaged ``event_links`` table: typed links between events."""
    return _packaged()["event_links"]


def event_sources() -> pd.DataFrame:
    """The packaged ``event_sources`` table: further sources for each event."""
    return _packaged()["event_sources"]


def statements() -> pd.DataFrame:
    """The packaged ``statements`` table: quotes, paraphrases and claims."""
    return _packaged()["statements"]


def retired_ids() -> pd.DataFrame:
    """The packaged ``retired_ids`` table: ids that were retired, and what replaced them."""
    return _packaged()["retired_ids"]


def events_between(start: Any, end: Any) -> pd.DataFrame:
    """Packaged events overlapping ``start``..``end``; see `Dataset.events_between`."""
    return _packaged().events_between(start, end)


def events_with(actor_id: str, role: str | None = None) -> pd.DataFrame:
    """Packaged events ``actor_id`` took part in; see `Dataset.events_with`."""
    return _packaged().events_with(actor_id, role)


def statements_by(speaker_id: str) -> pd.DataFrame:
    """Packaged statements by ``speaker_id``; see `Dataset.statements_by`."""
    return _packaged().statements_by(speaker_id)


def statements_about(event_id: str) -> pd.DataFrame:
    """Packaged statements at or about ``event_id``; see `Dataset.statements_about`."""
    return _packaged().statements_about(event_id)


def affiliations_on(actor_id: str, date: Any) -> pd.DataFrame:
    """Packaged affiliations of ``actor_id`` in force on ``date``; see `Dataset.affiliations_on`."""
    return _packaged().affiliations_on(actor_id, date)


def find_actor(name: str) -> pd.DataFrame:
    """Packaged actors one of whose names matches ``name``; see `Dataset.find_actor`."""
    return _packaged().find_actor(name)


def timeline(start: Any = None, end: Any = None) -> pd.DataFrame:
    """Packaged events joined with their participants; see `Dataset.timeline`."""
    return _packaged().timeline(start, end)
