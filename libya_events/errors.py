"""Every exception the package raises, and every finding code the validator reports, in one place."""

from __future__ import annotations


class LibyaEventsError(Exception):
    """Base class of every error this package raises on purpose."""


# --- API errors (load, queries) -------------------------------------------------------------


# --- Validation finding codes -----------------------------------------------------------------
