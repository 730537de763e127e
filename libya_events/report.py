"""The validator's finding model: a `Finding` per fault and the `Report` that collects them.

Modelled on frictionless-py's report (``valid``, ``stats``, ``flatten``): every layer collects
its findings lazily and all of them are reported together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from libya_events.errors import Code

Severity = Literal["error", "warning"]
Layer = Literal["package", "text", "table", "record", "rules", "history"]

#: Version of the JSON document `Report.to_dict` returns (bumped on any incompatible change).
JSON_FORMAT = "libya-events-validate/1"
#: The keys of a finding in the JSON output, in order.
FINDING_KEYS = (
    "code",
    "severity",
    "layer",
    "table",
    "path",
    "line",
    "row",
    "field",
    "value",
    "message",
)
VALUE_LIMIT = 80


def shorten(value: object, limit: int = VALUE_LIMIT) -> str | None:
    """The offending value as text, cut to ``limit`` characters with an ellipsis."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(path: str | None, table: str | None, line: int | None) -> str:
    """Where a finding is, as its message starts: ``data/events.csv line 14``."""
    where = path or table or "datapackage.json"
    return where if line is None else f"{where} line {line}"


@dataclass(frozen=True)
class Finding:
    """One fault: what (code), how bad (severity), where (table, path, line, field), and why.

    ``line`` is the physical line of the file where the row starts (the header is line 1;
    LF line breaks only, as git counts, see `libya_events.lines`), so it differs from ``row``
    after a quoted cell that spans lines; ``row`` counts rows the way
    frictionless's ``rowNumber`` does (the header is row 1).
    """

    code: str
    severity: Severity
    layer: Layer
    message: str
    table: str | None = None
    path: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None
    value: str | None = None

    @classmethod
    def make(
        cls,
        code: Code,
        *,
        table: str | None = None,
        path: str | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        layer: Layer | None = None,
        **params: object,
    ) -> Finding:
        """A finding whose message is ``code``'s template filled with ``params`` (and ``field``
        and ``value``), prefixed with where it is: ``data/events.csv line 14: ...``."""
        params.setdefault("field", field)
        params.setdefault("value", shorten(value))
        return cls(
            code=code.value,
            severity=code.severity,  # type: ignore[arg-type]
            layer=layer or code.layer,  # type: ignore[arg-type]
            message=f"{_where(path, table, line)}: {code.format(**params)}",
            table=table,
            path=path,
            line=line,
            row=row,
            field=field,
            value=shorten(value),
        )

    @property
    def detail(self) -> str:
        """The message without its ``<path> line <n>: `` prefix: what is wrong, not where."""
        prefix = f"{_where(self.path, self.table, self.line)}: "
        return self.message[len(prefix) :] if self.message.startswith(prefix) else self.message

    @property
    def fatal(self) -> bool:
        """True when the package could not be read at all (exit status 2)."""
        try:
            return Code(self.code).fatal
        except ValueError:
            return False

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in FINDING_KEYS}


@dataclass
class Report:
    """All findings of one validation run, sorted, with counts.

    ``order`` gives the table order (the descriptor's) and each table's field order, so that
    findings sort by table, line, field position and code.
    """

    findings: list[Finding] = field(default_factory=list)
    package: str | None = None
    tables: int = 0
    rows: int = 0
    seconds: float = 0.0
    order: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=self._sort_key)

    def _sort_key(self, f: Finding) -> tuple[Any, ...]:
        tables = list(self.order)
        table_pos = (
            -1 if f.table is None else (tables.index(f.table) if f.table in tables else len(tables))
        )
        fields = list(self.order.get(f.table or "", ()))
        field_pos = (
            -1 if f.field is None else (fields.index(f.field) if f.field in fields else len(fields))
        )
        return (table_pos, f.table or "", f.line or 0, field_pos, f.field or "", f.code, f.message)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings = sorted([*self.findings, *findings], key=self._sort_key)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def readable(self) -> bool:
        """False when the input could not be read as a data package at all."""
        return not any(f.fatal for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 when valid, 1 when there are errors, 2 when the input cannot be read at all."""
        if not self.readable:
            return 2
        return 0 if self.valid else 1

    @property
    def stats(self) -> dict[str, Any]:
        return {
            "tables": self.tables,
            "rows": self.rows,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "seconds": round(self.seconds, 3),
        }

    def flatten(self, keys: Sequence[str] = ("code", "table", "line", "field")) -> list[list[Any]]:
        """One list per finding holding the given keys, e.g. ``["code", "line", "field"]``."""
        return [[getattr(f, key) for key in keys] for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON document of ``--format json`` (see README, "Validating")."""
        return {
            "format": JSON_FORMAT,
            "package": self.package,
            "valid": self.valid,
            "stats": self.stats,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# -- output formats ----------------------------------------------------------------------------


def summary(report: Report) -> str:
    """The last line of the text report: VALID or INVALID, with counts."""
    s = report.stats
    verdict = "VALID" if report.valid else "INVALID" if report.readable else "UNREADABLE"
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return (
        f"{verdict}: {plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')} in "
        f"{plural(s['tables'], 'table')}, {plural(s['rows'], 'row')} ({s['seconds']:.2f} s)"
    )


def render_text(report: Report) -> str:
    """Findings grouped by table (package-level first), then the summary line."""
    lines = [f"libya-events validate: {report.package}"]
    group: object = object()
    for f in report.findings:
        if f.table != group:
            group = f.table
            lines.append("")
            lines.append(f"{f.table} ({f.path})" if f.table else "package")
        lines.append(f"  {f.severity}: {f.message} [{f.code}]")
    if report.findings:
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(report: Report, base: str | None = None) -> str:
    """GitHub Actions workflow commands, one per finding, so findings show on the diff.

    ``base`` is the package directory relative to the repository root, prefixed to each path.
    """
    lines = []
    for f in report.findings:
        props = []
        if f.path:
            path = f"{base.rstrip('/')}/{f.path}" if base and base != "." else f.path
            props.append(f"file={_escape(path, prop=True)}")
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_escape(f.code, prop=True)}")
        lines.append(f"::{f.severity} {','.join(props)}::{_escape(f.message)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render(report: Report, fmt: str = "text") -> str:
    """The report as ``text``, ``json`` or ``github``."""
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "github":
        import os

        base = None
        if report.package:
            rel = os.path.relpath(os.path.abspath(report.package))
            base = None if rel.startswith("..") else rel
        return render_github(report, base)
    return render_text(report)
