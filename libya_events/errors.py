"""Every exception the package raises, and every finding code the validator reports, in one place."""

from __future__ import annotations


class LibyaEventsError(Exception):
    """Base class of every error this package raises on purpose."""


# --- API errors (load, queries) -------------------------------------------------------------


# --- Release tools (diff, export, versions) -------------------------------------------------


class PackageReadError(LibyaEventsError):
    """A data package directory (or git revision) the release tools cannot read."""


class VersionError(LibyaEventsError):
    """A version string that is not MAJOR.MINOR.PATCH, or a release step that breaks the rules."""


class ExportError(LibyaEventsError):
    """An export that cannot be written (unknown format, destination exists, missing extra)."""


# --- Validation finding codes -----------------------------------------------------------------
