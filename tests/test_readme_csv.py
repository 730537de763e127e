"""README, "Using the CSVs directly": the file list, the DuckDB recipe and the R column types."""

from __future__ import annotations

import re

import pytest
from conftest import DESCRIPTOR, ROOT

import libya_events as le

SECTION = (
    (ROOT / "README.md")
    .read_text("utf-8")
    .split("\n## Using the CSVs directly\n", 1)[1]
    .split("\n## ")[0]
)


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", SECTION, re.DOTALL)


def test_every_table_is_listed_with_its_file() -> None:
    listed = re.findall(r"^\| (\w+) \| \[`(data/\w+\.csv)`\]\((data/\w+\.csv)\) \|", SECTION, re.M)
    expected = [(r["name"], r["path"], r["path"]) for r in DESCRIPTOR["resources"]]
    assert listed == expected
    assert all((ROOT / path).is_file() for _, path, _ in listed)


def test_the_duckdb_query_gives_what_the_loader_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    duckdb = pytest.importorskip("duckdb")
    (query,) = blocks("sql")
    monkeypatch.chdir(ROOT)
    got = duckdb.sql(query).fetchall()
    expected = (
        le.events_with("sergey-lavrov")
        .sort_values(["start_date", "event_id"])[["event_id", "start_date", "role"]]
        .astype({"start_date": "string", "role": "string"})
    )
    assert got == [tuple(row) for row in expected.itertuples(index=False)]
    assert len(got) > 0


def test_the_readr_recipe_types_only_date_and_number_columns() -> None:
    readr = next(b for b in blocks("r") if "read_csv(" in b)
    typed = dict(re.findall(r"(\w+) = col_(date|double)\(\)", readr))
    fields = {f["name"]: f["type"] for f in le.load().schema("events")["fields"]}
    expected = {name: "date" if kind == "date" else "double" for name, kind in fields.items()}
    assert typed == {n: k for n, k in expected.items() if fields[n] in ("date", "number")}
    assert 'na = ""' in readr
