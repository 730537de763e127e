"""Descriptors frictionless is sure to accept, recognised without importing frictionless.

frictionless checks a descriptor against its profiles (JSON Schemas held as Python dicts in its
classes) and then with checks of its own (unique names, keys naming fields, the v1 name
pattern, safe paths, ...). Importing frictionless and running those checks is most of the
validator's start-up on a small package, and a package's descriptor is nearly always fine.

So each part of the descriptor (the package, each Table Schema, each dialect) is first matched
against a *plain* shape: only the properties listed here, each of the JSON type the profile
asks, names and keys consistent, and nothing that depends on the Data Package version (no
``exclusiveMinimum``, no missing values given as objects, names matching the v1 pattern, which
every version accepts). A plain part passes every check frictionless makes. Anything else,
however harmless, is not plain, and goes to frictionless, whose notes are the findings; so a
finding's text is always frictionless's. ``tests/test_validate_plain.py`` holds this to
frictionless on mutated descriptors: whatever is plain, frictionless accepts.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

#: frictionless's v1 name pattern (``settings.NAME_PATTERN``).
_NAME = re.compile(r"^([-a-z0-9._/])+$")
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})?")

_PACKAGE_TEXT = {"name", "id", "title", "description", "homepage", "version", "image"}
_RESOURCE_TEXT = {"title", "description", "homepage", "path", "scheme", "format", "mediatype"}
_RESOURCE_TEXT |= {"encoding"}
_DIALECT_TEXT = {"delimiter", "lineTerminator", "quoteChar", "escapeChar", "nullSequence"}
_DIALECT_FLAGS = {"header", "doubleQuote", "skipInitialSpace", "skipBlankRows", "headerCase"}
_SCHEMA_KEYS = {"$schema", "fields", "primaryKey", "foreignKeys", "missingValues", "title"}
_SCHEMA_KEYS |= {"description", "name"}
_FIELD_TEXT = {"name", "format", "title", "description", "rdfType"}
#: The formats frictionless's profile allows a string field.
_STRING_FORMATS = ("default", "email", "uri", "binary", "uuid", "wkt")
#: Field properties frictionless does not read (kept as they are); so are ``x-...`` ones.
_FIELD_FREE = {"categories"}
#: Field types and the constraints frictionless supports for each (``unique`` for all),
#: without the bounds a v1 package refuses (exclusiveMinimum, exclusiveMaximum).
_BOUNDED = {"required", "unique", "minimum", "maximum", "enum"}
_FIELD_CONSTRAINTS = {
    "string": {"required", "unique", "minLength", "maxLength", "pattern", "enum"},
    "number": _BOUNDED,
    "integer": _BOUNDED,
    "date": _BOUNDED,
    "datetime": _BOUNDED,
    "boolean": {"required", "unique", "enum"},
}


#: Nesting deeper than this is never plain (frictionless copies descriptors recursively).
_DEPTH = 32


def _shallow(value: object) -> bool:
    """True when ``value`` nests lists and objects at most ``_DEPTH`` deep."""
    level = [value]
    for _ in range(_DEPTH):
        level = [
            item
            for node in level
            if isinstance(node, dict | list)
            for item in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return True
    return False


def _text(value: object) -> bool:
    return isinstance(value, str)


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _name(value: object) -> bool:
    return isinstance(value, str) and _NAME.match(value) is not None


def _objects(value: object, keys: set[str]) -> bool:
    """A list of objects with only ``keys``, each a string."""
    return isinstance(value, list) and all(
        isinstance(item, dict) and set(item) <= keys and all(map(_text, item.values()))
        for item in value
    )


def _safe(path: str) -> bool:
    """frictionless's ``helpers.is_safe_path``."""
    return not (
        os.path.isabs(path)
        or f"..{os.path.sep}" in path
        or path.startswith("~")
        or os.path.expandvars(path) != path
        or re.match(r"%.+%", path)
        or re.match(r"\$.+", path)
        or urlparse(path).scheme == "file"
    )


def _created(value: object) -> bool:
    """A datetime frictionless reads (an ISO 8601 date and time, seconds and zone given)."""
    if not isinstance(value, str) or not _CREATED.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def package(descriptor: Any) -> bool:
    """True when frictionless is sure to accept the package descriptor (resources as the
    validator hands them over: schemas removed, dialects inline)."""
    if not isinstance(descriptor, dict) or not _shallow(descriptor):
        return False
    for key, value in descriptor.items():
        ok = (
            (key in _PACKAGE_TEXT and _text(value))
            or (key == "$schema" and _text(value))
            or (key == "keywords" and _texts(value))
            or (key == "created" and _created(value))
            or (key == "licenses" and _licenses(value))
            or (key in ("sources", "contributors") and _objects(value, _PEOPLE))
            or (key == "resources" and isinstance(value, list))
        )
        if not ok:
            return False
    if "name" in descriptor and not _name(descriptor["name"]):
        return False
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(map(_resource, resources)):
        return False
    names = [r["name"] for r in resources]
    return len(names) == len(set(names))


_PEOPLE = {"title", "path", "organisation", "role"}


def _licenses(value: object) -> bool:
    return _objects(value, {"name", "path", "title"}) and all(
        item.get("path") or item.get("name")
        for item in value  # type: ignore[union-attr]
    )


def _resource(resource: object) -> bool:
    if not isinstance(resource, dict) or not _name(resource.get("name")):
        return False
    for key, value in resource.items():
        ok = (
            key == "name"
            or (key in _RESOURCE_TEXT and _text(value))
            or (key == "$schema" and _text(value))
            or (key == "type" and value == "table")
            or (key == "dialect" and dialect(value))
        )
        if not ok:
            return False
    path = resource.get("path")
    return isinstance(path, str) and _safe(path)


def dialect(descriptor: Any) -> bool:
    """True when frictionless is sure to accept the CSV dialect."""
    return isinstance(descriptor, dict) and all(
        (key in _DIALECT_TEXT and _text(value))
        or (key in _DIALECT_FLAGS and isinstance(value, bool))
        or (key == "$schema" and _text(value))
        for key, value in descriptor.items()
    )


def schema(descriptor: Any) -> bool:
    """True when frictionless is sure to accept the Table Schema (extension properties, named
    ``x-...``, are left alone, as frictionless does)."""
    if not isinstance(descriptor, dict) or not _shallow(descriptor):
        return False
    if not set(k for k in descriptor if not k.startswith("x-")) <= _SCHEMA_KEYS:
        return False
    fields = descriptor.get("fields")
    if not isinstance(fields, list) or not all(map(_field, fields)):
        return False
    names = [f["name"] for f in fields]
    if len(names) != len(set(names)):
        return False
    if not all(_text(descriptor.get(k, "")) for k in ("$schema", "title", "description")):
        return False
    if "name" in descriptor and not _name(descriptor["name"]):
        return False
    if not _texts(descriptor.get("missingValues", [])):
        return False
    if not _key(descriptor.get("primaryKey", []), names, empty=True):
        return False
    foreign_keys = descriptor.get("foreignKeys", [])
    return isinstance(foreign_keys, list) and all(_foreign_key(fk, names) for fk in foreign_keys)


def _key(value: object, names: list[str], empty: bool = False) -> bool:
    """A field name or a list of them, each one of ``names``."""
    if isinstance(value, str):
        return value in names and value != ""
    return _texts(value) and (empty or bool(value)) and all(v in names for v in value)  # type: ignore[union-attr]


def _foreign_key(fk: object, names: list[str]) -> bool:
    if not isinstance(fk, dict) or set(fk) != {"fields", "reference"}:
        return False
    ref = fk["reference"]
    if not isinstance(ref, dict) or set(ref) != {"resource", "fields"}:
        return False
    if not _text(ref["resource"]) or not _key(fk["fields"], names):
        return False
    ref_fields = ref["fields"]
    if not (isinstance(ref_fields, str) or (_texts(ref_fields) and ref_fields)):
        return False
    size = 1 if isinstance(fk["fields"], str) else len(fk["fields"])
    return size == (1 if isinstance(ref_fields, str) else len(ref_fields))


def _field(field: object) -> bool:
    if not isinstance(field, dict) or not field.get("name") or not _text(field["name"]):
        return False
    ftype = field.get("type", "string")
    supported = _FIELD_CONSTRAINTS.get(ftype) if isinstance(ftype, str) else None
    if supported is None:
        return False
    if ftype == "string" and field.get("format", "default") not in _STRING_FORMATS:
        return False
    for key, value in field.items():
        ok = (
            (key in _FIELD_TEXT and _text(value))
            or key == "type"
            or key in _FIELD_FREE
            or key.startswith("x-")
            or (key == "constraints" and _constraints(value, supported))
        )
        if not ok:
            return False
    return True


def _constraints(value: object, supported: set[str]) -> bool:
    if not isinstance(value, dict) or not set(value) <= supported:
        return False
    for name, constraint in value.items():
        if name in ("required", "unique") and not isinstance(constraint, bool):
            return False
        if name in ("minLength", "maxLength") and type(constraint) is not int:
            return False
        if name == "pattern" and not _text(constraint):
            return False
        if name == "enum" and not isinstance(constraint, list):
            return False
    return True


#: JSON Schema keywords a plain record schema may use, each with what its value must be for
#: the schema to be valid against the draft 2020-12 meta-schema.
_JSON_TYPES = {"null", "boolean", "integer", "number", "string", "array", "object"}
_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s#]+")
_DRAFT_2020_12 = (
    "https://json-schema.org/draft/2020-12/schema",
    "https://json-schema.org/draft/2020-12/schema#",
)


def json_schema(schema: Any) -> bool:
    """True when ``schema`` (a record schema) is sure to be valid against its meta-schema: made
    only of common keywords, each with a value of the kind the meta-schema asks for."""
    return _shallow(schema) and _json_subschema(schema, root=True)


def _json_subschema(schema: Any, root: bool = False) -> bool:
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key == "$schema" and root:
            ok = value in _DRAFT_2020_12
        elif key == "$id" and root:
            ok = _text(value) and _ID.fullmatch(value) is not None
        elif key in ("title", "description", "$comment", "format"):
            ok = _text(value)
        elif key == "type":
            names = value if isinstance(value, list) else [value]
            ok = (
                bool(names)
                and all(isinstance(n, str) and n in _JSON_TYPES for n in names)
                and len(set(names)) == len(names)
            )
        elif key in ("minLength", "maxLength"):
            ok = type(value) is int and value >= 0
        elif key in ("minimum", "maximum"):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif key == "pattern":
            ok = _text(value) and _regex(value)
        elif key == "required":
            ok = _texts(value) and len(set(value)) == len(value)
        elif key == "properties":
            ok = isinstance(value, dict) and all(map(_json_subschema, value.values()))
        elif key in ("allOf", "anyOf", "oneOf"):
            ok = isinstance(value, list) and bool(value) and all(map(_json_subschema, value))
        elif key in ("not", "if", "then", "else", "additionalProperties"):
            ok = _json_subschema(value)
        elif key in ("enum", "examples"):
            ok = isinstance(value, list)
        else:
            ok = key in ("const", "default")
        if not ok:
            return False
    return True


def _regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
