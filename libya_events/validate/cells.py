"""Cell readers for the field types the package uses, without importing frictionless.

frictionless reads a cell in two steps: a *value reader* parses the text into a typed value
(None when it does not parse), then the field's constraints are checked on that value
(``Field.create_cell_reader`` in frictionless-py). The readers here copy those steps for the
field definitions they cover, statement by statement, so that they return what frictionless
returns: a date by the same ``strptime``, a number by the same ``Decimal``, the same
constraints in the same order. `reader` returns None for any other field definition; the table
layer then asks frictionless itself (imported only then). The differential tests
(``tests/test_validate_cells.py`` and the frictionless property tests) hold the two to the same
results.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

#: A cell reader: the typed value (None where missing or not parsed) and what is wrong with it
#: (None, or {"type": ...} or {constraint name: ...}), as frictionless's cell readers return.
CellReader = Callable[[Any], tuple[Any, dict[str, str] | None]]
ValueReader = Callable[[Any], Any]

#: What frictionless's URI format asks of a cell (rfc3986's parse with a required scheme):
#: that it start with a scheme and a colon.
_URI_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_DATE_PATTERN = "%Y-%m-%d"
#: A date in ASCII digits, zero-padded: ``strptime(cell, _DATE_PATTERN)`` reads it as the
#: numbers it shows, and fails exactly where ``date()`` of those numbers fails.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The constraints each type supports, in frictionless's order (the order of the notes).
_BOUNDED = ["required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"]
_CONSTRAINTS = {
    "string": ["required", "minLength", "maxLength", "pattern", "enum"],
    "date": _BOUNDED,
    "number": _BOUNDED,
    "integer": _BOUNDED,
}
_BOUNDS = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
#: Field properties the readers here understand (any other one, such as a number's groupChar
#: or a field's own missingValues, changes how frictionless reads a cell).
_KNOWN_PROPERTIES = {"name", "type", "format", "title", "description", "constraints", "rdfType"}
_KNOWN_PROPERTIES |= {"categories"}  # not read by frictionless


def _string_value(cell: Any) -> Any:
    return cell


def _uri_value(cell: Any) -> Any:
    if not isinstance(cell, str):
        return None
    return cell if _URI_SCHEME.match(cell) else None


def _date_value(cell: Any) -> Any:
    if isinstance(cell, datetime):
        moment = cell.time()
        if moment.hour == 0 and moment.minute == 0 and moment.second == 0:
            return datetime(cell.year, cell.month, cell.day).date()
        return None
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str):
        return None
    if _ISO_DATE.fullmatch(cell):  # what strptime would read, read directly (4x faster)
        try:
            return date(int(cell[:4]), int(cell[5:7]), int(cell[8:]))
        except ValueError:
            return None
    try:
        return datetime.strptime(cell, _DATE_PATTERN).date()
    except Exception:  # noqa: BLE001 - as frictionless: anything that does not parse
        return None


def _number_value(cell: Any) -> Any:
    if isinstance(cell, str):
        try:
            return Decimal(cell.strip())
        except Exception:  # noqa: BLE001 - as frictionless
            return None
    if isinstance(cell, Decimal):
        return cell
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return Decimal(str(cell))
    return None


def _integer_value(cell: Any) -> Any:
    if isinstance(cell, str):
        try:
            return int(cell.strip())
        except Exception:  # noqa: BLE001 - as frictionless
            return None
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, Decimal) and cell % 1 == 0:
        return int(cell)
    return None


def _value_reader(ftype: str, fmt: str) -> ValueReader | None:
    if ftype == "string":
        return {"default": _string_value, "uri": _uri_value}.get(fmt)
    if fmt != "default":
        return None
    return {"date": _date_value, "number": _number_value, "integer": _integer_value}.get(ftype)


def _bound(compare: Callable[[Any, Any], bool], constraint: Any, cell: Any) -> bool:
    if cell is None:
        return True
    if cell != cell:  # NaN
        return False
    return bool(compare(cell, constraint))


def _check(name: str, constraint: Any, value_reader: ValueReader) -> Callable[[Any], bool]:
    """frictionless's check of one constraint, with the constraint read as it reads it."""
    if name == "required":
        return lambda cell: not (constraint and cell is None)
    if name == "minLength":
        return lambda cell: cell is None or len(cell) >= constraint
    if name == "maxLength":
        return lambda cell: cell is None or len(cell) <= constraint
    if name == "pattern":
        pattern = re.compile(f"^{constraint}$")
        return lambda cell: cell is None or bool(pattern.match(cell))
    if name == "enum":
        allowed = list(map(value_reader, constraint))
        return lambda cell: cell is None or cell in allowed
    bound, compare = value_reader(constraint), _BOUNDS[name]
    return lambda cell: _bound(compare, bound, cell)


def reader(field: dict[str, Any], missing_values: list[str]) -> CellReader | None:
    """frictionless's cell reader for ``field`` (a Table Schema field), or None when the field
    is one this module does not cover (then ask frictionless)."""
    if not set(field) <= _KNOWN_PROPERTIES:
        return None
    ftype = field.get("type", "string")
    fmt = field.get("format", "default")
    constraints = field.get("constraints", {})
    if not isinstance(ftype, str) or not isinstance(fmt, str) or not isinstance(constraints, dict):
        return None
    value_reader = _value_reader(ftype, fmt)
    if value_reader is None:
        return None
    checks: dict[str, Callable[[Any], bool]] = {}
    for name in _CONSTRAINTS[ftype]:
        if constraints.get(name) is not None:
            checks[name] = _check(name, constraints[name], value_reader)

    def cell_reader(cell: Any) -> tuple[Any, dict[str, str] | None]:
        notes: dict[str, str] | None = None
        if str(cell) in missing_values:
            cell = None
        if cell is not None:
            cell = value_reader(cell)
            if cell is None:
                notes = {"type": f'type is "{ftype}/{fmt}"'}
        if not notes and checks:
            for name, check in checks.items():
                if not check(cell):
                    notes = notes or {}
                    notes[name] = f'constraint "{name}" is "{constraints[name]}"'
        return cell, notes

    return cell_reader
