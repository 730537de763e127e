"""Hostile input never makes the validator raise or fail internally (property tests).

Random byte edits of a CSV file, and random values put anywhere in a Table Schema, record
schema or the descriptor: whatever the result, it is a report of findings, none of them an
``internal-error``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixtures.packages import copy_package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libya_events.validate import validate

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "x", "string", "date", "number", "^(", "../x", "/etc/x", "http://x.y/z"]),
    st.just([]),
    st.just({}),
    st.lists(st.integers(0, 3), max_size=2),
)
TEXT_FILES = ["event_links", "events", "sources"]
INSERTS = [b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b" ", b"=", b"\xef\xbb\xbf", b'""', b"\t"]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_package(tmp_path_factory.mktemp("robust") / "base")


def fresh(base: Path, name: str) -> Path:
    target = base.parent / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base, target)
    return target


def assert_reported(pkg: Path) -> None:
    report = validate(pkg)
    assert [f.message for f in report.findings if f.code == "internal-error"] == []
    assert report.exit_code in (0, 1, 2)


def _paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*path, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            out += _paths(value, (*path, i))
    return out


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    table=st.sampled_from(TEXT_FILES),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1), st.sampled_from(["insert", "delete", "cut"]), st.sampled_from(INSERTS)
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_byte_edits_of_a_csv_file_are_reported_not_raised(
    base: Path, table: str, edits: list[tuple[float, str, bytes]]
) -> None:
    pkg = fresh(base, "bytes")
    path = pkg / "data" / f"{table}.csv"
    data = bytearray(path.read_bytes())
    for where, op, insert in edits:
        at = int(where * len(data))
        if op == "insert":
            data[at:at] = insert
        elif op == "delete":
            del data[at : at + 7]
        else:
            del data[at:]
    path.write_bytes(bytes(data))
    assert_reported(pkg)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file=st.sampled_from(
        [
            "datapackage.json",
            "schemas/events.table.json",
            "schemas/event_actors.table.json",
            "schemas/events.record.json",
        ]
    ),
    where=st.floats(0, 1),
    value=JSON_VALUES,
    delete=st.booleans(),
)
def test_any_value_anywhere_in_a_descriptor_or_schema_is_reported_not_raised(
    base: Path, file: str, where: float, value: Any, delete: bool
) -> None:
    pkg = fresh(base, "json")
    path = pkg / file
    document = json.loads(path.read_text("utf-8"))
    paths = _paths(document)
    target = paths[min(int(where * len(paths)), len(paths) - 1)]
    parent = document
    for key in target[:-1]:
        parent = parent[key]
    if delete and isinstance(parent, dict):
        del parent[target[-1]]
    else:
        parent[target[-1]] = value
    path.write_text(json.dumps(document), "utf-8")
    assert_reported(pkg)
