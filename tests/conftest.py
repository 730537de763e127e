"""Shared test fixtures: the repository's data package and the shared source texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_SOURCE = ROOT.parent / "shared" / "source"
DESCRIPTOR: dict[str, Any] = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
TABLES: list[str] = [r["name"] for r in DESCRIPTOR["resources"]]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def shared_source() -> Path:
    if not (SHARED_SOURCE / "REFERENCES.md").is_file():
        pytest.skip("shared/source is not beside this checkout")
    return SHARED_SOURCE
