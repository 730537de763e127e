"""The SQL in docs/scale.md is real: DuckDB runs each rule block and finds what the validator does.

Each ```sql block of the page that starts with ``-- rule: <codes>`` returns rows of
(code, table, line, field). On generated packages, valid or with one rule broken, those rows
must equal the validator's findings with those codes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libya_events.errors import Code
from libya_events.testing import Tables
from libya_events.testing.mutations import draw_mutated
from libya_events.testing.package import row_lines, shipped_schemas, validate_tables
from libya_events.testing.strategies import packages

duckdb = pytest.importorskip("duckdb")

DOC = Path(__file__).resolve().parent.parent / "docs" / "scale.md"
_BLOCK = re.compile(r"```sql\n(-- rule: ([^\n]+)\n.*?)```", re.S)
_TABLE_BLOCK = re.compile(r"```sql\n(-- table: ([^\n]+)\n.*?)```", re.S)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The mutations whose finding is a code the page's SQL covers.
RULE_MUTATIONS = [
    "swap_event_dates",
    "swap_affiliation_dates",
    "statement_before_its_event",
    "child_before_its_parent",
    "published_before_the_event",
    "event_is_its_own_parent",
    "affiliation_cycle",
    "self_affiliation",
]
PER_KIND = max(2, settings.default.max_examples // 12)


def rule_blocks() -> list[tuple[list[str], str]]:
    text = DOC.read_text(encoding="utf-8")
    return [([c.strip() for c in codes.split(",")], sql) for sql, codes in _BLOCK.findall(text)]


def covered_codes() -> set[str]:
    return {code for codes, _ in rule_blocks() for code in codes}


def database(tables: Tables) -> object:
    """The tables in DuckDB: a line column, then each field typed from its Table Schema."""
    schemas = shipped_schemas()
    con = duckdb.connect()
    for name in schemas.names:
        fields = schemas.fields(name)
        rows = tables.get(name, [])
        header = [f["name"] for f in fields]
        columns = ", ".join(
            ["line INTEGER"]
            + [f'"{f["name"]}" {"DOUBLE" if f["type"] == "number" else "VARCHAR"}' for f in fields]
        )
        con.execute(f"CREATE TABLE raw_{name} ({columns})")
        values = []
        for line, row in zip(row_lines(rows, header), rows, strict=True):
            cells = []
            for f in fields:
                cell = row[f["name"]] or None
                if cell is not None and f["type"] == "number":
                    try:
                        cell = float(cell)
                    except ValueError:
                        cell = None
                if cell is not None and f["type"] == "date" and not _ISO_DATE.match(cell):
                    cell = None
                cells.append(cell)
            values.append([line, *cells])
        if values:
            marks = ", ".join("?" * (len(fields) + 1))
            con.executemany(f"INSERT INTO raw_{name} VALUES ({marks})", values)
        typed = ", ".join(
            f'TRY_CAST("{f["name"]}" AS DATE) AS "{f["name"]}"'
            if f["type"] == "date"
            else f'"{f["name"]}"'
            for f in fields
        )
        con.execute(f"CREATE TABLE {name} AS SELECT line, {typed} FROM raw_{name}")
    return con


def sql_findings(tables: Tables) -> list[tuple[str, str, int, str]]:
    con = database(tables)
    found = []
    for _, sql in rule_blocks():
        found += [tuple(row) for row in con.execute(sql).fetchall()]
    return sorted(found)


def validator_findings(tables: Tables) -> list[tuple[str, str, int, str]]:
    report = validate_tables(tables)
    codes = covered_codes()
    return sorted((f.code, f.table, f.line, f.field) for f in report.findings if f.code in codes)


def test_the_page_has_a_block_for_every_cross_table_rule() -> None:
    rules = {c.value for c in Code if c.layer == "rules"}
    not_sql = {"missing-reference", "rule-skipped"}  # every reference is a declared foreign key
    assert rules - not_sql <= covered_codes()
    assert covered_codes() <= {c.value for c in Code}


@settings(max_examples=max(5, settings.default.max_examples // 5))
@given(packages())
def test_sql_and_validator_agree_on_generated_packages(tables: Tables) -> None:
    assert sql_findings(tables) == validator_findings(tables)


@pytest.mark.parametrize("kind", RULE_MUTATIONS)
@settings(max_examples=PER_KIND, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_sql_finds_the_broken_rule_where_the_validator_does(kind: str, data: st.DataObject) -> None:
    mutated, expected = draw_mutated(data, kind)
    found = sql_findings(mutated)
    assert found == validator_findings(mutated)
    assert found == sorted(expected)


def test_the_primary_key_query_finds_the_planted_duplicates(tmp_path: Path) -> None:
    from libya_events.testing.package import read_tables
    from libya_events.testing.synthetic import write_synthetic

    package = write_synthetic(tmp_path / "pkg", 100, seed=5, faults={"duplicate-key": 3})
    ((codes, sql),) = [(c, s) for s, c in _TABLE_BLOCK.findall(DOC.read_text(encoding="utf-8"))]
    assert codes == "primary-key"
    found = database(read_tables(package.path)).execute(sql).fetchall()
    assert sorted(found) == sorted(
        ("primary-key", f.table, f.line, f.field) for f in package.faults
    )
