"""Property: a row taken out of a valid package and given back as a contribution is put where
it was, to the byte; ``libya-events add`` writes the package's own CSV format."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from libya_events.add import add, parse_contribution
from libya_events.stable_ids import id_text
from libya_events.testing import Tables, shipped_schemas, write_package
from libya_events.testing.strategies import packages

#: Tables whose rows no other row refers to (but a retired id's successor): one can leave and
#: the rest stays valid.
LEAVES = ("event_actors", "event_sources", "statements")


def removable(tables: Tables) -> list[tuple[str, int]]:
    successors = {r["replaced_by"] for r in tables["retired_ids"]}
    schemas = shipped_schemas()
    return [
        (t, i)
        for t in LEAVES
        for i, row in enumerate(tables[t])
        if id_text(tuple(row[k] for k in schemas.primary_key(t))) not in successors
    ]


def digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@given(packages(), st.data())
def test_a_row_taken_out_and_added_back_gives_the_same_bytes(tables: Tables, data) -> None:  # type: ignore[no-untyped-def]
    choices = removable(tables)
    assume(choices)
    table, index = data.draw(st.sampled_from(choices))
    row = tables[table][index]
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "whole"
        write_package(tables, whole)
        less = Path(tmp) / "less"
        write_package({**tables, table: tables[table][:index] + tables[table][index + 1 :]}, less)
        text = json.dumps({table: [{k: v for k, v in row.items() if v}]}, ensure_ascii=False)
        result = add(parse_contribution(text, "c.json", json_syntax=True), less)
        assert result.errors == [], result.render()
        assert result.added == {table: 1}
        path = shipped_schemas().resource(table)["path"]
        assert (less / path).read_bytes() == (whole / path).read_bytes()
        assert digest(less) == digest(whole)
