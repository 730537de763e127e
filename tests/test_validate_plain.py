"""Differential: what `validate.plain` lets through without frictionless, frictionless accepts.

The descriptor, Table Schemas, dialects and record schemas of the shipped package are mutated
(a value replaced by an odd one, a property added or removed, one to three times); whenever the
plain check accepts the result, frictionless (or jsonschema's meta-schema check, for a record
schema) must find nothing. The other way round is not required: a part that is not plain goes
to frictionless, whose findings are then the validator's.
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libya_events.validate import package, plain

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR: dict[str, Any] = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
SCHEMAS = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "schemas").glob("*.table.json"))
}
RECORD_SCHEMAS = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "schemas").glob("*.record.json"))
}
ODD: list[Any] = [
    None,
    "",
    " ",
    "Name With Spaces",
    "../up",
    "/abs",
    "$HOME/x",
    "file:///etc/passwd",
    "2020-13-45T00:00:00Z",
    "2026-11-28T00:00:00Z",
    "2026-11-28",
    "x-",
    "table",
    "csv",
    "utf-8",
    "string",
    "date",
    "number",
    "integer",
    "boolean",
    "datetime",
    "geopoint",
    "any",
    "uri",
    "default",
    "fmt:%Y",
    "[",
    "a|b",
    0,
    1,
    -1,
    2.5,
    1.0,
    True,
    False,
    [],
    [""],
    ["a"],
    [1],
    ["a", "a"],
    {},
    {"a": 1},
    {"name": "x"},
    {"value": "", "label": "empty"},
    {"fields": ["a"], "reference": {"resource": "r", "fields": ["a"]}},
    {"name": "a", "type": "string"},
    {"required": True},
    {"exclusiveMinimum": 0},
    {"minLength": -1},
    {"enum": ["a"]},
    {"pattern": "["},
    [[[[[[]]]]]],
]
KEYS = [
    "name",
    "type",
    "format",
    "title",
    "description",
    "path",
    "profile",
    "$schema",
    "schema",
    "dialect",
    "fields",
    "primaryKey",
    "foreignKeys",
    "missingValues",
    "constraints",
    "required",
    "example",
    "trueValues",
    "bareNumber",
    "groupChar",
    "categories",
    "x-extra",
    "licenses",
    "sources",
    "contributors",
    "created",
    "keywords",
    "resources",
    "encoding",
    "header",
    "delimiter",
    "quoteChar",
    "doubleQuote",
    "lineTerminator",
    "skipInitialSpace",
    "caseSensitiveHeader",
    "email",
    "homepage",
    "version",
    "id",
    "fieldsMatch",
    "rdfType",
    "additionalProperties",
    "properties",
    "allOf",
    "anyOf",
    "not",
    "if",
    "then",
    "else",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "$id",
    "$ref",
    "$defs",
    "items",
    "uniqueItems",
    "dependentRequired",
]


def _containers(node: Any, found: list[Any]) -> list[Any]:
    """Every dict and list inside ``node``, ``node`` included."""
    if isinstance(node, dict | list):
        found.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, found)
    return found


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """``original`` with one to three mutations anywhere inside it."""
    value = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        node = draw(st.sampled_from(_containers(value, [])))
        odd = copy.deepcopy(draw(st.sampled_from(ODD)))
        if isinstance(node, dict):
            how = draw(st.sampled_from(["set", "add", "drop"]))
            if how == "add" or not node:
                node[draw(st.sampled_from(KEYS))] = odd
            elif how == "set":
                node[draw(st.sampled_from(sorted(node)))] = odd
            else:
                del node[draw(st.sampled_from(sorted(node)))]
        elif node:
            node[draw(st.integers(0, len(node) - 1))] = odd
        else:
            node.append(odd)
    return value


def handed_over_package() -> dict[str, Any]:
    """The descriptor as the validator hands it to frictionless: schemas out, dialects inline."""
    descriptor = copy.deepcopy(DESCRIPTOR)
    for resource in descriptor["resources"]:
        resource.pop("schema", None)
    return descriptor


def frictionless_notes(kind: str, descriptor: Any) -> tuple[str, ...]:
    text = json.dumps(descriptor, sort_keys=True)
    if kind == "package":
        return package._package_notes(text, str(ROOT))
    if kind == "schema":
        return package._schema_notes(text)
    return package._dialect_notes(json.dumps(descriptor))


def test_the_shipped_descriptor_schemas_and_dialects_are_plain() -> None:
    assert plain.package(handed_over_package())
    assert all(plain.schema(s) for s in SCHEMAS.values())
    assert all(plain.dialect(r["dialect"]) for r in DESCRIPTOR["resources"] if "dialect" in r)
    assert all(plain.json_schema(s) for s in RECORD_SCHEMAS.values())


@settings(max_examples=200)
@given(st.data())
def test_a_plain_package_descriptor_is_one_frictionless_accepts(data: st.DataObject) -> None:
    descriptor = data.draw(mutated(handed_over_package()))
    if plain.package(descriptor):
        assert frictionless_notes("package", descriptor) == ()


@settings(max_examples=200)
@given(st.sampled_from(sorted(SCHEMAS)), st.data())
def test_a_plain_table_schema_is_one_frictionless_accepts(name: str, data: st.DataObject) -> None:
    schema = data.draw(mutated(SCHEMAS[name]))
    if plain.schema(schema):
        assert frictionless_notes("schema", schema) == ()


@settings(max_examples=100)
@given(st.data())
def test_a_plain_dialect_is_one_frictionless_accepts(data: st.DataObject) -> None:
    dialect = data.draw(mutated(DESCRIPTOR["resources"][0]["dialect"]))
    if plain.dialect(dialect):
        assert frictionless_notes("dialect", dialect) == ()


@settings(max_examples=200)
@given(st.sampled_from(sorted(RECORD_SCHEMAS)), st.data())
def test_a_plain_record_schema_is_a_valid_json_schema(name: str, data: st.DataObject) -> None:
    from jsonschema import Draft202012Validator

    schema = data.draw(mutated(RECORD_SCHEMAS[name]))
    if plain.json_schema(schema):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("kind", "descriptor"),
    [
        ("schema", {"fields": [{"name": "a", "required": True}]}),
        ("schema", {"fields": [{"name": "a", "type": "string"}, {"name": "a"}]}),
        ("schema", {"fields": [{"name": "a"}], "primaryKey": ["b"]}),
        ("schema", {"fields": [{"name": "a", "type": "number", "constraints": {"pattern": "x"}}]}),
        ("schema", {"fields": [{"name": "a", "constraints": {"exclusiveMinimum": 1}}]}),
        ("dialect", {"header": "yes"}),
        ("package", {"name": "Bad Name", "resources": [{"name": "a", "path": "a.csv"}]}),
        ("package", {"resources": [{"name": "a", "path": "a.csv"}, {"name": "a", "path": "b"}]}),
        ("package", {"created": "yesterday", "resources": [{"name": "a", "path": "a.csv"}]}),
    ],
)
def test_what_frictionless_refuses_is_not_plain(kind: str, descriptor: dict[str, Any]) -> None:
    check = {"package": plain.package, "schema": plain.schema, "dialect": plain.dialect}[kind]
    assert (check(descriptor), frictionless_notes(kind, descriptor) != ()) == (False, True)
