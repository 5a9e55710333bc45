"""Changes to the component registry: register, update, relocate, change status, add photos,
import and export, and the map-cell aggregate. Every change is checked, audited and keeps
MapCell counts in step inside its own transaction.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department, Role
from urbangrid.audit import services as audit
from urbangrid.catalog.attributes import clean_attributes
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound
from urbangrid.geo import geocoding, tiles

from . import codes, mapcells
from .exporting import export_components
from .importer import import_components
from .models import Component, ComponentPhoto, DataSource, Status, StatusChange
from .photos import check_photo
from .rules import anchor, check_geometry, clean_note, require, today

UPDATABLE = frozenset(
    {
        "competent_department",
        "owner_department",
        "maintainer_department",
        "initial_date",
        "data_source",
        "note",
        "attributes",
        "old_code",
    }
)
__all__ = [
    "add_photo",
    "change_status",
    "export_components",
    "get_component",
    "import_components",
    "rebuild_map_cells",
    "register_component",
    "relocate",
    "update_component",
]


def get_component(code: str, *, lock: bool = False) -> Component:
    """A component by its 17-digit code or its 16-digit 2013 code."""
    code = str(code or "").strip()
    qs = Component.objects.select_related(
        "type", "competent_department", "owner_department", "maintainer_department"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    if codes.CODE_RE.match(code):
        found = qs.filter(code=code).first()
    elif codes.OLD_CODE_RE.match(code):
        found = qs.filter(old_code=code).first()
    else:
        found = None
    if found is None:
        raise NotFound("unknown_component", _("No component has this code."), component=code)
    return found


def component_type(type_code: str) -> CatalogType:
    ctype = CatalogType.objects.filter(kind=Kind.COMPONENT, code=str(type_code), active=True).first()
    if ctype is None:
        raise Invalid("unknown_type", _("Unknown component type."), type=str(type_code))
    return ctype


def _require_on(actor, action: str, component: Component) -> str:
    """Check `action` on one component and return the role it is done in: a supervisor acts
    in their area, disposal staff for a department responsible for the component."""
    if actor is None:
        return ""
    departments = [
        d
        for d in (
            component.competent_department_id,
            component.owner_department_id,
            component.maintainer_department_id,
        )
        if d
    ]
    roles = getattr(actor, "roles", frozenset()) if getattr(actor, "is_authenticated", False) else frozenset()
    if Role.ADMIN in roles or getattr(actor, "is_superuser", False):
        require(actor, action, area_code=component.grid_code)
        return Role.ADMIN
    if Role.SUPERVISOR in roles and Role.DISPOSER not in roles:
        require(actor, action, area_code=component.grid_code)
        return Role.SUPERVISOR
    if Role.DISPOSER in roles and Role.SUPERVISOR not in roles:
        require(actor, action, department_ids=departments)
        return Role.DISPOSER
    require(actor, action, area_code=component.grid_code, department_ids=departments)
    return Role.SUPERVISOR if Role.SUPERVISOR in roles else ""


def _department(value, field: str) -> Department | None:
    if value is None or isinstance(value, Department):
        return value
    raise Invalid("bad_department", _("A department is expected."), field=field)


def _clean_old_code(old_code, *, exclude_pk=None) -> str:
    old_code = str(old_code or "").strip()
    if not old_code:
        return ""
    if not codes.OLD_CODE_RE.match(old_code):
        raise Invalid("bad_old_code", _("A 2013 component code has 16 digits."), old_code=old_code)
    clash = Component.objects.filter(old_code=old_code).exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict(
            "duplicate_old_code", _("Another component already has this 2013 code."), old_code=old_code
        )
    return old_code


def _clean_attrs(ctype: CatalogType, values) -> dict:
    if values is not None and not isinstance(values, dict):
        raise Invalid("bad_attributes", _("Extension attributes are a set of name → value."))
    cleaned, errors = clean_attributes(ctype.attribute_schema or [], values)
    if errors:
        raise Invalid("bad_attributes", _("Some extension attributes are not valid."), errors=errors)
    return cleaned


def _locate(geom) -> geocoding.Location:
    point = anchor(geom)
    return geocoding.locate(point.x, point.y)


def _place(component: Component, geom, location: geocoding.Location) -> None:
    component.set_geometry(geom)
    component.geometry_type = check_geometry(geom)
    component.tile_key = tiles.point_key(component.lon, component.lat)
    component.grid_code = location.grid_code
    component.street_code = location.street.code
    component.community_code = location.community.code


@transaction.atomic
def register_component(
    actor,
    *,
    type_code: str,
    geometry,
    competent_department: Department | None,
    owner_department: Department | None = None,
    maintainer_department: Department | None = None,
    initial_date=None,
    data_source: str = DataSource.SURVEY,
    note: str = "",
    attributes: dict | None = None,
    old_code: str = "",
    status: str = Status.INTACT,
) -> Component:
    """Register one component (WGS84 geometry) and give it its 17-digit code: the county code
    of the district it lies in, its type, and the next serial of that pair. Without a
    competent department the type's default responsible department is taken."""
    require(actor, "component.register")
    ctype = component_type(type_code)
    check_geometry(geometry)
    location = _locate(geometry)
    require(actor, "component.register", area_code=location.grid_code)
    competent_department = (
        _department(competent_department, "competent_department") or ctype.default_department
    )
    if competent_department is None:
        raise Invalid("missing_department", _("No competent department, and the type has no default one."))
    _department(owner_department, "owner_department")
    _department(maintainer_department, "maintainer_department")
    if status not in Status.values:
        raise Invalid("bad_status", _("Unknown component status."), status=status)
    if data_source not in DataSource.values:
        raise Invalid("bad_data_source", _("Unknown data source."), data_source=data_source)
    cleaned_attrs = _clean_attrs(ctype, attributes)
    note = clean_note(note)
    old_code = _clean_old_code(old_code)
    serial = codes.allocate(location.district.code, ctype.code)
    now = clock.now()
    component = Component(
        code=codes.compose(location.district.code, ctype.code, serial),
        old_code=old_code,
        type=ctype,
        admin_code=location.district.code,
        status=status,
        competent_department=competent_department,
        owner_department=owner_department,
        maintainer_department=maintainer_department,
        initial_date=initial_date or today(),
        data_source=data_source,
        note=note,
        attributes=cleaned_attrs,
        created_at=now,
        updated_at=now,
    )
    _place(component, geometry, location)
    component.save()
    if mapcells.on_map(status):
        mapcells.apply(component, +1)
    audit.append(
        actor,
        "component.register",
        "component",
        component.code,
        {
            "type": ctype.code,
            "lon": round(component.lon, 7),
            "lat": round(component.lat, 7),
            "grid": component.grid_code,
            "competent_department": competent_department.code,
            "owner_department": owner_department.code if owner_department else None,
            "maintainer_department": maintainer_department.code if maintainer_department else None,
            "attributes": cleaned_attrs,
            "old_code": old_code,
        },
        to_state=status,
    )
    return component


@transaction.atomic
def change_status(actor, code: str, to_status: str, reason: str) -> Component:
    """Record a new status (完好/破损/丢失/废弃/移除/占用) with who, when and why."""
    component = get_component(code, lock=True)
    role = _require_on(actor, "component.change_status", component)
    if to_status not in Status.values:
        raise Invalid("bad_status", _("Unknown component status."), status=to_status)
    reason = str(reason or "").strip()
    if not reason:
        raise Invalid("reason_required", _("Say why the status changes."))
    if len(reason) > StatusChange._meta.get_field("reason").max_length:
        raise Invalid("reason_too_long", _("The reason is longer than 200 characters."))
    from_status = component.status
    if from_status == to_status:
        raise Conflict("same_status", _("The component already has this status."), status=to_status)
    was_on_map, is_on_map = mapcells.on_map(from_status), mapcells.on_map(to_status)
    if was_on_map != is_on_map:
        mapcells.apply(component, +1 if is_on_map else -1)
    now = clock.now()
    component.status = to_status
    component.change_date = today()
    component.updated_at = now
    component.save(update_fields=["status", "change_date", "updated_at"])
    StatusChange.objects.create(
        component=component,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor,
        at=now,
    )
    audit.append(
        actor,
        "component.change_status",
        "component",
        component.code,
        {"reason": reason},
        role=role,
        from_state=from_status,
        to_state=to_status,
    )
    return component


def _audit_value(value):
    if isinstance(value, Department):
        return value.code
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def update_component(actor, code: str, **fields) -> Component:
    """Change departments, dates, source, note, 2013 code or extension attributes. Attributes
    merge into the present ones; an empty value removes one. Type and position have their
    own rules: the type is part of the code (register a new component), see `relocate`."""
    component = get_component(code, lock=True)
    require(actor, "component.update", area_code=component.grid_code)
    unknown = sorted(set(fields) - UPDATABLE)
    if unknown:
        raise Invalid("field_not_editable", _("These fields cannot be changed."), fields=unknown)
    if (
        "competent_department" in fields
        and _department(fields["competent_department"], "competent_department") is None
    ):
        raise Invalid("missing_department", _("The competent department is required."))
    for key in ("owner_department", "maintainer_department"):
        if key in fields:
            _department(fields[key], key)
    if "data_source" in fields and fields["data_source"] not in DataSource.values:
        raise Invalid("bad_data_source", _("Unknown data source."), data_source=fields["data_source"])
    if "note" in fields:
        fields["note"] = clean_note(fields["note"])
    if "old_code" in fields:
        fields["old_code"] = _clean_old_code(fields["old_code"], exclude_pk=component.pk)
    if "initial_date" in fields and not fields["initial_date"]:
        raise Invalid("bad_date", _("The initial date is required."))
    if "attributes" in fields:
        merged = {**component.attributes, **(fields["attributes"] or {})}
        fields["attributes"] = _clean_attrs(component.type, merged)
    changes = {}
    for key, value in fields.items():
        before = _audit_value(getattr(component, key))
        if before != _audit_value(value):
            changes[key] = {"from": before, "to": _audit_value(value)}
            setattr(component, key, value)
    if not changes:
        return component
    component.change_date = today()
    component.updated_at = clock.now()
    component.save()
    audit.append(actor, "component.update", "component", component.code, {"changes": changes})
    return component


@transaction.atomic
def relocate(actor, code: str, geometry, reason: str = "") -> Component:
    """Move a component (a survey correction, or a facility moved along the street). Its code
    keeps its county code, so it may move between grids and streets but not to another county."""
    component = get_component(code, lock=True)
    require(actor, "component.update", area_code=component.grid_code)
    check_geometry(geometry)
    location = _locate(geometry)
    require(actor, "component.update", area_code=location.grid_code)
    if location.district.code != component.admin_code:
        raise Invalid(
            "other_county",
            _("The new position lies in another county: register the component there instead."),
            district=location.district.code,
        )
    before = {"lon": round(component.lon, 7), "lat": round(component.lat, 7), "grid": component.grid_code}
    on_map = mapcells.on_map(component.status)
    if on_map:
        mapcells.apply(component, -1)
    _place(component, geometry, location)
    if on_map:
        mapcells.apply(component, +1)
    component.change_date = today()
    component.updated_at = clock.now()
    component.save()
    after = {"lon": round(component.lon, 7), "lat": round(component.lat, 7), "grid": component.grid_code}
    audit.append(
        actor,
        "component.relocate",
        "component",
        component.code,
        {"from": before, "to": after, "reason": str(reason or "").strip()},
    )
    return component


@transaction.atomic
def add_photo(actor, code: str, file, caption: str = "") -> ComponentPhoto:
    """Attach a photo (JPEG, PNG or WebP) through the media storage; its sha256 goes into the
    audit record so the file can later be shown to be the one uploaded."""
    component = get_component(code, lock=True)
    role = _require_on(actor, "component.add_photo", component)
    check_photo(file)
    digest = audit.file_digest(file)
    caption = str(caption or "").strip()[:100]
    photo = ComponentPhoto(
        component=component,
        sha256=digest,
        caption=caption,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    name = getattr(file, "name", "") or "photo"
    photo.image.save(name.rsplit("/", 1)[-1], file, save=False)
    photo.save()
    audit.append(
        actor,
        "component.add_photo",
        "component",
        component.code,
        {"photo_id": photo.pk, "sha256": digest, "file": photo.image.name, "caption": caption},
        role=role,
    )
    return photo


@transaction.atomic
def rebuild_map_cells(actor=None) -> int:
    """Recompute the MapCell aggregate from the registry (maintenance; nothing else changes)."""
    require(actor, "component.import")
    rows = mapcells.rebuild()
    audit.append(actor, "component.rebuild_map_cells", "component", "*", {"cells": rows})
    return rows
