"""Property: arbitrary bytes in place of a CSV, or an arbitrary JSON value in place of the
descriptor, never raise out of validate: they end in findings, never an internal error."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from libya_events import cli
from libya_events.testing import Tables, read_tables, shipped_schemas, write_package
from libya_events.testing.strategies import packages
from libya_events.validate import validate

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
# Bytes of every kind: random, text with CSV's special characters, and text behind the
# right header, so the row parser and the typed layers see them too.
CSV_TEXT = st.text(st.sampled_from(',"\n\r\t ab1-=é\x00\ufeff'), max_size=80)


def table_bytes(header: str) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=200),
        CSV_TEXT.map(lambda t: t.encode("utf-8")),
        st.tuples(CSV_TEXT, st.binary(max_size=40)).map(
            lambda p: (header + "\n" + p[0]).encode("utf-8") + p[1]
        ),
    )


def run_cli(directory: Path) -> int:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = cli.main(["validate", str(directory), "--format", "json"])
    json.loads(out.getvalue())
    return status


def frictionless_errors(directory: Path) -> list[str]:
    from frictionless import Package

    report = Package(str(directory / "datapackage.json")).validate()
    return [f"{e.type}: {e.note}" for e in report.errors] + [
        f"{task.name}: {e.type}: {e.note}" for task in report.tasks for e in task.errors
    ]


def internal_errors(report: Any) -> list[str]:
    return [f.message for f in report.findings if f.code == "internal-error"]


@given(packages(max_events=3), st.data())
def test_arbitrary_bytes_in_place_of_a_csv_end_in_findings(tables: Tables, data) -> None:
    schemas = shipped_schemas()
    table = data.draw(st.sampled_from(schemas.names), label="table")
    header = ",".join(schemas.field_names(table))
    raw = data.draw(table_bytes(header), label="bytes")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_package(tables, directory)
        path = directory / schemas.resource(table)["path"]
        path.write_bytes(raw)
        report = validate(directory)
        assert internal_errors(report) == []
        here = [f for f in report.findings if f.table == table]
        if not raw.startswith(header.encode() + b"\n"):
            assert any(f.severity == "error" for f in here), report.flatten()
            assert report.exit_code == 1
        # a bare CR ends a row for the CSV readers; the layers differ on whether it ends a
        # line (see test_properties_examples), so either count is accepted here
        lines = raw.count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r") + 1
        assert all(f.line is None or 1 <= f.line <= lines for f in here), report.flatten()
        assert run_cli(directory) == report.exit_code


def _is_a_package(value: Any) -> bool:
    resources = value.get("resources") if isinstance(value, dict) else None
    return (
        bool(resources)
        and isinstance(resources, list)
        and all(isinstance(r, dict) for r in resources)
    )


@given(st.one_of(JSON, st.binary(max_size=60)))
def test_an_arbitrary_descriptor_ends_in_findings(value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_package(read_tables(), directory)
        raw = value if isinstance(value, bytes) else json.dumps(value).encode()
        (directory / "datapackage.json").write_bytes(raw)
        report = validate(directory)
        assert internal_errors(report) == []
        assert report.errors
        if isinstance(value, bytes) or not _is_a_package(value):
            assert report.exit_code == 2, report.flatten()
        assert run_cli(directory) == report.exit_code


@st.composite
def descriptors_with_one_value_replaced(draw: st.DrawFn) -> dict[str, Any]:
    """The real descriptor with one value, at any depth, replaced by arbitrary JSON."""
    descriptor = copy.deepcopy(shipped_schemas().descriptor)
    node: Any = descriptor
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and draw(st.booleans()):
            node = child
            continue
        node[key] = draw(JSON)
        break
    return descriptor


@given(descriptors_with_one_value_replaced())
def test_a_descriptor_with_any_value_replaced_never_breaks_the_validator(descriptor) -> None:
    """No internal error, nothing written, and a descriptor we pass frictionless passes too."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "package"
        write_package(read_tables(), directory)
        (directory / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        before = {p: p.read_bytes() for p in directory.rglob("*") if p.is_file()}
        report = validate(directory)
        assert internal_errors(report) == []
        assert report.exit_code in (0, 1, 2)
        assert {p: p.read_bytes() for p in directory.rglob("*") if p.is_file()} == before
        assert run_cli(directory) == report.exit_code
        if report.exit_code == 0:  # (then nothing is remote, so frictionless fetches nothing)
            assert frictionless_errors(directory) == []
