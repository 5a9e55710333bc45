"""Extension attributes of component types (GB/T 47678.5-2026 §4.4.2): the schema an
administrator writes per type, and the check of a component's values against it.

A schema is a list of {"name", "label", "type", "required", "choices"}; values arrive from
forms, JSON and CSV files alike, so text is converted ("12" → 12, "是" → True, "20261126" →
"2026-11-26") and anything that does not fit is reported per attribute.
"""

import re
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import Invalid

TYPES = ("string", "integer", "number", "boolean", "date", "choice")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})|(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
MAX_STRING = 200
# Column names of the component registry's own fields in imports and exports.
RESERVED = frozenset(
    {
        "code",
        "old_code",
        "type",
        "type_name",
        "status",
        "competent_department",
        "owner_department",
        "maintainer_department",
        "grid_code",
        "street_code",
        "community_code",
        "initial_date",
        "change_date",
        "data_source",
        "note",
        "lon",
        "lat",
        "wkt",
        "id",
        "fid",
    }
)

_TRUE = {"true", "1", "yes", "y", "是", "有"}
_FALSE = {"false", "0", "no", "n", "否", "无"}


class BadSchema(Invalid):
    default_code = "bad_attribute_schema"
    default_message = _("The extension attribute schema is not valid.")


def validate_schema(schema) -> list[dict]:
    """The schema in normal form, or BadSchema listing every problem."""
    if not isinstance(schema, list):
        raise BadSchema(errors={"": str(_("A list of attribute definitions is expected."))})
    errors: dict[str, str] = {}
    normal = []
    seen = set()
    for i, item in enumerate(schema, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        where = name if isinstance(name, str) and name else f"#{i}"
        if not isinstance(item, dict) or not isinstance(name, str) or not NAME_RE.match(name):
            errors[where] = str(_("A name of lower-case letters, digits and underscores is required."))
            continue
        if name in seen:
            errors[where] = str(_("This attribute name is defined twice."))
            continue
        if name in RESERVED:
            errors[where] = str(_("This name belongs to a standard field of the component."))
            continue
        seen.add(name)
        kind = item.get("type", "string")
        choices = item.get("choices") or []
        if kind not in TYPES:
            errors[where] = str(_("Unknown attribute type."))
            continue
        if kind == "choice" and (
            not isinstance(choices, list) or not choices or not all(isinstance(c, str) for c in choices)
        ):
            errors[where] = str(_("A choice attribute needs a list of choices."))
            continue
        normal.append(
            {
                "name": name,
                "label": str(item.get("label") or name),
                "type": kind,
                "required": bool(item.get("required", False)),
                "choices": list(choices) if kind == "choice" else [],
            }
        )
    if errors:
        raise BadSchema(errors=errors)
    return normal


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _convert(kind: str, value, choices: list[str]):
    """The value converted to the attribute's type; ValueError with a user message if it does not fit."""
    if kind == "string":
        text = str(value).strip()
        if len(text) > MAX_STRING:
            raise ValueError(_("At most %(n)d characters.") % {"n": MAX_STRING})
        return text
    if kind == "integer":
        if isinstance(value, bool):
            raise ValueError(_("A whole number is expected."))
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(_("A whole number is expected."))
        return int(text)
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("A number is expected."))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(_("A number is expected.")) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(_("A number is expected."))
        return number
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("Yes or no is expected."))
    if kind == "date":
        return parse_date(value).isoformat()
    text = str(value).strip()
    if text not in choices:
        raise ValueError(_("Not one of the allowed values: %(choices)s.") % {"choices": "、".join(choices)})
    return text


def parse_date(value) -> date:
    """A date from YYYYMMDD (the standard's format), ISO YYYY-MM-DD (a time part is ignored),
    or a date object."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_RE.fullmatch(str(value).strip())
    if match:
        try:
            return date(*(int(part) for part in match.groups() if part is not None))
        except ValueError:
            pass
    raise ValueError(_("A date is expected, as YYYYMMDD or YYYY-MM-DD."))


def clean_attributes(schema: list[dict], values: dict | None):
    """(cleaned values, {name: message}) for `values` checked against `schema`. Empty values
    count as absent."""
    values = values or {}
    errors: dict[str, str] = {}
    cleaned: dict = {}
    known = {a["name"]: a for a in schema}
    for name, value in values.items():
        attr = known.get(name)
        if attr is None:
            errors[name] = str(_("This type has no such attribute."))
            continue
        if _is_empty(value):
            continue
        try:
            cleaned[name] = _convert(attr["type"], value, attr.get("choices") or [])
        except ValueError as exc:
            errors[name] = str(exc.args[0]) if exc.args else str(_("Not a valid value."))
    for attr in schema:
        if attr.get("required") and attr["name"] not in cleaned and attr["name"] not in errors:
            errors[attr["name"]] = str(_("This attribute is required."))
    return cleaned, errors
