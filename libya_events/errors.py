"""Every exception the package raises, in one place."""

from __future__ import annotations


class LibyaEventsError(Exception):
    """Base class of every error this package raises on purpose."""
