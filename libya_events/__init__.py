"""libya-events: the keyed, sourced dataset of the 2019-2020 Libyan crisis, and its tools."""

from __future__ import annotations

import json

from libya_events._paths import DESCRIPTOR, packaged_root

__version__: str = json.loads((packaged_root() / DESCRIPTOR).read_text(encoding="utf-8"))["version"]

__all__ = ["__version__"]
