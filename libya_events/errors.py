"""Every exception the package raises, and every finding code the validator reports, in one place."""

from __future__ import annotations


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


# --- Release tools (diff, export, versions) -------------------------------------------------


class PackageReadError(LibyaEventsError):
    """A data package directory (or git revision) the release tools cannot read."""


class VersionError(LibyaEventsError):
    """A version string that is not MAJOR.MINOR.PATCH, or a release step that breaks the rules."""


class ExportError(LibyaEventsError):
    """An export that cannot be written (unknown format, destination exists, missing extra)."""


# --- Validation finding codes -----------------------------------------------------------------
