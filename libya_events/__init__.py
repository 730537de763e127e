"""libya-events: the keyed, sourced dataset of the Libyan crisis, 2018-2021, and its tools."""

from __future__ import annotations

import json

from libya_events._paths import DESCRIPTOR, packaged_root

__version__: str = json.loads((packaged_root() / DESCRIPTOR).read_text(encoding="utf-8"))["version"]

# The loader imports pandas only when a table is first read.
from libya_events.load import (  # noqa: E402
    Dataset,
    actor_names,
    actors,
    affiliations,
    affiliations_on,
    event_actors,
    event_links,
    event_sources,
    events,
    events_between,
    events_with,
    find_actor,
    list_tables,
    load,
    retired_ids,
    sources,
    statements,
    statements_about,
    statements_by,
    timeline,
)


def __getattr__(name: str) -> object:
    """``libya_events.validate``, imported on first use (it loads pyarrow and frictionless).

    It is the validator's package, callable as ``validate(path=None) -> Report``.
    """
    if name == "validate":
        import importlib

        return importlib.import_module("libya_events.validate")
    raise AttributeError(f"module 'libya_events' has no attribute {name!r}")


def citation(style: str = "text") -> str:
    """How to cite the shipped release: ``"text"``, ``"bibtex"`` or ``"cff"`` (CITATION.cff)."""
    from libya_events.release import citation as _citation

    return _citation(None, style)


__all__ = [
    "__version__",
    "citation",
    "validate",
    "Dataset",
    "load",
    "list_tables",
    "sources",
    "actors",
    "actor_names",
    "affiliations",
    "events",
    "event_actors",
    "event_links",
    "event_sources",
    "statements",
    "retired_ids",
    "events_between",
    "events_with",
    "statements_by",
    "statements_about",
    "affiliations_on",
    "find_actor",
    "timeline",
]
