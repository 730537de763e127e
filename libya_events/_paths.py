"""Where the packaged data package lives: inside an installed wheel or in a checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
DESCRIPTOR = "datapackage.json"


def packaged_root() -> Path:
    """Directory holding the data package shipped with this installation.

    A wheel carries it under ``libya_events/_package``; an editable install or a
    checkout finds it at the repository root, one level above the package.
    """
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise FileNotFoundError(
        f"no {DESCRIPTOR} found in {_HERE / '_package'} or {_HERE.parent}; "
        "the installation is missing its data package"
    )
