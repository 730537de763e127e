"""The finding model: Finding, Report (valid, stats, flatten, sorting, JSON) and the Code enum."""

from __future__ import annotations

import json
import re
import string

import pytest

from libya_events.errors import Code
from libya_events.report import FINDING_KEYS, JSON_FORMAT, Finding, Report, render, shorten

LAYERS = {"package", "text", "table", "record", "rules", "history"}


def test_every_code_is_kebab_case_with_severity_layer_template_and_one_line_rule() -> None:
    values = [c.value for c in Code]
    assert len(values) == len(set(values))
    for code in Code:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code.value), code
        assert code.severity in ("error", "warning"), code
        assert code.layer in LAYERS, code
        assert code.template and "\n" not in code.template, code
        assert code.rule.endswith(".") and "\n" not in code.rule, code
        assert Code(code.value) is code


def test_warnings_are_the_orphans_and_skipped_rules_only() -> None:
    assert {c.value for c in Code if c.severity == "warning"} == {
        "orphan-actor",
        "orphan-source",
        "rule-skipped",
    }


def test_fatal_codes_are_the_ones_that_make_a_package_unreadable() -> None:
    assert {c.value for c in Code if c.fatal} == {
        "descriptor-missing",
        "descriptor-unreadable",
        "not-a-package",
    }


def test_table_layer_codes_mirror_frictionless_error_types() -> None:
    from frictionless import errors

    frictionless_types = {
        cls.type for cls in vars(errors).values() if isinstance(cls, type) and hasattr(cls, "type")
    }
    ours = {c.value for c in Code if c.layer == "table"}
    assert ours - frictionless_types == {"missing-header", "duplicate-header"}


@pytest.mark.parametrize("code", list(Code))
def test_every_template_names_only_what_its_layer_passes(code: Code) -> None:
    names = {name for _, name, _, _ in string.Formatter().parse(code.template) if name}
    params = {name: "x" for name in names}
    assert code.format(**params)


def test_a_finding_message_says_where_and_what() -> None:
    f = Finding.make(
        Code.DATE_ORDER,
        table="events",
        path="data/events.csv",
        line=14,
        row=14,
        field="end_date",
        value="2020-06-01",
        end_field="end_date",
        end="2020-06-01",
        start_field="start_date",
        start="2020-06-06",
    )
    assert (
        f.message == "data/events.csv line 14: end_date 2020-06-01 is before start_date 2020-06-06"
    )
    assert (f.code, f.severity, f.layer) == ("date-order", "error", "rules")
    assert list(f.to_dict()) == list(FINDING_KEYS)


def test_values_are_cut_to_eighty_characters() -> None:
    assert shorten("x" * 80) == "x" * 80
    assert shorten("x" * 81) == "x" * 79 + "…"
    assert shorten(None) is None
    assert shorten(12.5) == "12.5"


def _finding(code: Code, table: str | None, line: int | None, field: str | None) -> Finding:
    return Finding(code.value, code.severity, code.layer, "m", table, None, line, line, field)  # type: ignore[arg-type]


def test_findings_sort_by_table_order_line_field_order_and_code() -> None:
    report = Report(
        [
            _finding(Code.TYPE_ERROR, "events", 3, "end_date"),
            _finding(Code.ORPHAN_SOURCE, "sources", 9, "source_id"),
            _finding(Code.CONSTRAINT_ERROR, "events", 3, "event_id"),
            _finding(Code.BOM, "events", 1, None),
            _finding(Code.DESCRIPTOR_INVALID, None, None, None),
            _finding(Code.BLANK_ROW, "events", 2, None),
        ],
        order={"sources": ["source_id"], "events": ["event_id", "start_date", "end_date"]},
    )
    assert report.flatten(["code", "table", "line", "field"]) == [
        ["descriptor-invalid", None, None, None],
        ["orphan-source", "sources", 9, "source_id"],
        ["bom", "events", 1, None],
        ["blank-row", "events", 2, None],
        ["constraint-error", "events", 3, "event_id"],
        ["type-error", "events", 3, "end_date"],
    ]


def test_valid_means_no_error_warnings_allowed() -> None:
    warning = _finding(Code.ORPHAN_ACTOR, "actors", 2, "actor_id")
    error = _finding(Code.TYPE_ERROR, "events", 2, "start_date")
    fatal = _finding(Code.DESCRIPTOR_MISSING, None, None, None)
    assert (Report([]).valid, Report([]).exit_code) == (True, 0)
    assert (Report([warning]).valid, Report([warning]).exit_code) == (True, 0)
    assert (Report([warning, error]).valid, Report([warning, error]).exit_code) == (False, 1)
    assert (Report([fatal]).readable, Report([fatal]).exit_code) == (False, 2)


def test_stats_and_json_document() -> None:
    report = Report(
        [_finding(Code.ORPHAN_ACTOR, "actors", 2, "actor_id")],
        package="pkg",
        tables=3,
        rows=10,
        seconds=0.12345,
    )
    document = json.loads(report.to_json())
    assert document == {
        "format": JSON_FORMAT,
        "package": "pkg",
        "valid": True,
        "stats": {"tables": 3, "rows": 10, "errors": 0, "warnings": 1, "seconds": 0.123},
        "findings": [
            {
                "code": "orphan-actor",
                "severity": "warning",
                "layer": "rules",
                "table": "actors",
                "path": None,
                "line": 2,
                "row": 2,
                "field": "actor_id",
                "value": None,
                "message": "m",
            }
        ],
    }


def test_github_annotations_escape_what_workflow_commands_need() -> None:
    f = Finding(
        "type-error", "error", "table", "a: b,\nc 100%", "events", "data/e,v.csv", 3, 3, "x"
    )
    text = render(Report([f], package="."), "github")
    assert text.splitlines()[0] == (
        "::error file=data/e%2Cv.csv,line=3,title=type-error::a: b,%0Ac 100%25"
    )
    assert text.splitlines()[-1].startswith("INVALID: 1 error, 0 warnings in 0 tables, 0 rows")


def test_text_groups_findings_by_table_and_ends_with_the_verdict() -> None:
    report = Report(
        [
            Finding("bom", "error", "text", "data/e.csv line 1: bom", "events", "data/e.csv", 1),
            Finding(
                "orphan-actor",
                "warning",
                "rules",
                "data/a.csv line 2: o",
                "actors",
                "data/a.csv",
                2,
            ),
        ],
        package="pkg",
        tables=2,
        rows=5,
        order={"actors": [], "events": []},
    )
    assert render(report, "text") == (
        "libya-events validate: pkg\n"
        "\n"
        "actors (data/a.csv)\n"
        "  warning: data/a.csv line 2: o [orphan-actor]\n"
        "\n"
        "events (data/e.csv)\n"
        "  error: data/e.csv line 1: bom [bom]\n"
        "\n"
        "INVALID: 1 error, 1 warning in 2 tables, 5 rows (0.00 s)\n"
    )
