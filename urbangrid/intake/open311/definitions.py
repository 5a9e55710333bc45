"""Our catalogue as Open311 services: each active matter type is a service, its code the
service_code; its extension attributes (catalog.attributes) and, for component problems, the
component's code are the service definition's attributes."""

import re

from django.utils.translation import gettext as _

from urbangrid.catalog.attributes import clean_attributes
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core.errors import Invalid

from .formats import Open311Error

COMPONENT_CODE = "component_code"
# Classes 01–05 are component problems (GB/T 47678.5-2026 Table C.1).
LAST_COMPONENT_CLASS = "05"
ATTRIBUTE_RE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
DATATYPE = {
    "string": "string",
    "integer": "number",
    "number": "number",
    "date": "datetime",
    "boolean": "singlevaluelist",
    "choice": "singlevaluelist",
}


def matter_types():
    return CatalogType.objects.filter(kind=Kind.MATTER, active=True).order_by("code")


def get_type(service_code: str) -> CatalogType:
    found = matter_types().filter(code=service_code).first() if service_code else None
    if found is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": service_code})
    return found


def _takes_component(t: CatalogType) -> bool:
    return t.major_code <= LAST_COMPONENT_CLASS


def attributes(t: CatalogType) -> list[dict]:
    out = []
    if _takes_component(t):
        out.append(
            {
                "variable": True,
                "code": COMPONENT_CODE,
                "datatype": "string",
                "required": False,
                "datatype_description": _("The code printed on the component, if it can be read."),
                "order": 1,
                "description": _("Component code"),
            }
        )
    for attr in t.attribute_schema or []:
        item = {
            "variable": True,
            "code": attr["name"],
            "datatype": DATATYPE.get(attr.get("type"), "string"),
            "required": bool(attr.get("required")),
            "datatype_description": _("YYYY-MM-DD") if attr.get("type") == "date" else None,
            "order": len(out) + 1,
            "description": attr.get("label") or attr["name"],
        }
        if attr.get("type") == "choice":
            item["values"] = [{"key": c, "name": c} for c in attr.get("choices") or []]
        elif attr.get("type") == "boolean":
            item["values"] = [{"key": "true", "name": _("Yes")}, {"key": "false", "name": _("No")}]
        out.append(item)
    return out


def service(t: CatalogType) -> dict:
    return {
        "service_code": t.code,
        "service_name": t.name,
        "description": t.filing_condition or None,
        "metadata": bool(attributes(t)),
        "type": "realtime",
        "keywords": None,
        "group": t.major_name or None,
    }


def definition(t: CatalogType) -> dict:
    return {"service_code": t.code, "attributes": attributes(t)}


def posted_attributes(data) -> dict:
    """`attribute[code]=v` and `attribute[code][]=v1&…` of a POST, as {code: value or list}."""
    values = {}
    for key in data:
        match = ATTRIBUTE_RE.match(key)
        if match:
            values[match.group(1)] = data.getlist(key) if match.group(2) else data.get(key)
    return values


def check_attributes(t: CatalogType, posted: dict) -> tuple[str, list[str]]:
    """The component code and the type's attribute values as "label: value" lines. Attributes the
    definition does not list are ignored: real clients send their own (FixMyStreet sends its
    report id, title and URL)."""
    schema = t.attribute_schema or []
    known = {a["name"] for a in schema}
    cleaned, errors = clean_attributes(schema, {k: v for k, v in posted.items() if k in known})
    if errors:
        raise Invalid("bad_attributes", _("Some attributes are not valid."), errors=errors)
    labels = {a["name"]: a.get("label") or a["name"] for a in schema}
    lines = [f"{labels[k]}: {_shown(v)}" for k, v in cleaned.items()]
    component = posted.get(COMPONENT_CODE) if _takes_component(t) else ""
    return (component or "").strip() if isinstance(component, str) else "", lines


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
