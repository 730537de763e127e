"""The static site of a data package: `build(dest, package=None, overwrite=False)`.

A page per event and per actor, lists of events, actors, statements and sources, the codebook,
the coverage of the release with its figures, downloads, and a search that runs in the browser
from an index written at build time. Every link is relative, nothing is fetched from another
host, and it works from ``file://`` as well as on GitHub Pages. Templates (Jinja2) are in
``templates/``, the style sheet and scripts in ``static/``.

Needs the ``site`` extra: ``pip install 'libya-events[site]'``. The command line:
``libya-events site DEST [--package PATH] [--force]``.
"""

from __future__ import annotations

from libya_events.site.build import BuildResult, build

__all__ = ["build", "BuildResult"]
