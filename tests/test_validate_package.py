"""The package layer: finding and reading the descriptor, refusing unsafe or remote paths,
never writing, and the real package being valid."""

from __future__ import annotations

import builtins
import io
import json
import os
import sys
from pathlib import Path

import pytest
from conftest import TABLES
from fixtures.packages import copy_package, csv_path, read_json, rows, snapshot, write_json

from libya_events._paths import packaged_root
from libya_events.validate import validate

KEYS = ["code", "table", "line", "field"]


@pytest.fixture
def pkg(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


def test_the_real_package_is_valid_without_warnings(root: Path) -> None:
    report = validate(root)
    assert report.flatten(KEYS) == []
    assert (report.valid, report.exit_code) == (True, 0)
    assert report.stats["tables"] == len(TABLES)
    assert report.stats["rows"] == sum(len(rows(root, t)) for t in TABLES)


def test_a_datapackage_json_path_works_like_its_directory(pkg: Path) -> None:
    assert validate(pkg / "datapackage.json").to_dict() | {"stats": None} == validate(
        pkg
    ).to_dict() | {"stats": None}


def test_the_default_is_the_current_directory_when_it_holds_a_package(
    pkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(pkg)
    assert validate().package == str(pkg)


def test_the_default_elsewhere_is_the_packaged_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    report = validate()
    assert report.package == str(packaged_root())
    assert report.valid


# -- unreadable input: exit status 2 ------------------------------------------------------------


def test_a_directory_without_a_descriptor(tmp_path: Path) -> None:
    report = validate(tmp_path)
    assert report.flatten(KEYS) == [["descriptor-missing", None, None, None]]
    assert report.exit_code == 2


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    report = validate(tmp_path / "nowhere")
    assert report.flatten(["code"]) == [["descriptor-missing"]]
    assert report.exit_code == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"name": "x",\n "resources": [}', "not JSON: line 2, column 16: Expecting value"),
        (b'{"name": "\xff"}', "not UTF-8 (byte 0xff at offset 10)"),
    ],
)
def test_a_descriptor_that_cannot_be_read(pkg: Path, content: bytes, reason: str) -> None:
    (pkg / "datapackage.json").write_bytes(content)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["descriptor-unreadable", None, None, None]]
    assert report.findings[0].message == f"datapackage.json: cannot read the descriptor: {reason}"
    assert report.exit_code == 2


@pytest.mark.parametrize("descriptor", [[1, 2], {"name": "x"}, {"resources": []}])
def test_json_that_is_not_a_package(pkg: Path, descriptor: object) -> None:
    write_json(pkg, "datapackage.json", descriptor)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["not-a-package", None, None, None]]
    assert report.exit_code == 2


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")
def test_a_descriptor_that_is_a_named_pipe_is_not_opened(pkg: Path) -> None:
    (pkg / "datapackage.json").unlink()
    os.mkfifo(pkg / "datapackage.json")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["descriptor-unreadable", None, None, None]]
    assert report.findings[0].message.endswith("not a regular file")


# -- the descriptor and schemas ----------------------------------------------------------------


def test_frictionless_checks_the_table_schema(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/event_links.table.json")
    schema["fields"][1]["type"] = "strnig"
    write_json(pkg, "schemas/event_links.table.json", schema)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["descriptor-invalid", "event_links", None, None]]
    assert report.findings[0].path == "schemas/event_links.table.json"
    assert "strnig" in report.findings[0].message


def test_frictionless_checks_the_descriptor(pkg: Path) -> None:
    descriptor = read_json(pkg, "datapackage.json")
    descriptor["created"] = "yesterday"
    write_json(pkg, "datapackage.json", descriptor)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["descriptor-invalid", None, None, None]]
    assert report.findings[0].message == (
        'datapackage.json: property "created" is not valid "datetime"'
    )


def test_a_missing_table_schema_file(pkg: Path) -> None:
    (pkg / "schemas" / "event_links.table.json").unlink()
    report = validate(pkg)
    assert report.flatten(KEYS) == [["schema-unreadable", "event_links", None, None]]
    assert report.findings[0].message == (
        "schemas/event_links.table.json: cannot read the Table Schema: the file does not exist"
    )


def test_a_missing_data_file(pkg: Path) -> None:
    csv_path(pkg, "event_links").unlink()
    assert validate(pkg).flatten(KEYS) == [["file-missing", "event_links", None, None]]


def test_a_missing_record_schema(pkg: Path) -> None:
    (pkg / "schemas" / "event_links.record.json").unlink()
    assert validate(pkg).flatten(KEYS) == [["record-schema-unreadable", "event_links", None, None]]


def test_a_record_schema_that_is_not_a_json_schema(pkg: Path) -> None:
    write_json(pkg, "schemas/event_links.record.json", {"type": 12})
    report = validate(pkg)
    assert report.flatten(KEYS) == [["record-schema-unreadable", "event_links", None, None]]
    assert "not a valid JSON Schema" in report.findings[0].message


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"data": [["a"]], "path": None}, "inline 'data' is not supported"),
        ({"compression": "gz"}, "compression 'gz' is not supported"),
        ({"path": ["data/event_links.csv"]}, "a multipart 'path' is not supported"),
    ],
)
def test_resources_the_validator_does_not_read(pkg: Path, change: dict, reason: str) -> None:
    descriptor = read_json(pkg, "datapackage.json")
    resource = next(r for r in descriptor["resources"] if r["name"] == "event_links")
    resource.update(change)
    if resource.get("path") is None:
        del resource["path"]
    write_json(pkg, "datapackage.json", descriptor)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["unsupported-resource", None, None, None]]
    assert reason in report.findings[0].message


# -- safety: nothing outside the package is read, nothing is fetched, nothing is written ---------


def _set_resource(pkg: Path, key: str, value: object, table: str = "event_links") -> None:
    descriptor = read_json(pkg, "datapackage.json")
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    resource[key] = value
    write_json(pkg, "datapackage.json", descriptor)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A CSV outside the package that a hostile descriptor points at."""
    path = tmp_path / "outside" / "secret.csv"
    path.parent.mkdir()
    path.write_text("event_id,relation,related_event_id,source_id,notes\n", "utf-8")
    return path


@pytest.fixture
def no_reads_of(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make any attempt to open a file under a forbidden directory fail the test."""
    forbidden: list[Path] = []
    real_open = io.open

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, str | os.PathLike):
            resolved = Path(file).resolve()
            for folder in forbidden:
                assert folder not in resolved.parents, f"read {resolved}"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(builtins, "open", guarded_open)
    return forbidden


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("ABSOLUTE", "is absolute"),
        ("../outside/secret.csv", "climbs out with '..'"),
        ("data/../../outside/secret.csv", "climbs out with '..'"),
        ("~/secret.csv", "uses a home directory or variable"),
        ("$HOME/secret.csv", "uses a home directory or variable"),
        ("data\\..\\..\\secret.csv", "climbs out with '..'"),
        ("file:///etc/passwd", "is a file: URL"),
    ],
)
def test_a_path_out_of_the_package_is_refused(
    pkg: Path, secret: Path, no_reads_of: list[Path], value: str, reason: str
) -> None:
    no_reads_of.append(secret.parent)
    _set_resource(pkg, "path", str(secret) if value == "ABSOLUTE" else value)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["unsafe-path", None, None, None]]
    assert reason in report.findings[0].message


def test_a_symlink_out_of_the_package_is_refused(
    pkg: Path, secret: Path, no_reads_of: list[Path]
) -> None:
    no_reads_of.append(secret.parent)
    csv_path(pkg, "event_links").unlink()
    csv_path(pkg, "event_links").symlink_to(secret)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["unsafe-path", None, None, None]]
    assert "leads outside through a symlink" in report.findings[0].message


def test_a_symlink_inside_the_package_is_fine(pkg: Path) -> None:
    target = pkg / "data" / "links.csv"
    csv_path(pkg, "event_links").rename(target)
    csv_path(pkg, "event_links").symlink_to(target)
    assert validate(pkg).flatten(KEYS) == []


def test_a_schema_out_of_the_package_is_refused(
    pkg: Path, secret: Path, no_reads_of: list[Path]
) -> None:
    no_reads_of.append(secret.parent)
    _set_resource(pkg, "schema", "../outside/schema.json")
    report = validate(pkg)
    assert report.flatten(KEYS) == [["unsafe-path", None, None, None]]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("path", "https://example.org/links.csv"),
        ("schema", "https://example.org/links.schema.json"),
        ("dialect", "https://example.org/dialect.json"),
        ("profile", "https://example.org/profile.json"),
        ("scheme", "https"),
    ],
)
def test_nothing_remote_is_fetched(
    pkg: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the validator opened a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    _set_resource(pkg, key, value)
    report = validate(pkg)
    assert report.flatten(["code"]) == [["remote-reference"]]


def test_a_remote_package_profile_is_refused(pkg: Path) -> None:
    descriptor = read_json(pkg, "datapackage.json")
    descriptor["profile"] = "https://example.org/my-profile.json"
    write_json(pkg, "datapackage.json", descriptor)
    assert validate(pkg).flatten(KEYS) == [["remote-reference", None, None, None]]


def test_a_remote_ref_in_a_record_schema_is_refused(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/event_links.record.json")
    schema["properties"]["notes"] = {"$ref": "https://example.org/notes.json"}
    write_json(pkg, "schemas/event_links.record.json", schema)
    report = validate(pkg)
    assert report.flatten(KEYS) == [["remote-reference", None, None, None]]
    assert report.findings[0].path == "schemas/event_links.record.json"


def test_a_foreign_key_to_another_package_is_refused(pkg: Path) -> None:
    schema = read_json(pkg, "schemas/event_links.table.json")
    schema["foreignKeys"][0]["reference"]["package"] = "https://example.org/datapackage.json"
    write_json(pkg, "schemas/event_links.table.json", schema)
    assert validate(pkg).flatten(["code"]) == [["remote-reference"]]


@pytest.mark.parametrize("broken", [False, True])
def test_validation_never_writes_to_the_package(pkg: Path, broken: bool) -> None:
    if broken:
        csv_path(pkg, "events").write_bytes(b"\xef\xbb\xbf" + csv_path(pkg, "events").read_bytes())
        csv_path(pkg, "event_links").write_bytes(b"event_id\n,,\n")
    before = snapshot(pkg)
    report = validate(pkg)
    assert report.valid is not broken
    assert snapshot(pkg) == before


# -- robustness --------------------------------------------------------------------------------


def test_an_unexpected_failure_is_a_finding_and_the_rest_still_runs(
    pkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from libya_events.validate import table

    def broken(state: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(table, "check_keys", broken)
    (pkg / "data" / "event_links.csv").write_bytes(
        (pkg / "data" / "event_links.csv").read_bytes() + b"a,refers-to,b,c,\xef\xbb\xbf\n"
    )
    report = validate(pkg)
    codes = report.flatten(["code", "table"])
    assert ["internal-error", "sources"] in codes
    assert ["foreign-key", "event_links"] in codes
    internal = next(f for f in report.findings if f.code == "internal-error")
    assert internal.message == (
        "data/sources.csv: the table layer failed unexpectedly (RuntimeError: boom); the rest "
        "of the report stands, please report this"
    )


def test_the_descriptor_survives_a_json_round_trip_unchanged(pkg: Path) -> None:
    before = (pkg / "datapackage.json").read_text("utf-8")
    validate(pkg)
    assert json.loads((pkg / "datapackage.json").read_text("utf-8")) == json.loads(before)
