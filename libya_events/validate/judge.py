"""JSON Schema verdicts for the keywords the record schemas use, without importing jsonschema.

The record layer asks, for a few dozen records and distinct values, "is this valid?"; the answer
is nearly always yes, and importing jsonschema to give it costs more than the rest of the record
layer on a small package. `verdict` answers for schemas made only of the keywords below (draft
2020-12, with formats asserted as the validator's jsonschema does), keyword by keyword as
jsonschema's own implementation does, and returns None for a schema with any other keyword.
jsonschema is still what explains a broken record (its message is the finding's) and what
judges everything `verdict` does not; ``tests/test_validate_judge.py`` holds the two to the
same verdicts.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

#: Keywords that assert nothing.
_NOTES = {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
_KEYWORDS = _NOTES | {
    "type",
    "enum",
    "const",
    "required",
    "properties",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "format",
}
_SCALARS = (str, int, float, bool, type(None))
#: jsonschema's ``date`` format check.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def verdict(schema: Any, instance: Any) -> bool | None:
    """Whether ``instance`` is valid against ``schema``; None when this module cannot tell."""
    if not _judged(schema) or not _plain_instance(instance):
        return None
    return _valid(schema, instance)


def verdicts(schema: Any, instances: list[Any]) -> list[bool] | None:
    """`verdict` for each of ``instances``; None when this module cannot tell for one."""
    if not _judged(schema) or not all(map(_plain_instance, instances)):
        return None
    return [_valid(schema, instance) for instance in instances]


def _plain_instance(instance: Any) -> bool:
    if isinstance(instance, dict):
        return all(isinstance(k, str) and isinstance(v, _SCALARS) for k, v in instance.items())
    return isinstance(instance, _SCALARS)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _judged(schema: Any) -> bool:
    """True when every keyword of ``schema`` and its sub-schemas is one `_valid` judges."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= _KEYWORDS:
        return False
    for key, value in schema.items():
        if key in ("enum", "const"):
            values = value if key == "enum" else [value]
            if not isinstance(values, list) or not all(isinstance(v, _SCALARS) for v in values):
                return False
        elif key == "type":
            names = value if isinstance(value, list) else [value]
            if not all(isinstance(n, str) and n in _TYPES for n in names):
                return False
        elif key == "required":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return False
        elif key == "properties":
            if not isinstance(value, dict) or not all(map(_judged, value.values())):
                return False
        elif key in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not value or not all(map(_judged, value)):
                return False
        elif key in ("not", "if", "then", "else", "additionalProperties"):
            if not _judged(value):
                return False
        elif key == "pattern":
            if not isinstance(value, str):
                return False
        elif key in ("minLength", "maxLength"):
            if type(value) is not int:
                return False
        elif key in ("minimum", "maximum"):
            if not _number(value):
                return False
        elif key == "format" and value != "date":
            return False  # other formats: as jsonschema's format checker has them
    return True


_TYPES = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: _number(v) and (isinstance(v, int) or v.is_integer()),
    "number": _number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality of scalars: True is not 1, False is not 0."""
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return one == two


def _valid(schema: Any, instance: Any) -> bool:
    if isinstance(schema, bool):
        return schema
    return all(_keyword(key, value, schema, instance) for key, value in schema.items())


def _keyword(key: str, value: Any, schema: dict[str, Any], instance: Any) -> bool:
    """Whether ``instance`` passes one keyword of ``schema`` (True for a keyword that does not
    apply to the instance's type, as in JSON Schema)."""
    if key == "type":
        names = value if isinstance(value, list) else [value]
        return any(_TYPES[n](instance) for n in names)
    if key == "enum":
        return any(_equal(each, instance) for each in value)
    if key == "const":
        return _equal(instance, value)
    if key == "allOf":
        return all(_valid(sub, instance) for sub in value)
    if key == "anyOf":
        return any(_valid(sub, instance) for sub in value)
    if key == "oneOf":
        return sum(_valid(sub, instance) for sub in value) == 1
    if key == "not":
        return not _valid(value, instance)
    if key == "if":
        branch = "then" if _valid(value, instance) else "else"
        return branch not in schema or _valid(schema[branch], instance)
    if isinstance(instance, dict):
        if key == "required":
            return all(name in instance for name in value)
        if key == "properties":
            return all(_valid(value[k], v) for k, v in instance.items() if k in value)
        if key == "additionalProperties":
            known = schema.get("properties", {})
            return all(_valid(value, v) for k, v in instance.items() if k not in known)
    if isinstance(instance, str):
        if key == "pattern":
            return re.search(value, instance) is not None
        if key == "minLength":
            return len(instance) >= value
        if key == "maxLength":
            return len(instance) <= value
        if key == "format":
            return _date(instance)
    if _number(instance):
        if key == "minimum":
            return instance >= value
        if key == "maximum":
            return instance <= value
    return True  # then, else and notes are read with their keyword; the rest do not apply


def _date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
