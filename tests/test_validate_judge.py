"""Differential: `validate.judge` gives jsonschema's verdict wherever it gives one.

Generated schemas built from the keywords the record schemas use (and the shipped record
schemas and their rules themselves), against generated records and values: where `verdict`
answers, it is jsonschema's answer (draft 2020-12, formats asserted, as the record layer
validates); where a schema uses another keyword, it does not answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from libya_events.validate import judge

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["a", "b", "c"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 1.5, -2.5]),
    st.sampled_from(["", "x", "abc", "2020-02-29", "2021-02-29", "2020-1-1", "Ab1", "é"]),
)
PATTERNS = st.sampled_from(["^a", "b$", "^[a-z]+$", "\\d", "^\\d{4}-\\d{2}-\\d{2}$"])


def schemas() -> st.SearchStrategy[Any]:
    leaf = st.one_of(
        st.booleans(),
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.sampled_from(
                    ["string", "number", "integer", "boolean", "null", ["string", "null"]]
                ),
                "enum": st.lists(SCALARS, max_size=3),
                "const": SCALARS,
                "pattern": PATTERNS,
                "minLength": st.integers(0, 3),
                "maxLength": st.integers(0, 3),
                "minimum": st.sampled_from([0, 1, 1.5]),
                "maximum": st.sampled_from([0, 1, 2.5]),
                "format": st.just("date"),
                "$comment": st.just("a note"),
            },
        ),
    )

    def nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {},
            optional={
                "required": st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
                "properties": st.dictionaries(st.sampled_from(NAMES), inner, max_size=2),
                "additionalProperties": inner,
                "allOf": st.lists(inner, min_size=1, max_size=2),
                "anyOf": st.lists(inner, min_size=1, max_size=2),
                "oneOf": st.lists(inner, min_size=1, max_size=2),
                "not": inner,
                "if": inner,
                "then": inner,
                "else": inner,
                "type": st.just("object"),
            },
        )

    return st.recursive(leaf, nest, max_leaves=6)


INSTANCES = st.one_of(SCALARS, st.dictionaries(st.sampled_from(NAMES), SCALARS, max_size=3))


def jsonschema_verdict(schema: Any, instance: Any) -> bool:
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER
    return Draft202012Validator(schema, format_checker=checker).is_valid(instance)


@settings(max_examples=500)
@given(schemas(), st.lists(INSTANCES, min_size=1, max_size=5))
def test_the_verdicts_are_jsonschemas(schema: Any, instances: list[Any]) -> None:
    ours = [judge.verdict(schema, i) for i in instances]
    assert ours == [jsonschema_verdict(schema, i) for i in instances]


def record_schemas() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(ROOT.glob("schemas/*.record.json"))]


def test_the_shipped_record_schemas_and_rules_are_judged() -> None:
    parts = [s for schema in record_schemas() for s in [schema, *schema.get("allOf", [])]]
    assert [judge.verdict(part, {}) is not None for part in parts] == [True] * len(parts)


@settings(max_examples=300)
@given(st.data())
def test_the_shipped_rules_give_jsonschemas_verdicts(data: st.DataObject) -> None:
    schema = data.draw(st.sampled_from(record_schemas()))
    rule = data.draw(st.sampled_from(schema.get("allOf") or [True]))
    names = sorted(schema.get("properties", {}))
    record = data.draw(st.dictionaries(st.sampled_from(names), SCALARS, max_size=6))
    assert judge.verdict(rule, record) == jsonschema_verdict(rule, record)


def test_a_keyword_it_does_not_judge_gets_no_verdict() -> None:
    unjudged = [{"items": {}}, {"format": "uri"}, {"$ref": "#"}, {"enum": [[1]]}, {"type": "x"}]
    assert [judge.verdict(s, "a") for s in unjudged] == [None] * len(unjudged)
