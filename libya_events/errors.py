"""Every exception the package raises and every finding code the validator reports."""

from __future__ import annotations

from enum import Enum


class LibyaEventsError(Exception):
    """Base class of every error this package raises on purpose."""


# --- API errors (load, queries) -------------------------------------------------------------


class NotADataPackageError(LibyaEventsError):
    """A path that is not a readable data package: missing, no descriptor, malformed JSON."""


class TableReadError(LibyaEventsError):
    """A table's CSV that cannot be read as its Table Schema says (header, cell count, cell value).

    ``path``, ``line`` (1-based, or None for the whole file) and ``field`` name the spot.
    """

    def __init__(self, message: str, path: str, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.path = path
        self.line = line
        self.field = field


class UnknownIdError(LibyaEventsError, LookupError):
    """An id (actor, event, table, role) that the data package does not hold.

    The message names the id and where it was looked for, and suggests close matches.
    """

    def __init__(self, kind: str, value: object, where: str, suggestions: list[str]):
        self.kind = kind
        self.value = value
        self.where = where
        self.suggestions = suggestions
        message = f"unknown {kind} {value!r}: not in {where}"
        if suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        super().__init__(message)


class DateWindowError(LibyaEventsError, ValueError):
    """A date or date window a query cannot use: not a date, or a start after its end."""


class NameQueryError(LibyaEventsError, ValueError):
    """A name to look up that is not text, or holds no letter or digit to match."""


# --- Release tools (diff, export, versions) -------------------------------------------------


class PackageReadError(LibyaEventsError):
    """A data package directory (or git revision) the release tools cannot read."""


class PackageWriteError(LibyaEventsError):
    """A data package whose files cannot be written (`libya-events add`); none was changed."""


class VersionError(LibyaEventsError):
    """A version string that is not MAJOR.MINOR.PATCH, or a release step that breaks the rules."""


class ExportError(LibyaEventsError):
    """An export that cannot be written (unknown format, destination exists, missing extra)."""


class _Coded(str, Enum):
    """A kebab-case code with its message template (the base of `AddCode` and `Code`)."""

    template: str

    def __str__(self) -> str:
        return self.value

    def format(self, **params: object) -> str:
        """The message template filled with ``params``."""
        return self.template.format(**params)


# --- Contributions (libya-events add) ---------------------------------------------------------


class ContributionError(LibyaEventsError):
    """A contribution file (or issue body) that cannot be read as tables of rows: missing, not
    YAML or JSON, or not shaped as ``{table: [{column: value}, ...]}``.

    ``path`` and ``line`` (1-based, or None) name the spot; the message starts with them.
    """

    def __init__(self, message: str, path: str, line: int | None = None):
        where = path if line is None else f"{path} line {line}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class AddCode(_Coded):
    """A finding about the rows of a contribution itself, before the package is validated
    with them (the validator's own codes, `Code`, cover the rest). All are errors."""

    def __new__(cls, value: str, template: str) -> AddCode:
        member = str.__new__(cls, value)
        member._value_ = value
        member.template = template
        return member

    # fmt: off
    UNKNOWN_TABLE = (
        "unknown-table",
        "{table!r} is not a table of the package{hint}",
    )
    UNKNOWN_COLUMN = (
        "unknown-column",
        "table {table} has no column {field!r}{hint}",
    )
    ID_NEEDED = (
        "id-needed",
        "{field} is empty and cannot be derived ({reason}); give one",
    )
    ID_EXISTS = (
        "id-exists",
        "{key} {id!r} is already in {where} with other values ({fields}); choose "
        "a new id, or correct that row by hand",
    )
    REPEATED_ROW = (
        "repeated-row",
        "{key} {id!r} is given twice in the contribution, also at {other}",
    )
    PACKAGE_INVALID = (
        "package-invalid",
        "the package has {errors} error(s) before the contribution (libya-events validate "
        "lists them); fix those first",
    )
    # fmt: on


class SiteError(LibyaEventsError):
    """A site that cannot be built: the package does not validate (its findings are in
    ``report``), the destination exists, or the ``site`` extra is not installed."""

    def __init__(self, message: str, report: object = None):
        super().__init__(message)
        self.report = report


# --- Validation finding codes -----------------------------------------------------------------

# One member per code a validation finding can carry. Each member holds its severity, the layer
# that reports it, the message template (filled by that layer; the message then starts with
# "<path> line <n>:") and a one-line statement of the rule. The codebook is generated from here.
#
# The table-layer codes mirror the error types of frictionless-py, so its reports and ours can be
# compared; the others are this project's.


class Code(_Coded):
    """A validation finding code: a kebab-case string with its severity, layer, template, rule."""

    severity: str
    layer: str
    template: str
    rule: str
    fatal: bool

    def __new__(
        cls, value: str, severity: str, layer: str, template: str, rule: str, fatal: bool = False
    ) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.severity = severity
        member.layer = layer
        member.template = template
        member.rule = rule
        member.fatal = fatal
        return member

    # fmt: off
    # -- package: the descriptor and the files it points at --------------------------------------
    DESCRIPTOR_MISSING = (
        "descriptor-missing", "error", "package",
        "no datapackage.json in {where}",
        "The path to validate is a data package directory or its datapackage.json.",
        True,
    )
    DESCRIPTOR_UNREADABLE = (
        "descriptor-unreadable", "error", "package",
        "cannot read the descriptor: {reason}",
        "datapackage.json is a readable UTF-8 file holding one JSON object.",
        True,
    )
    NOT_A_PACKAGE = (
        "not-a-package", "error", "package",
        "{reason}",
        "The descriptor lists its tables as a non-empty 'resources' array of objects.",
        True,
    )
    DESCRIPTOR_INVALID = (
        "descriptor-invalid", "error", "package",
        "{note}",
        "The descriptor, its Table Schemas and dialects follow the Frictionless specs.",
    )
    UNSAFE_PATH = (
        "unsafe-path", "error", "package",
        "{what} {value!r} {reason}; the validator reads nothing outside the package directory",
        "Every path in the descriptor is relative, has no '..' and stays inside the package "
        "directory, symlinks included.",
    )
    REMOTE_REFERENCE = (
        "remote-reference", "error", "package",
        "{what} {value!r} is remote; the validator never fetches anything",
        "No resource path, schema, dialect, profile or foreign-key package is a URL.",
    )
    UNSUPPORTED_RESOURCE = (
        "unsupported-resource", "error", "package",
        "resource {resource!r}: {reason}",
        "Every resource is one local, uncompressed CSV file with a Table Schema.",
    )
    FILE_MISSING = (
        "file-missing", "error", "package",
        "the file does not exist",
        "Every resource's path names an existing file.",
    )
    FILE_UNREADABLE = (
        "file-unreadable", "error", "package",
        "cannot read the file: {reason}",
        "Every resource's path names a readable regular file.",
    )
    SCHEMA_UNREADABLE = (
        "schema-unreadable", "error", "package",
        "cannot read the Table Schema: {reason}",
        "Every table's Table Schema is a readable JSON object.",
    )
    RECORD_SCHEMA_UNREADABLE = (
        "record-schema-unreadable", "error", "package",
        "cannot use the record JSON Schema: {reason}; records of this table were not checked",
        "Every table has a readable schemas/<table>.record.json (made by scripts/build.py).",
    )

    # -- text: bytes and characters of each CSV file ---------------------------------------------
    EMPTY_FILE = (
        "empty-file", "error", "text",
        "the file is empty; it needs at least the header row",
        "A CSV file holds at least its header row.",
    )
    BOM = (
        "bom", "error", "text",
        "the file starts with a byte order mark; save it as UTF-8 without BOM",
        "A CSV file is UTF-8 without a byte order mark.",
    )
    BARE_CR = (
        "bare-cr", "error", "text",
        "this row ends with a bare CR (old Mac line endings), which git and GitHub do not count "
        "as a line break; save the file with LF line endings",
        "Rows end with LF or CRLF, never with a bare CR.",
    )
    INVALID_UTF8 = (
        "invalid-utf8", "error", "text",
        "byte {byte} is not valid UTF-8; save the file as UTF-8",
        "A CSV file is valid UTF-8.",
    )
    NUL_BYTE = (
        "nul-byte", "error", "text",
        "{field} contains a NUL byte",
        "No cell contains a NUL byte.",
    )
    UNCLOSED_QUOTE = (
        "unclosed-quote", "error", "text",
        "a quoted cell opens here and is never closed; the rest of the file was read as one cell",
        "Every quoted cell is closed by a matching quote.",
    )
    HUGE_FIELD = (
        "huge-field", "error", "text",
        "{field} is {size} bytes long, over the limit of {limit} bytes",
        "No cell is longer than the cell size limit (1 MB by default).",
    )
    FORMULA_PREFIX = (
        "formula-prefix", "error", "text",
        "{field} starts with {char!r}, which spreadsheets run as a formula; reword it",
        "No text cell starts with '=', '+', '-' or '@' (spreadsheet formula injection).",
    )
    NOT_NFC = (
        "not-nfc", "error", "text",
        "{field} is not in Unicode NFC; normalise it (unicodedata.normalize('NFC', text))",
        "Text is in Unicode normalisation form NFC.",
    )
    WHITESPACE = (
        "whitespace", "error", "text",
        "{field} has {where} whitespace; remove it",
        "No cell starts or ends with whitespace.",
    )
    CONTROL_CHARACTER = (
        "control-character", "error", "text",
        "{field} contains the control character {char}",
        "No cell contains a control character other than a line break.",
    )

    # -- table: header and rows against the Table Schema (frictionless error types) -------------
    BLANK_LABEL = (
        "blank-label", "error", "table",
        "header column {position} is blank; it should be {field!r}",
        "No header label is blank.",
    )
    DUPLICATE_LABEL = (
        "duplicate-label", "error", "table",
        "header label {label!r} at column {position} repeats column {first}",
        "No header label appears twice.",
    )
    INCORRECT_LABEL = (
        "incorrect-label", "error", "table",
        "header column {position} is {label!r}; the schema names it {field!r}",
        "Each header label is the name of the schema field at its position.",
    )
    EXTRA_LABEL = (
        "extra-label", "error", "table",
        "header column {position} {label!r} is not in the schema; remove the column or add "
        "the field to the Table Schema",
        "The header has no column beyond the schema's fields.",
    )
    MISSING_LABEL = (
        "missing-label", "error", "table",
        "the header lacks column {position} {field!r} of the schema",
        "The header has a column for every schema field.",
    )
    MISSING_HEADER = (
        "missing-header", "error", "table",
        "the first line is a data row, not the header; add the header line {header!r}",
        "A CSV file starts with its header row.",
    )
    DUPLICATE_HEADER = (
        "duplicate-header", "error", "table",
        "this row repeats the header; remove it",
        "The header appears once, on line 1.",
    )
    BLANK_ROW = (
        "blank-row", "error", "table",
        "the row is blank; remove it",
        "No row is blank.",
    )
    EXTRA_CELL = (
        "extra-cell", "error", "table",
        "the row has {count} cells, {extra} more than the {expected} header columns",
        "No row has more cells than the header.",
    )
    MISSING_CELL = (
        "missing-cell", "error", "table",
        "the row has {count} cells, fewer than the {expected} header columns; {field} is missing",
        "No row has fewer cells than the header.",
    )
    TYPE_ERROR = (
        "type-error", "error", "table",
        "{field} {value!r} is not a {expected}",
        "Every cell parses as its field's type and format.",
    )
    CONSTRAINT_ERROR = (
        "constraint-error", "error", "table",
        "{field} {detail}",
        "Every cell meets its field's constraints (required, pattern, enum, minimum, maximum, "
        "minLength, maxLength).",
    )
    UNIQUE_ERROR = (
        "unique-error", "error", "table",
        "{field} {value!r} repeats line {first}; it must be unique",
        "A field with a unique constraint holds no value twice.",
    )
    PRIMARY_KEY = (
        "primary-key", "error", "table",
        "primary key {key} {detail}",
        "No two rows share a primary key.",
    )
    FOREIGN_KEY = (
        "foreign-key", "error", "table",
        "{fields} {values} is not found in {ref_table}.{ref_fields}; add that row to "
        "{ref_path} or fix the reference",
        "Every foreign key declared in a Table Schema points at an existing row.",
    )

    # -- record: each row as a JSON record against schemas/<table>.record.json -------------------
    RECORD_RULE = (
        "record-rule", "error", "record",
        "breaks the record rule: {rule} ({detail})",
        "Every record meets its table's record rules (the allOf rules of its JSON Schema).",
    )
    RECORD_ERROR = (
        "record-error", "error", "record",
        "{detail}",
        "Every record conforms to its table's JSON Schema.",
    )

    # -- rules: across rows and tables (libya_events/rules.py) -----------------------------------
    MISSING_REFERENCE = (
        "missing-reference", "error", "rules",
        "{field} {value!r} is not a {ref_field} in {ref_table}",
        "Every referenced actor, event, source and affiliation exists, declared as a foreign "
        "key or not.",
    )
    PARENT_CYCLE = (
        "parent-cycle", "error", "rules",
        "parent_event_id makes a cycle: {cycle}",
        "Following parent_event_id never leads back to the same event.",
    )
    AFFILIATION_CYCLE = (
        "affiliation-cycle", "error", "rules",
        "affiliations make a cycle: {cycle}",
        "Following affiliations from actor to organisation never leads back to the same actor.",
    )
    SELF_AFFILIATION = (
        "self-affiliation", "error", "rules",
        "actor {value!r} is affiliated with itself",
        "An actor is not affiliated with itself.",
    )
    DATE_ORDER = (
        "date-order", "error", "rules",
        "{end_field} {end} is before {start_field} {start}",
        "A start date is on or before its end date, in every table.",
    )
    DATE_PRECISION = (
        "date-precision", "error", "rules",
        "{detail}",
        "Dates match their precision: range start < end; month the 1st to the last day of one "
        "month; year 1 January to 31 December of one year; month/year affiliation dates on the "
        "1st.",
    )
    CHILD_OUTSIDE_PARENT = (
        "child-outside-parent", "error", "rules",
        "event {value!r} ({span}) is not within its parent {parent!r} ({parent_span})",
        "A child event's dates lie within its parent event's.",
    )
    STATEMENT_OUTSIDE_EVENT = (
        "statement-outside-event", "error", "rules",
        "date {value} is not within event {event!r} ({span})",
        "A statement's date lies within the span of the event it was made at.",
    )
    AFFILIATION_OTHER_ACTOR = (
        "affiliation-other-actor", "error", "rules",
        "affiliation_id {value!r} is an affiliation of {owner!r}, not of actor_id {actor!r}",
        "The affiliation in which an actor acts at an event is that actor's own.",
    )
    AFFILIATION_NOT_IN_FORCE = (
        "affiliation-not-in-force", "error", "rules",
        "affiliation {value!r} ({aff_span}) was not in force during event {event!r} ({span})",
        "The affiliation in which an actor acts at an event is in force on the event's dates.",
    )
    AFTER_PUBLICATION = (
        "after-publication", "error", "rules",
        "{detail}",
        "Nothing is reported as having happened after its source was published: occurred or "
        "ongoing events start, and statements are dated, on or before the source's date.",
    )
    ORPHAN_ACTOR = (
        "orphan-actor", "warning", "rules",
        "actor {value!r} is referenced by no row of any table (its own names aside)",
        "Every actor takes part in an event, speaks, or is affiliated (warning).",
    )
    ORPHAN_SOURCE = (
        "orphan-source", "warning", "rules",
        "source {value!r} is cited by no row of any table",
        "Every source is cited by at least one row (warning).",
    )
    RULE_SKIPPED = (
        "rule-skipped", "warning", "rules",
        "rule {rule} was not checked: {reason}",
        "Every cross-table rule finds the tables and columns it needs.",
    )

    # -- history: stable ids, against the previous release (libya_events.validate.history) ----
    ID_REMOVED = (
        "id-removed", "error", "history",
        "{key} {id!r} was in release {old_version} and is missing; restore the row or record "
        "it in {retired_path} (table, id, retired_in {new_version}, reason, replaced_by, notes)",
        "An id released in an earlier version stays in its table or is recorded in "
        "retired_ids; a row that refers to a retired id is covered by that record.",
    )
    ID_REUSED = (
        "id-reused", "error", "history",
        "{key} {id!r} was retired in {retired_in} ({retired_path} line {retired_line}) and is "
        "used again; give this row a new id",
        "A retired id is never used again.",
    )
    RETIRED_INVALID = (
        "retired-invalid", "error", "history",
        "{reason}",
        "A retired_ids row names a table of the package, a replaced_by that exists there, and "
        "the version that retired it; rows are never removed from retired_ids.",
    )
    PREVIOUS_UNREADABLE = (
        "previous-unreadable", "error", "history",
        "the previous release {where} cannot be read: {reason}",
        "The previous release given with --previous is a readable data package.",
    )

    # -- any layer -------------------------------------------------------------------------------
    INTERNAL_ERROR = (
        "internal-error", "error", "package",
        "{stage} failed unexpectedly ({error}); the rest of the report stands, please "
        "report this",
        "The validator itself runs to the end (an unexpected failure is reported, not raised).",
    )
    # fmt: on
