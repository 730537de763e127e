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


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's package, built once (tests/test_site*.py)."""
    from libya_events.site import build

    dest = tmp_path_factory.mktemp("site") / "public"
    build(dest, ROOT)
    return dest


# --- hypothesis profiles for the property-based tests (tests/test_properties_*.py) ----------
# LIBYA_EVENTS_HYPOTHESIS_PROFILE=ci (default, quick) or dev (thorough, >= 2000 examples).
# The example database lives outside the repository, and is off in CI.
def _hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings
    from hypothesis.database import DirectoryBasedExampleDatabase

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    database = (
        None
        if os.environ.get("CI")
        else DirectoryBasedExampleDatabase(cache / "libya-events" / "hypothesis")
    )
    common: dict[str, Any] = {
        "deadline": None,
        "database": database,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
        "print_blob": True,
    }
    settings.register_profile("ci", max_examples=25, **common)
    settings.register_profile("dev", max_examples=2000, **common)
    settings.load_profile(os.environ.get("LIBYA_EVENTS_HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()
