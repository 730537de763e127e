"""A data package directory read as plain text: descriptor, Table Schemas and rows by key.

The release tools (diff, export, codebook, history checks, add) compare and copy cells exactly
as they are written, so they read the CSV files with the `csv` module rather than through a
typed loader: ``"52.50"`` and ``"52.5"`` stay what the file says. A directory that cannot be
read raises `PackageReadError` naming the file, and the line where there is one.
`render_rows` writes rows back as the package's files hold them (a no-op rewrite is
byte-identical).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from libya_events.errors import PackageReadError
from libya_events.lines import Lines, numbered

DESCRIPTOR = "datapackage.json"
GIT_PREFIX = "git:"

Key = tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One resource: its descriptor entry, Table Schema, header and rows as strings."""

    name: str
    resource: dict[str, Any]
    schema: dict[str, Any]
    header: list[str]
    rows: list[dict[str, str]]
    lines: list[int] = field(default_factory=list)

    @property
    def fields(self) -> list[dict[str, Any]]:
        return list(self.schema.get("fields", []))

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @cached_property
    def primary_key(self) -> list[str]:
        pk = self.schema.get("primaryKey", [])
        return [pk] if isinstance(pk, str) else list(pk)

    def key(self, row: dict[str, str]) -> Key:
        return tuple(row.get(k, "") for k in self.primary_key)

    def by_key(self) -> dict[Key, dict[str, str]]:
        """Rows by primary key; where a key repeats the first row wins (the validator says so)."""
        return self._by_key

    @cached_property
    def _by_key(self) -> dict[Key, dict[str, str]]:
        out: dict[Key, dict[str, str]] = {}
        pk = self.primary_key
        for row in self.rows:
            out.setdefault(tuple(row.get(k, "") for k in pk), row)
        return out

    def line_of(self, key: Key) -> int | None:
        for row, line in zip(self.rows, self.lines, strict=True):
            if self.key(row) == key:
                return line
        return None


@dataclass(frozen=True)
class Snapshot:
    """A whole data package as read from one directory."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackageReadError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageReadError(f"{path}: cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageReadError(
            f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]], list[int]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PackageReadError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageReadError(f"{path}: cannot read: {exc}") from None
    counted = Lines(text)
    reader = csv.reader(counted)
    try:
        header = next(reader)
    except StopIteration:
        raise PackageReadError(f"{path}:1: empty file, expected a header row") from None
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for start, cells in numbered(reader, counted):
        if len(cells) != len(header):
            raise PackageReadError(
                f"{path}:{start}: {len(cells)} cells, the header has {len(header)}"
            )
        rows.append(dict(zip(header, cells, strict=True)))
        lines.append(start)
    return header, rows, lines


def _inside(root: Path, ref: object, where: str) -> Path:
    """`root / ref`, refusing a reference that is not a local path inside the package."""
    text = str(ref)
    if (
        not isinstance(ref, str)
        or "://" in text
        or Path(text).is_absolute()
        or ".." in Path(text).parts
    ):
        raise PackageReadError(f"{where}: {text!r} is not a relative path inside the package")
    path = root / text
    if not path.resolve().is_relative_to(root.resolve()):
        raise PackageReadError(f"{where}: {text!r} leads outside the package")
    return path


def read_package(path: str | Path, only: Collection[str] | None = None) -> Snapshot:
    """Read the data package whose `datapackage.json` is in directory `path` (or is `path`).

    With `only`, just the tables of those names that the package has are read.
    """
    root = Path(path)
    if root.name == DESCRIPTOR and root.is_file():
        root = root.parent
    if not root.is_dir():
        raise PackageReadError(f"{root}: not a directory holding a {DESCRIPTOR}")
    descriptor = _read_json(root / DESCRIPTOR)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageReadError(f"{root / DESCRIPTOR}: no 'resources' list")
    tables: dict[str, Table] = {}
    for number, resource in enumerate(descriptor["resources"]):
        where = f"{root / DESCRIPTOR}: resources[{number}]"
        if not isinstance(resource, dict) or not resource.get("name") or not resource.get("path"):
            raise PackageReadError(f"{where}: a resource needs a 'name' and a 'path'")
        if only is not None and resource["name"] not in only:
            continue
        schema = resource.get("schema", {})
        if isinstance(schema, str):
            schema = _read_json(_inside(root, schema, where))
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            raise PackageReadError(f"{where} ({resource['name']}): its schema has no 'fields'")
        header, rows, lines = _read_csv(_inside(root, resource["path"], where))
        tables[resource["name"]] = Table(resource["name"], resource, schema, header, rows, lines)
    return Snapshot(root, descriptor, tables)


# --- writing ----------------------------------------------------------------------------------


def render_rows(rows: Iterable[Mapping[str, str]], header: list[str]) -> str:
    """CSV text as the package writes it: a header row, RFC 4180 quoting, LF line ends.

    csv.writer quotes a cell only for the characters of its line terminator, so each row is
    written with CRLF (a cell holding a CR or an LF gets quoted) and its CRLF made an LF.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    lines = []
    for cells in [header, *([row[name] for name in header] for row in rows)]:
        writer.writerow(cells)
        lines.append(out.getvalue()[:-2] + "\n")
        out.seek(0)
        out.truncate()
    return "".join(lines)


def row_lines(rows: list[dict[str, str]], header: list[str]) -> list[int]:
    """The file line on which each row starts (the header is line 1), newlines in cells counted."""
    lines, line = [], 2
    for row in rows:
        lines.append(line)
        line += render_rows([row], header).count("\n") - 1
    return lines


def _git(where: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(where), *args], capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise PackageReadError(f"git {' '.join(args)} in {where}: {message}")
    return done.stdout


@contextmanager
def checkout(spec: str | Path, repo: str | Path = ".") -> Iterator[Path]:
    """The package directory for `spec`: a path as it is, or `git:REV` exported to a temp dir.

    For `git:REV` the package is taken from the same place inside the repository as `repo`
    (the directory of the other package being compared), with `git archive`, which only reads
    the repository. The temporary directory is removed on exit.
    """
    text = str(spec)
    if not text.startswith(GIT_PREFIX):
        yield Path(text)
        return
    rev = text[len(GIT_PREFIX) :]
    if not rev:
        raise PackageReadError(f"{text}: name a revision after 'git:', e.g. git:HEAD~1")
    where = Path(repo).resolve()
    if not where.is_dir():
        where = where.parent
    prefix = _git(where, "rev-parse", "--show-prefix").decode().strip()
    top = Path(_git(where, "rev-parse", "--show-toplevel").decode().strip())
    archive = _git(top, "archive", "--format=tar", rev, *([prefix] if prefix else []))
    tmp = Path(tempfile.mkdtemp(prefix="libya-events-git-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(tmp)  # noqa: S202 - an archive git made from this repository
        yield tmp / prefix
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
