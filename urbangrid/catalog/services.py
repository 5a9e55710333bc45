"""Changes to the catalogue: per-type rules, time limits, local types, default departments.

The standard rows themselves (code, name, class) are fixed by GB/T 47678.5-2026; what a city
configures is everything around them, and its own local types with minor codes 9xx.
"""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department, Role
from urbangrid.audit import services as audit
from urbangrid.core.errors import Conflict, Invalid, NotFound

from .attributes import validate_schema
from .models import CatalogType, Kind, TimeLimit

permissions.register("catalog.edit", Role.ADMIN)

CODE_RE = re.compile(r"^\d{5}$")
# Fields an administrator may change on any type; local types may also be renamed.
EDITABLE = frozenset(
    {
        "default_department",
        "filing_condition",
        "closing_condition",
        "attribute_schema",
        "duplicate_radius_m",
        "duplicate_window_hours",
        "active",
    }
)
LOCAL_EDITABLE = EDITABLE | {"name"}
MAX_LIMIT_VALUE = Decimal("99999")


def _require_editor(actor) -> None:
    # None is the system itself: the data migration, the demo builder, console commands.
    if actor is not None:
        permissions.require(actor, "catalog.edit")


def get_type(kind: str, code: str, *, lock: bool = False) -> CatalogType:
    qs = CatalogType.objects.select_for_update() if lock else CatalogType.objects
    try:
        return qs.get(kind=kind, code=code)
    except CatalogType.DoesNotExist:
        raise NotFound("unknown_type", _("No such catalogue type."), kind=kind, type_code=code) from None


def _audit_value(value):
    if isinstance(value, Department):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


def _clean_fields(obj: CatalogType, fields: dict) -> dict:
    allowed = LOCAL_EDITABLE if obj.is_local_extension else EDITABLE
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise Invalid("field_not_editable", _("These fields cannot be changed."), fields=unknown)
    cleaned = dict(fields)
    if "attribute_schema" in cleaned:
        if obj.kind != Kind.COMPONENT and cleaned["attribute_schema"]:
            raise Invalid("schema_for_matter", _("Only component types have extension attributes."))
        cleaned["attribute_schema"] = validate_schema(cleaned["attribute_schema"])
    if "name" in cleaned:
        cleaned["name"] = _clean_name(cleaned["name"])
    dept = cleaned.get("default_department")
    if dept is not None and not isinstance(dept, Department):
        raise Invalid("bad_department", _("A department is expected."))
    for key in ("duplicate_radius_m", "duplicate_window_hours"):
        if key in cleaned and (not isinstance(cleaned[key], int) or cleaned[key] < 0):
            raise Invalid("bad_number", _("A whole number of at least 0 is expected."), field=key)
    for key in ("filing_condition", "closing_condition"):
        if key in cleaned:
            cleaned[key] = str(cleaned[key] or "").strip()
    return cleaned


def _clean_name(name) -> str:
    name = str(name or "").strip()
    if not name or len(name) > CatalogType._meta.get_field("name").max_length:
        raise Invalid("bad_name", _("A name of 1 to 50 characters is required."))
    return name


@transaction.atomic
def update_type(actor, kind: str, code: str, **fields) -> CatalogType:
    """Change the configurable rules of one type; the audit record keeps old and new values."""
    _require_editor(actor)
    obj = get_type(kind, code, lock=True)
    cleaned = _clean_fields(obj, fields)
    before = {k: _audit_value(getattr(obj, k)) for k in cleaned}
    for key, value in cleaned.items():
        setattr(obj, key, value)
    if cleaned:
        obj.save(update_fields=list(cleaned))
    after = {k: _audit_value(getattr(obj, k)) for k in cleaned}
    changed = {k: {"from": before[k], "to": after[k]} for k in cleaned if before[k] != after[k]}
    audit.append(actor, "catalog.update_type", "catalog_type", f"{kind}:{code}", {"changes": changed})
    return obj


def validate_limits(limits) -> list[dict]:
    """Time limits in normal form: per urgency, stages numbered 1, 2, … without gaps."""
    if not isinstance(limits, list | tuple):
        raise Invalid("bad_time_limits", _("A list of time limits is expected."))
    normal: list[dict] = []
    errors: list[str] = []
    for i, item in enumerate(limits, start=1):
        item = dict(item)
        urgency = item.get("urgency", TimeLimit.Urgency.NORMAL)
        unit = item.get("unit", TimeLimit.Unit.WORK_HOURS)
        try:
            stage = int(item.get("stage", 1))
            value = Decimal(str(item.get("value")))
        except (TypeError, ValueError, InvalidOperation):
            errors.append(str(_("Limit %(i)d: stage and value must be numbers.") % {"i": i}))
            continue
        if urgency not in TimeLimit.Urgency.values or unit not in TimeLimit.Unit.values:
            errors.append(str(_("Limit %(i)d: unknown urgency or unit.") % {"i": i}))
            continue
        if not (Decimal(0) < value <= MAX_LIMIT_VALUE) or stage < 1:
            errors.append(
                str(_("Limit %(i)d: the value must be above 0 and the stage at least 1.") % {"i": i})
            )
            continue
        normal.append(
            {
                "urgency": urgency,
                "stage": stage,
                "stage_name": str(item.get("stage_name") or "").strip()[:30],
                "value": value.quantize(Decimal("0.01")),
                "unit": unit,
            }
        )
    for urgency in TimeLimit.Urgency.values:
        stages = sorted(x["stage"] for x in normal if x["urgency"] == urgency)
        if stages != list(range(1, len(stages) + 1)):
            errors.append(
                str(
                    _("The stages of each urgency must be numbered 1, 2, 3 … once each (%(u)s).")
                    % {"u": urgency}
                )
            )
    if normal and not any(x["urgency"] == TimeLimit.Urgency.NORMAL for x in normal):
        errors.append(str(_("An urgent limit needs a normal limit beside it.")))
    if errors:
        raise Invalid("bad_time_limits", _("The time limits are not valid."), errors=errors)
    return sorted(normal, key=lambda x: (x["urgency"], x["stage"]))


@transaction.atomic
def set_time_limits(actor, kind: str, code: str, limits) -> list[TimeLimit]:
    """Replace all time limits of a type (an empty list removes them)."""
    _require_editor(actor)
    obj = get_type(kind, code, lock=True)
    normal = validate_limits(limits)
    before = [_limit_dict(t) for t in obj.time_limits.all()]
    obj.time_limits.all().delete()
    created = TimeLimit.objects.bulk_create([TimeLimit(type=obj, **x) for x in normal])
    audit.append(
        actor,
        "catalog.set_time_limits",
        "catalog_type",
        f"{kind}:{code}",
        {"from": before, "to": [_limit_dict(t) for t in created]},
    )
    return created


def _limit_dict(t: TimeLimit) -> dict:
    return {
        "urgency": t.urgency,
        "stage": t.stage,
        "stage_name": t.stage_name,
        "value": str(Decimal(t.value).quantize(Decimal("0.01"))),
        "unit": t.unit,
    }


@transaction.atomic
def add_local_type(
    actor, kind: str, code: str, name: str, major_code: str, *, major_name: str = "", **fields
) -> CatalogType:
    """A city's own type. Its minor code is 9xx so it never collides with a standard code; its
    major class is an existing one, or a new one when `major_name` names it."""
    _require_editor(actor)
    if kind not in Kind.values:
        raise Invalid("bad_kind", _("The kind is component or matter."), kind=kind)
    code, major_code = str(code), str(major_code)
    if not CODE_RE.match(code) or code[:2] != major_code:
        raise Invalid("bad_code", _("A 5-digit code starting with its 2-digit major class is required."))
    if code[2] != "9":
        raise Invalid("not_local_code", _("Local types use minor codes 900–999."), type_code=code)
    existing_major = CatalogType.objects.filter(kind=kind, major_code=major_code).values_list(
        "major_name", flat=True
    )
    known_name = next(iter(existing_major), None)
    if known_name is None and not str(major_name).strip():
        raise Invalid(
            "unknown_major", _("Unknown major class: give its name to create it."), major=major_code
        )
    if CatalogType.objects.filter(kind=kind, code=code).exists():
        raise Conflict(
            "duplicate_type", _("This code is already in the catalogue."), kind=kind, type_code=code
        )
    obj = CatalogType(
        kind=kind,
        code=code,
        name=_clean_name(name),
        major_code=major_code,
        major_name=known_name or str(major_name).strip()[:30],
        is_local_extension=True,
    )
    for key, value in _clean_fields(obj, fields).items():
        setattr(obj, key, value)
    obj.save()
    audit.append(
        actor,
        "catalog.add_local_type",
        "catalog_type",
        f"{kind}:{code}",
        {"name": obj.name, "major": major_code, **{k: _audit_value(v) for k, v in fields.items()}},
    )
    return obj


@transaction.atomic
def assign_default_departments(actor, mapping: dict[str, Department]) -> int:
    """Set the default responsible department of every type whose shipped suggestion
    (`typical_department`, e.g. "供电企业") is a key of `mapping`; returns how many types changed.
    A suggestion that matches no type is an error, so a typo in a county set-up cannot pass."""
    _require_editor(actor)
    known = set(CatalogType.objects.values_list("typical_department", flat=True))
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise Invalid(
            "unknown_suggestion", _("No type carries these suggested departments."), unknown=unknown
        )
    changed = 0
    for suggestion, dept in mapping.items():
        if not isinstance(dept, Department):
            raise Invalid("bad_department", _("A department is expected."), suggestion=suggestion)
        changed += CatalogType.objects.filter(typical_department=suggestion).update(default_department=dept)
    audit.append(
        actor,
        "catalog.assign_default_departments",
        "catalog",
        "default_departments",
        {"mapping": {k: v.code for k, v in sorted(mapping.items())}, "types": changed},
    )
    return changed
