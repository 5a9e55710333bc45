"""The checks of a component import: every feature's properties, its place and its codes,
each problem added to the report with the feature's index. Nothing here writes."""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department
from urbangrid.catalog.attributes import clean_attributes, parse_date
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core.importing import Feature, ImportReport
from urbangrid.geo import geocoding

from . import codes
from .models import Component, DataSource, Status
from .rules import MAX_NOTE, today
from .standard import (
    ATTRIBUTE_ALIASES,
    COLUMN_ALIASES,
    DATA_SOURCE_BY_TEXT,
    DERIVED_COLUMNS,
    STATUS_BY_TEXT,
)

PROGRESS_EVERY = 5000
LOOKUP_CHUNK = 500
ACCEPTED_TYPE_IDS = {0: "point", 1: "line", 3: "polygon", 5: "line", 6: "polygon"}
_ALIAS = {alias.lower(): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}
_DERIVED = DERIVED_COLUMNS | {"lon", "lat", "longitude", "latitude", "wkt", "distance_m"}


@dataclass
class Catalogue:
    """What checking a file needs from the database, read once."""

    types: dict[str, CatalogType]
    types_by_name: dict[str, str]
    type_by_old: dict[str, str]
    departments: dict[str, int]

    @classmethod
    def load(cls) -> "Catalogue":
        types = {t.code: t for t in CatalogType.objects.filter(kind=Kind.COMPONENT, active=True)}
        departments: dict[str, int] = {}
        rows = list(Department.objects.values_list("id", "code", "uscc"))
        for pk, _code, uscc in rows:
            if uscc:
                departments[uscc] = pk
        for pk, code, _uscc in rows:  # our own codes win over a clashing USCC
            departments[code] = pk
        return cls(
            types=types,
            types_by_name={t.name: t.code for t in types.values()},
            type_by_old={t.code_2013: t.code for t in types.values() if t.code_2013},
            departments=departments,
        )


@dataclass
class Row:
    index: int
    ref: str
    ctype: CatalogType | None = None
    code: str = ""
    old_code: str = ""
    status: str = Status.INTACT
    departments: list = field(default_factory=lambda: [None, None, None])
    initial_date: date | None = None
    change_date: date | None = None
    data_source: str = DataSource.SURVEY
    note: str = ""
    attributes: dict = field(default_factory=dict)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _digits(value, width: int) -> str:
    """A code as text; numeric columns (GeoPackage, spreadsheets) lose leading zeros."""
    text = _text(value)
    return text.zfill(width) if text.isdigit() and len(text) < width else text


class _Columns:
    """Maps a feature's property names to our fields, once per distinct set of names."""

    def __init__(self) -> None:
        self.cache: dict[tuple, list[tuple[str, str, str]]] = {}

    def plan(self, keys: tuple) -> list[tuple[str, str, str]]:
        plan = self.cache.get(keys)
        if plan is None:
            plan = []
            for key in keys:
                low = str(key).strip().lower()
                if low in _ALIAS:
                    plan.append((key, "field", _ALIAS[low]))
                elif low in ATTRIBUTE_ALIASES:
                    plan.append((key, "attr", ATTRIBUTE_ALIASES[low]))
                elif low not in _DERIVED:
                    plan.append((key, "attr", str(key).strip()))
            self.cache[keys] = plan
        return plan


def check_properties(
    features: list[Feature], catalogue: Catalogue, report: ImportReport, checked
) -> list[Row]:
    columns = _Columns()
    default_date = today()
    rows = []
    for n, feature in enumerate(features):
        if n % PROGRESS_EVERY == 0:
            checked(0.6 * n / len(features))
        values: dict = {}
        attrs: dict = {}
        props = feature.properties or {}
        for key, kind, name in columns.plan(tuple(props)):
            value = props[key]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            (values if kind == "field" else attrs)[name] = value
        rows.append(_check_row(feature.index, values, attrs, catalogue, default_date, report))
    return rows


def _check_row(index, values, attrs, catalogue: Catalogue, default_date, report: ImportReport) -> Row:
    code = _text(values.get("code"))
    old_code = _text(values.get("old_code"))
    if len(code) == 16 and not old_code:  # a 2013 ID in the code column (ObjID)
        code, old_code = "", code
    row = Row(index=index, ref=code or old_code or "")

    def problem(kind, message):
        report.add(index, row.ref, kind, message)

    if old_code:
        if not codes.OLD_CODE_RE.match(old_code):
            problem("bad_old_code", _("A 2013 component code has 16 digits."))
        elif not code:
            code = codes.convert_old(old_code, catalogue.type_by_old) or ""
            if not code:
                problem("unmapped_old_code", _("The 2013 type of this code has no GB/T 47678.5 successor."))
        row.old_code = old_code
    if code and not codes.CODE_RE.match(code):
        problem("bad_code", _("A component code has 17 digits."))
        code = ""
    row.code = code
    type_code = _digits(values.get("type"), 5)
    if not type_code and code:
        type_code = code[6:11]
    if not type_code and values.get("type_name"):
        type_code = catalogue.types_by_name.get(_text(values["type_name"]), "")
    row.ctype = catalogue.types.get(type_code)
    if row.ctype is None:
        problem("unknown_type", _("Unknown component type “%(type)s”.") % {"type": type_code or "—"})
    elif code and code[6:11] != type_code:
        problem(
            "code_type_mismatch",
            _("Digits 7–11 of the code are not the type %(type)s.") % {"type": type_code},
        )
    status = _text(values.get("status")) or Status.INTACT
    row.status = STATUS_BY_TEXT.get(status, "")
    if not row.status:
        problem("bad_status", _("Unknown status “%(status)s”.") % {"status": status})
    for i, name in enumerate(("competent_department", "owner_department", "maintainer_department")):
        ref = _text(values.get(name))
        if ref:
            row.departments[i] = catalogue.departments.get(ref)
            if row.departments[i] is None:
                problem("unknown_department", _("Unknown department “%(ref)s”.") % {"ref": ref})
    if row.departments[0] is None and not values.get("competent_department") and row.ctype is not None:
        row.departments[0] = row.ctype.default_department_id
        if row.departments[0] is None:
            problem("missing_department", _("No competent department, and the type has no default one."))
    for name in ("initial_date", "change_date"):
        if values.get(name) is not None:
            try:
                setattr(row, name, parse_date(values[name]))
            except ValueError as exc:
                problem("bad_date", exc.args[0])
    row.initial_date = row.initial_date or default_date
    source = _text(values.get("data_source")) or DataSource.SURVEY
    row.data_source = DATA_SOURCE_BY_TEXT.get(source, "")
    if not row.data_source:
        problem("bad_data_source", _("Unknown data source “%(source)s”.") % {"source": source})
    row.note = _text(values.get("note"))
    if len(row.note) > MAX_NOTE:
        problem("note_too_long", _("The note is longer than 1000 characters."))
    if row.ctype is not None:
        row.attributes, errors = clean_attributes(row.ctype.attribute_schema or [], attrs)
        for name, message in errors.items():
            problem("bad_attribute", f"{name}: {message}")
    return row


def check_places(features, geoms, rows: list[Row], report: ImportReport, scope):
    """Anchor points, grid look-up in one batch, and the checks that need the place."""
    n = len(features)
    type_ids = shapely.get_type_id(geoms)
    valid = shapely.is_valid(geoms) & ~shapely.is_empty(geoms)
    bounds = shapely.bounds(geoms)
    on_globe = (bounds[:, 0] >= -180) & (bounds[:, 2] <= 180) & (bounds[:, 1] >= -90) & (bounds[:, 3] <= 90)
    usable = valid & on_globe & np.isin(type_ids, list(ACCEPTED_TYPE_IDS))
    anchors = geoms.copy()
    lines_or_areas = usable & (type_ids != 0)
    if lines_or_areas.any():
        anchors[lines_or_areas] = shapely.point_on_surface(geoms[lines_or_areas])
    lons = np.full(n, np.nan)
    lats = np.full(n, np.nan)
    if usable.any():
        lons[usable] = shapely.get_x(anchors[usable])
        lats[usable] = shapely.get_y(anchors[usable])
    locations: list = [None] * n
    found = geocoding.locate_many(lons[usable], lats[usable]) if usable.any() else []
    for i, loc in zip(np.flatnonzero(usable), found, strict=True):
        locations[i] = loc
    for i, row in enumerate(rows):
        if not usable[i]:
            geom = geoms[i]
            if geom is None or type_ids[i] < 0:
                report.add(row.index, row.ref, "missing_geometry", _("A point, line or polygon is required."))
            elif type_ids[i] not in ACCEPTED_TYPE_IDS:
                report.add(row.index, row.ref, "bad_geometry", _("A point, line or polygon is required."))
            elif not on_globe[i]:
                report.add(
                    row.index,
                    row.ref,
                    "bad_geometry",
                    _("Coordinates are longitude and latitude in degrees."),
                )
            else:
                report.add(
                    row.index,
                    row.ref,
                    "bad_geometry",
                    _("The geometry is not valid: %(reason)s") % {"reason": shapely.is_valid_reason(geom)},
                )
            continue
        loc = locations[i]
        if loc is None:
            report.add(
                row.index,
                row.ref,
                "outside_jurisdiction",
                _("The point lies outside the jurisdiction: it is in no unit grid."),
            )
            continue
        if row.code and row.code[:6] != loc.district.code:
            report.add(
                row.index,
                row.ref,
                "code_admin_mismatch",
                _("The code starts with %(code)s but the component lies in county %(district)s.")
                % {"code": row.code[:6], "district": loc.district.code},
            )
        if not scope.covers_area(loc.grid_code):
            report.add(row.index, row.ref, "out_of_scope", _("This is outside your data scope."))
    return lons, lats, locations


def _existing(field_name: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[i : i + LOOKUP_CHUNK]
        found.update(
            Component.objects.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True)
        )
    return found


def check_duplicates(rows: list[Row], report: ImportReport) -> None:
    for field_name, kind_in_file, kind_in_db, message_file, message_db in (
        (
            "code",
            "duplicate_code_in_file",
            "duplicate_code",
            _("This code appears more than once in the file."),
            _("A component with this code is already registered."),
        ),
        (
            "old_code",
            "duplicate_old_code_in_file",
            "duplicate_old_code",
            _("This 2013 code appears more than once in the file."),
            _("A component with this 2013 code is already registered."),
        ),
    ):
        seen: dict[str, int] = {}
        for row in rows:
            value = getattr(row, field_name)
            if not value:
                continue
            if value in seen:
                report.add(row.index, value, kind_in_file, message_file)
            else:
                seen[value] = row.index
        taken = _existing(field_name, list(seen))
        for row in rows:
            value = getattr(row, field_name)
            if value in taken and seen.get(value) == row.index:
                report.add(row.index, value, kind_in_db, message_db)
