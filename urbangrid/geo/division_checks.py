"""The dry run of a division import: codes, names, parents found by code prefix, children
inside their parents, and no overlaps between divisions of one level."""

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _

from urbangrid.core.importing import Feature

from . import topology
from .features import POLYGONAL, digit_code, first_seen, geometries, prop, text
from .models import Division
from .reports import GeoImportReport

LEVEL_BY_LENGTH = {6: Division.Level.DISTRICT, 9: Division.Level.STREET, 12: Division.Level.COMMUNITY}


@dataclass
class DivisionRow:
    index: int
    code: str
    name: str
    level: int
    geometry: shapely.Geometry

    @property
    def parent_code(self) -> str | None:
        return self.code[:-3] if self.level != Division.Level.DISTRICT else None


@dataclass
class DivisionPlan:
    rows: list[DivisionRow] = field(default_factory=list)
    existing: dict[str, Division] = field(default_factory=dict)


def check_divisions(features: list[Feature], crs, report: GeoImportReport) -> DivisionPlan:
    geoms = geometries(features, crs, report, POLYGONAL)
    codes = []
    for f in features:
        raw = prop(f.properties, "code")
        code = digit_code(raw, tuple(LEVEL_BY_LENGTH))
        if code is None:
            report.add(
                f.index,
                text(raw),
                "bad_code",
                _("A division code has 6 (district), 9 (street) or 12 (community) digits: %(code)r.")
                % {"code": text(raw)},
            )
        if not text(prop(f.properties, "name")):
            report.add(f.index, text(raw), "missing_name", _("The name is missing."))
        codes.append(code)
    keep = first_seen(codes, features, report)
    rows = [
        DivisionRow(f.index, code, text(prop(f.properties, "name")), LEVEL_BY_LENGTH[len(code)], geom)
        for f, code, geom, k in zip(features, codes, geoms, keep, strict=True)
        if k and geom is not None
    ]
    plan = DivisionPlan(rows, {d.code: d for d in Division.objects.all()})
    in_file = {r.code: r for r in rows}
    _check_parents(plan, in_file, report)
    _check_division_overlaps(plan, in_file, report)
    return plan


def _check_parents(plan: DivisionPlan, in_file: dict[str, DivisionRow], report: GeoImportReport) -> None:
    children, parents = [], []
    for r in plan.rows:
        if r.parent_code is None:
            continue
        parent = in_file.get(r.parent_code)
        parent_geom = parent.geometry if parent else None
        if parent is None and r.parent_code in plan.existing:
            parent_geom = plan.existing[r.parent_code].geometry
        if parent_geom is None:
            report.add(
                r.index,
                r.code,
                "unknown_parent",
                _("The parent division %(parent)s is neither in the file nor in the system.")
                % {"parent": r.parent_code},
            )
            continue
        children.append(r)
        parents.append(parent_geom)
    outside = topology.area_outside(
        np.array([r.geometry for r in children], dtype=object), np.array(parents, dtype=object)
    )
    for r, area in zip(children, outside, strict=True):
        if area > report.tolerance_m2:
            report.add(
                r.index,
                r.code,
                "outside_parent",
                _("%(area).0f m² of the division lie outside its parent %(parent)s.")
                % {"area": area, "parent": r.parent_code},
            )


def _check_division_overlaps(plan: DivisionPlan, in_file: dict[str, DivisionRow], report) -> None:
    for level in LEVEL_BY_LENGTH.values():
        mine = [r for r in plan.rows if r.level == level]
        if not mine:
            continue
        others = [d for d in plan.existing.values() if d.level == level and d.code not in in_file]
        geoms = np.array([r.geometry for r in mine] + [d.geometry for d in others], dtype=object)
        labels = [r.code for r in mine] + [d.code for d in others]
        for o in topology.overlaps(geoms, np.arange(len(mine)), report.tolerance_m2):
            r = mine[o.first]
            report.add(
                r.index,
                r.code,
                "overlap",
                _("The division overlaps %(other)s by %(area).0f m².")
                % {"other": labels[o.second], "area": o.area_m2},
            )
