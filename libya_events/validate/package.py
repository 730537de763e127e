"""The package layer: find and read the descriptor safely, resolve every table, check the specs.

Nothing the descriptor names is followed blindly. Paths must be relative and stay inside the
package directory (symlinks included); URLs and remote profiles are findings, never fetched.
Schemas and dialects are read here and handed to frictionless inline, so its descriptor check
reads no file and opens no connection.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlparse

from libya_events._paths import DESCRIPTOR, packaged_root
from libya_events.errors import Code
from libya_events.report import Finding
from libya_events.validate import plain
from libya_events.validate.context import TableSpec
from libya_events.validate.files import Dialect

#: The largest descriptor or schema file read (a JSON file larger than this is a finding).
JSON_LIMIT = 50 * 1024 * 1024
#: Profiles frictionless knows without fetching: the spec URLs and the profile names.
_KNOWN_PROFILE = re.compile(
    r"^(https://specs\.frictionlessdata\.io/schemas/[a-z-]+\.json"
    r"|https://datapackage\.org/profiles/[0-9.]+/[a-z-]+\.json"
    r"|data-package|tabular-data-package|data-resource|tabular-data-resource)$"
)
_JSON_SCHEMA_DIALECTS = re.compile(r"^https://json-schema\.org/draft[-/0-9a-z]*/schema#?$")


@dataclass
class PackageLoad:
    """The outcome of reading a package: where it is, its tables, and what went wrong."""

    root: Path | None = None
    descriptor_path: Path | None = None
    descriptor: dict[str, Any] = field(default_factory=dict)
    tables: list[TableSpec] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(f.fatal for f in self.findings)


def _finding(
    code: Code, path: str = DESCRIPTOR, table: str | None = None, **params: Any
) -> Finding:
    return Finding.make(code, table=table, path=path, **params)


def locate(path: str | os.PathLike[str] | None) -> tuple[Path, Path] | Finding:
    """(package directory, descriptor) for ``path``; the default is the current directory when
    it holds a datapackage.json, else the packaged data."""
    if path is None:
        here = Path.cwd()
        root = here if (here / DESCRIPTOR).is_file() else packaged_root()
        return root, root / DESCRIPTOR
    p = Path(path)
    if p.is_dir():
        descriptor = p / DESCRIPTOR
        if not descriptor.exists():
            return _finding(Code.DESCRIPTOR_MISSING, path=str(p), where=str(p))
        return p, descriptor
    if p.exists():
        return p.parent, p
    return _finding(Code.DESCRIPTOR_MISSING, path=str(p), where=f"{p} (no such file or directory)")


def read_json(file: Path) -> Any:
    """A JSON file's content; raises ValueError with a readable reason."""
    try:
        info = file.stat()
    except FileNotFoundError:
        raise ValueError("the file does not exist") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > JSON_LIMIT:
        raise ValueError(f"{info.st_size} bytes, over the {JSON_LIMIT}-byte limit")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ValueError("not JSON: nested too deeply") from None


def check_path(root: Path, value: object, what: str) -> tuple[Path | None, Finding | None]:
    """The file a descriptor path names, or the finding that says why it is refused."""
    if not isinstance(value, str) or not value:
        return None, _finding(Code.DESCRIPTOR_INVALID, note=f"{what} must be a non-empty string")
    scheme = urlparse(value).scheme
    if scheme and not PureWindowsPath(value).drive:
        if scheme == "file":
            return None, _finding(Code.UNSAFE_PATH, what=what, value=value, reason="is a file: URL")
        return None, _finding(Code.REMOTE_REFERENCE, what=what, value=value)
    reason = None
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute():
        reason = "is absolute"
    elif PureWindowsPath(value).drive:
        reason = "names a drive"
    elif ".." in re.split(r"[\\/]", value):
        reason = "climbs out with '..'"
    elif value.startswith("~") or "$" in value or re.search(r"%[^%]+%", value):
        reason = "uses a home directory or variable"
    elif "\\" in value:
        reason = "uses backslashes (write paths with '/')"
    if reason:
        return None, _finding(Code.UNSAFE_PATH, what=what, value=value, reason=reason)
    target = root / value
    try:
        resolved = target.resolve()
        resolved.relative_to(root.resolve())
    except ValueError:
        return None, _finding(
            Code.UNSAFE_PATH, what=what, value=value, reason="leads outside through a symlink"
        )
    except OSError as exc:
        return None, _finding(
            Code.UNSAFE_PATH, what=what, value=value, reason=f"cannot be resolved ({exc})"
        )
    return target, None


def _dialect_char_findings(dialect: dict[str, Any], name: str) -> list[Finding]:
    """Dialect characters that cannot be one, or that clash (frictionless cannot read such a
    table; `Dialect.from_descriptor` falls back to the defaults, so it is reported here).
    A value that is not a string is frictionless's descriptor finding."""
    found: list[Finding] = []
    chars = {"delimiter": ",", "quoteChar": '"'}  # the defaults
    for key in ("delimiter", "quoteChar", "escapeChar"):
        value = dialect.get(key)
        if not isinstance(value, str):
            continue
        if len(value) == 1 and value not in "\r\n":
            chars[key] = value
            continue
        found.append(
            _finding(
                Code.DESCRIPTOR_INVALID,
                note=f"dialect of {name!r}: {key} {value!r} is not a single character other "
                "than a line break",
            )
        )
    if len(set(chars.values())) < len(chars):
        found.append(
            _finding(
                Code.DESCRIPTOR_INVALID,
                note=f"dialect of {name!r}: delimiter, quoteChar and escapeChar must differ",
            )
        )
    return found


def _profile_findings(obj: object, what: str) -> list[Finding]:
    found: list[Finding] = []
    if not isinstance(obj, dict):
        return found
    for key in ("profile", "$schema"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            found.append(_finding(Code.DESCRIPTOR_INVALID, note=f"{what} {key} is not a string"))
        elif isinstance(value, str) and not _KNOWN_PROFILE.match(value):
            if urlparse(value).scheme:
                found.append(_finding(Code.REMOTE_REFERENCE, what=f"{what} {key}", value=value))
            else:
                found.append(
                    _finding(
                        Code.UNSAFE_PATH,
                        what=f"{what} {key}",
                        value=value,
                        reason="is a custom profile, which is not supported",
                    )
                )
    return found


def strip_profiles(obj: dict[str, Any]) -> None:
    """Remove the profiles frictionless would try to fetch (each one is already a finding)."""
    for key in ("profile", "$schema"):
        if key in obj and not (isinstance(obj[key], str) and _KNOWN_PROFILE.match(obj[key])):
            del obj[key]


def _local_refs(schema: Any, path: str) -> list[Finding]:
    """Findings for "$ref"s in a record JSON Schema that point outside the document."""
    found: list[Finding] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append(_finding(Code.REMOTE_REFERENCE, path=path, what="$ref", value=ref))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load(path: str | os.PathLike[str] | None) -> PackageLoad:
    """Read the package at ``path``: descriptor, tables, schemas; never raises for bad input."""
    out = PackageLoad()
    located = locate(path)
    if isinstance(located, Finding):
        out.findings.append(located)
        return out
    root, descriptor_path = located
    out.root, out.descriptor_path = root, descriptor_path
    name = descriptor_path.name
    try:
        descriptor = read_json(descriptor_path)
    except ValueError as exc:
        out.findings.append(_finding(Code.DESCRIPTOR_UNREADABLE, path=name, reason=exc))
        return out
    if not isinstance(descriptor, dict):
        out.findings.append(
            _finding(Code.NOT_A_PACKAGE, path=name, reason="the descriptor is not a JSON object")
        )
        return out
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        out.findings.append(
            _finding(
                Code.NOT_A_PACKAGE,
                path=name,
                reason="the descriptor has no 'resources' list naming its tables",
            )
        )
        return out
    out.descriptor = descriptor
    out.findings += _profile_findings(descriptor, "package")
    seen: set[str] = set()
    for i, resource in enumerate(resources):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            out.findings.append(
                _finding(
                    Code.DESCRIPTOR_INVALID,
                    note=f"resource {i + 1} is not an object with a 'name'",
                )
            )
            continue
        if resource["name"] in seen:
            continue  # frictionless reports the duplicate name
        seen.add(resource["name"])
        spec, findings = _resource(root, resource)
        out.findings += findings
        if spec is not None:
            out.tables.append(spec)
    _check_foreign_tables(out)
    return out


def _resource(root: Path, resource: dict[str, Any]) -> tuple[TableSpec | None, list[Finding]]:
    name = resource["name"]
    findings: list[Finding] = []

    def unsupported(reason: str) -> tuple[None, list[Finding]]:
        findings.append(_finding(Code.UNSUPPORTED_RESOURCE, resource=name, reason=reason))
        return None, findings

    findings += _profile_findings(resource, f"resource {name!r}")
    if "data" in resource and "path" not in resource:
        return unsupported("inline 'data' is not supported; keep the table in a CSV file")
    raw_path = resource.get("path")
    if isinstance(raw_path, list):
        return unsupported("a multipart 'path' is not supported")
    scheme = resource.get("scheme")
    if scheme not in (None, "file"):
        findings.append(
            _finding(Code.REMOTE_REFERENCE, what=f"resource {name!r} scheme", value=scheme)
        )
        return None, findings
    for key, allowed in (("format", ("csv",)), ("compression", ()), ("encoding", ("utf-8",))):
        value = resource.get(key)
        if value is not None and str(value).lower().replace("utf8", "utf-8") not in allowed:
            return unsupported(f"{key} {value!r} is not supported (a UTF-8 CSV file is)")
    file, problem = check_path(root, raw_path, f"resource {name!r} path")
    if problem is not None:
        findings.append(problem)
        return None, findings
    assert isinstance(raw_path, str)

    schema, schema_path = None, None
    raw_schema = resource.get("schema")
    if isinstance(raw_schema, str):
        schema_file, problem = check_path(root, raw_schema, f"resource {name!r} schema")
        schema_path = raw_schema
        if problem is not None:
            findings.append(problem)
        else:
            assert schema_file is not None
            try:
                schema = read_json(schema_file)
            except ValueError as exc:
                findings.append(
                    Finding.make(
                        Code.SCHEMA_UNREADABLE, table=name, path=raw_schema, reason=str(exc)
                    )
                )
    elif isinstance(raw_schema, dict):
        schema = raw_schema
    else:
        return unsupported("it has no Table Schema")
    if schema is not None and not isinstance(schema, dict):
        findings.append(
            Finding.make(
                Code.SCHEMA_UNREADABLE,
                table=name,
                path=schema_path,
                reason="it is not a JSON object",
            )
        )
        schema = None
    if schema is not None:
        findings += _profile_findings(schema, f"schema of {name!r}")
        fks = schema.get("foreignKeys")
        for fk in fks if isinstance(fks, list) else []:
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if isinstance(ref, dict) and ref.get("package") is not None:
                findings.append(
                    _finding(
                        Code.REMOTE_REFERENCE,
                        what=f"foreign key package of {name!r}",
                        value=ref["package"],
                    )
                )

    raw_dialect = resource.get("dialect")
    dialect: dict[str, Any] = {}
    if isinstance(raw_dialect, str):
        dialect_file, problem = check_path(root, raw_dialect, f"resource {name!r} dialect")
        if problem is not None:
            findings.append(problem)
        else:
            assert dialect_file is not None
            try:
                loaded = read_json(dialect_file)
                dialect = loaded if isinstance(loaded, dict) else {}
            except ValueError as exc:
                findings.append(
                    _finding(Code.DESCRIPTOR_INVALID, note=f"dialect {raw_dialect!r}: {exc}")
                )
    elif isinstance(raw_dialect, dict):
        dialect = raw_dialect
    findings += _profile_findings(dialect, f"dialect of {name!r}")
    findings += _dialect_char_findings(dialect, name)

    spec = TableSpec(
        name=name,
        path=raw_path,
        file=file,
        schema=schema,
        dialect=Dialect.from_descriptor(dialect),
        schema_path=schema_path,
        schema_ok=schema is not None,
    )
    _record_schema(root, spec, findings)
    return spec, findings


def _record_schema(root: Path, spec: TableSpec, findings: list[Finding]) -> None:
    """Read schemas/<table>.record.json, the JSON Schema of one record of the table."""
    rel = f"schemas/{spec.name}.record.json"
    spec.record_schema_path = rel
    file, problem = check_path(root, rel, f"record schema of {spec.name!r}")
    if problem is not None:
        findings.append(problem)
        return
    assert file is not None

    def unreadable(reason: str) -> None:
        findings.append(
            Finding.make(Code.RECORD_SCHEMA_UNREADABLE, table=spec.name, path=rel, reason=reason)
        )

    try:
        schema = read_json(file)
    except ValueError as exc:
        unreadable(str(exc))
        return
    if not isinstance(schema, dict):
        unreadable("it is not a JSON object")
        return
    remote = _local_refs(schema, rel)
    if remote:
        findings += remote
        return
    dialect = schema.get("$schema")
    if dialect is not None and not isinstance(dialect, str):
        unreadable("its $schema is not a string")
        return
    if isinstance(dialect, str) and not _JSON_SCHEMA_DIALECTS.match(dialect):
        findings.append(_finding(Code.REMOTE_REFERENCE, path=rel, what="$schema", value=dialect))
        return
    problem = _json_schema_problem(json.dumps(schema, sort_keys=True))
    if problem:
        unreadable(f"not a valid JSON Schema: {problem}")
        return
    spec.record_schema = schema


@functools.lru_cache(maxsize=64)
def _json_schema_problem(text: str) -> str | None:
    """Why a JSON Schema (as JSON text) is not valid against its meta-schema, or None."""
    schema = json.loads(text)
    if plain.json_schema(schema):
        return None

    from jsonschema import SchemaError
    from jsonschema.validators import validator_for

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an unknown $schema is a warning in jsonschema
            validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        return exc.message
    except Exception as exc:  # noqa: BLE001 - jsonschema's own failure on hostile input
        return f"jsonschema cannot check it ({type(exc).__name__}: {exc})"
    return None


def _check_foreign_tables(out: PackageLoad) -> None:
    names = {t.name for t in out.tables}
    declared = {
        r["name"]
        for r in out.descriptor.get("resources", [])
        if isinstance(r, dict) and isinstance(r.get("name"), str)
    }
    for spec in out.tables:
        for fk in spec.items("foreignKeys"):
            ref = fk.get("reference")
            target = ref.get("resource") if isinstance(ref, dict) else None
            if isinstance(target, str) and target and target not in declared:
                out.findings.append(
                    Finding.make(
                        Code.DESCRIPTOR_INVALID,
                        table=spec.name,
                        path=spec.schema_path or DESCRIPTOR,
                        note=f"a foreign key references table {target!r}, which the package "
                        f"does not have (it has: {', '.join(sorted(names))})",
                    )
                )


def frictionless_check(out: PackageLoad) -> list[Finding]:
    """The descriptor, Table Schemas and dialects checked by frictionless, handed over inline
    (schemas and dialects read by us, unknown profiles removed), so it reads nothing itself.

    A part in a shape frictionless is sure to accept (`plain`) is not handed over: frictionless
    is imported only for a part it may have something to say about."""
    findings: list[Finding] = []
    seen: set[str] = set()
    descriptor = copy.deepcopy(out.descriptor)
    strip_profiles(descriptor)
    specs = {t.name: t for t in out.tables}
    resources = []
    for resource in descriptor.get("resources", []):
        if not isinstance(resource, dict):
            resources.append(resource)
            continue
        name = resource.get("name")
        spec = specs.get(name) if isinstance(name, str) else None
        if spec is None:
            continue  # refused (unsafe, unsupported, remote): already a finding
        strip_profiles(resource)
        resource["path"] = spec.path
        if spec.schema is not None:
            schema = copy.deepcopy(spec.schema)
            strip_profiles(schema)
            fks = schema.get("foreignKeys")
            for fk in fks if isinstance(fks, list) else []:
                if isinstance(fk, dict) and isinstance(fk.get("reference"), dict):
                    fk["reference"].pop("package", None)
            notes = (
                [] if plain.schema(schema) else _schema_notes(json.dumps(schema, sort_keys=True))
            )
            for note in notes:
                seen.add(note)
                findings.append(
                    Finding.make(
                        Code.DESCRIPTOR_INVALID,
                        table=spec.name,
                        path=spec.schema_path or DESCRIPTOR,
                        note=note,
                    )
                )
            if notes:
                spec.schema_ok = False
        resource.pop("schema", None)
        dialect = resource.get("dialect")
        if isinstance(dialect, str) or dialect is None:
            resource.pop("dialect", None)
        elif isinstance(dialect, dict):
            strip_profiles(dialect)
            notes = [] if plain.dialect(dialect) else _dialect_notes(json.dumps(dialect))
            for note in notes:
                seen.add(note)
                findings.append(
                    Finding.make(
                        Code.DESCRIPTOR_INVALID, table=spec.name, path=DESCRIPTOR, note=note
                    )
                )
        resources.append(resource)
    descriptor["resources"] = resources or [{"name": "none", "path": "none.csv"}]
    root = str(out.root) if out.root else None
    plainly = plain.package(descriptor)
    notes = [] if plainly else _package_notes(json.dumps(descriptor, sort_keys=True), root)
    for note in notes:
        if note not in seen:
            seen.add(note)
            findings.append(Finding.make(Code.DESCRIPTOR_INVALID, path=DESCRIPTOR, note=note))
    return findings


@functools.lru_cache(maxsize=64)
def _package_notes(text: str, basepath: str | None) -> tuple[str, ...]:
    """frictionless's findings on a package descriptor (as JSON text)."""
    from frictionless import Package

    return _guarded_notes(lambda: Package.validate_descriptor(json.loads(text), basepath=basepath))


@functools.lru_cache(maxsize=64)
def _schema_notes(text: str) -> tuple[str, ...]:
    """frictionless's findings on a Table Schema (as JSON text)."""
    from frictionless import Schema

    return _guarded_notes(lambda: Schema.validate_descriptor(json.loads(text)))


@functools.lru_cache(maxsize=64)
def _dialect_notes(text: str) -> tuple[str, ...]:
    """frictionless's findings on a CSV dialect (as JSON text)."""
    from frictionless import Dialect

    return _guarded_notes(lambda: Dialect.validate_descriptor(json.loads(text)))


def _guarded_notes(check: Any) -> tuple[str, ...]:
    """frictionless's notes; a descriptor so malformed that frictionless itself fails on it is
    reported as such (a finding about the descriptor, not an internal error)."""
    try:
        return tuple(_notes(check()))
    except Exception as exc:  # noqa: BLE001 - frictionless's own failure on hostile input
        return (f"frictionless cannot check it ({type(exc).__name__}: {exc})",)


def _notes(report: Any) -> list[str]:
    """The messages of a frictionless metadata report, in order, without repeats."""
    notes: list[str] = []
    for error in report.errors:
        note = getattr(error, "note", "") or error.message
        if note not in notes:
            notes.append(note)
    return notes
