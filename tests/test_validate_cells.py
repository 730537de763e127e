"""Differential: `validate.cells` reads a cell exactly as frictionless's own cell reader does.

For generated field definitions (the types and formats the module covers, with constraints)
and generated cells, both readers return the same typed value and the same notes, or fail
with the same exception. A definition the module does not cover gets no reader (None).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from libya_events.validate import cells

DATES = ["2020-01-31", "2020-02-30", "2020-1-5", "20200105", "2020-01-31T00:00:00", " 2020-01-01"]
DATES += ["0000-01-01", "2021-02-29", "2020-00-10", "2020-12-32", "\u0662\u0660\u0662\u0660-01-01"]
NUMBERS = ["1", "-1.5", " 2.50 ", "1e3", "NaN", "inf", "-Infinity", "1_000", "0x10", "1,5", "."]
URIS = ["https://example.org/a b", "mailto:x@y", "urn:isbn:1", "example.org", "1http://x", ":x"]
TEXTS = ["", "a", "é", "Ab-1", " ", "null", "-", "\u0661"]
CELLS = st.one_of(
    st.sampled_from(DATES + NUMBERS + URIS + TEXTS), st.text(max_size=12), st.dates().map(str)
)
BOUNDS = st.one_of(
    st.integers(-5, 5), st.floats(-5, 5, allow_nan=False), st.sampled_from(["2020-01-15", "1.5"])
)


@st.composite
def fields(draw: st.DrawFn) -> dict[str, Any]:
    ftype = draw(st.sampled_from(["string", "date", "number", "integer"]))
    field: dict[str, Any] = {"name": "f", "type": ftype}
    if ftype == "string" and draw(st.booleans()):
        field["format"] = "uri"
    constraints: dict[str, Any] = {}
    if ftype == "string":
        if draw(st.booleans()):
            constraints["pattern"] = draw(st.sampled_from(["[a-z]+", "[A-Z].*", "\\d{4}"]))
        if draw(st.booleans()):
            constraints["minLength"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            constraints["maxLength"] = draw(st.integers(0, 6))
    else:
        for name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.booleans()):
                constraints[name] = draw(BOUNDS)
    if draw(st.booleans()):
        constraints["enum"] = draw(st.lists(CELLS | BOUNDS, max_size=4))
    if draw(st.booleans()):
        constraints["required"] = draw(st.booleans())
    if constraints:
        field["constraints"] = constraints
    return field


def outcome(read: Any, cell: str) -> str:
    """What reading ``cell`` gives, as text (so that NaN equals NaN): value and notes, or the
    exception raised."""
    try:
        return repr(read(cell))
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome compared
        return f"{type(exc).__name__}: {exc}"


@settings(max_examples=400)
@given(fields(), st.lists(CELLS, min_size=1, max_size=8))
def test_the_cell_readers_agree_with_frictionless(field: dict[str, Any], values: list[str]) -> None:
    from frictionless import Field

    ours = cells.reader(field, [""])
    assert ours is not None
    theirs = Field.from_descriptor(field).create_cell_reader()
    assert [outcome(ours, v) for v in values] == [outcome(theirs, v) for v in values]


def test_field_definitions_the_module_does_not_cover_get_no_reader() -> None:
    uncovered = [
        {"name": "f", "type": "boolean"},
        {"name": "f", "type": "date", "format": "%d/%m/%Y"},
        {"name": "f", "type": "number", "groupChar": ","},
        {"name": "f", "type": "string", "format": "email"},
        {"name": "f", "type": "string", "missingValues": ["NA"]},
    ]
    assert [cells.reader(f, [""]) for f in uncovered] == [None] * len(uncovered)
