"""The dry run of a unit grid import: every problem of a file, found before anything is
written, and the plan of what applying it would change.

A grid file is authoritative for every community it touches: after the import a touched
community is cut exactly into the file's grids, so current grids of that community missing
from the file are retired. Overlaps are checked against the grids that stay (the file's and
those of untouched communities); gaps are checked inside every touched community.
"""

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _

from urbangrid.accounts.models import Department
from urbangrid.core.importing import Feature

from . import crs as crs_mod
from . import topology
from .features import POLYGONAL, choice_table, digit_code, first_seen, geometries, prop, text
from .models import Division, UnitGrid
from .reports import GeoImportReport

GRID_CODE_LENGTH = 15
COMMUNITY_CODE_LENGTH = 12


def _point_text(lon: float, lat: float, crs) -> str:
    x, y = crs_mod.from_wgs84(lon, lat, crs)
    return f"({x:.6f}, {y:.6f})"


@dataclass
class GridRow:
    index: int
    code: str
    geometry: shapely.Geometry
    community: Division
    land_use: str
    management_level: str
    department_id: int | None


@dataclass
class CurrentGrid:
    """What the check needs of a current grid row (model instances cost seconds at 40,000)."""

    pk: int
    code: str
    community_id: int
    land_use: str
    management_level: str
    responsible_department_id: int | None
    geometry: shapely.Geometry


@dataclass
class GridPlan:
    rows: list[GridRow] = field(default_factory=list)
    create: list[GridRow] = field(default_factory=list)
    replace: list[tuple[GridRow, CurrentGrid]] = field(default_factory=list)
    unchanged: int = 0
    retire: list[CurrentGrid] = field(default_factory=list)


def _current_grids() -> dict[str, CurrentGrid]:
    rows = list(
        UnitGrid.objects.filter(valid_to__isnull=True).values_list(
            "pk",
            "code",
            "community_id",
            "land_use",
            "management_level",
            "responsible_department_id",
            "geom_wkb",
        )
    )
    shapes = shapely.from_wkb([bytes(r[-1]) for r in rows]) if rows else []
    return {r[1]: CurrentGrid(*r[:-1], shape) for r, shape in zip(rows, shapes, strict=True)}


def check_grids(
    features: list[Feature], crs, report: GeoImportReport, stage=lambda fraction: None
) -> GridPlan:
    geoms = geometries(features, crs, report, POLYGONAL)
    communities = {
        d.code: d for d in Division.objects.filter(level=Division.Level.COMMUNITY).select_related("parent")
    }
    rows = _grid_rows(features, geoms, communities, report)
    stage(0.25)
    current = _current_grids()
    _check_containment(rows, communities, crs, report)
    stage(0.5)
    touched = {r.community.code for r in rows}
    in_file = {r.code for r in rows}
    plan = GridPlan(rows=rows)
    plan.retire = [
        g for g in current.values() if g.code[:COMMUNITY_CODE_LENGTH] in touched and g.code not in in_file
    ]
    staying = [g for g in current.values() if g.code[:COMMUNITY_CODE_LENGTH] not in touched]
    overlapping = _check_grid_overlaps(rows, staying, report)
    stage(0.75)
    _check_gaps(rows, features, geoms, communities, overlapping, crs, report)
    stage(1.0)
    _plan_changes(plan, current)
    return plan


def _grid_rows(features, geoms, communities: dict[str, Division], report: GeoImportReport) -> list[GridRow]:
    land_uses = choice_table(UnitGrid.LandUse)
    levels = choice_table(UnitGrid.ManagementLevel)
    wanted = {text(prop(f.properties, "responsible_department")) for f in features} - {""}
    departments = dict(Department.objects.filter(code__in=wanted).values_list("code", "id"))
    codes = []
    for f in features:
        raw = prop(f.properties, "code")
        code = digit_code(raw, (GRID_CODE_LENGTH,))
        if code is None:
            report.add(
                f.index,
                text(raw),
                "bad_code",
                _("A unit grid code has 15 digits (community code + 3-digit serial): %(code)r.")
                % {"code": text(raw)},
            )
        codes.append(code)
    keep = first_seen(codes, features, report)
    rows = []
    for f, code, geom, k in zip(features, codes, geoms, keep, strict=True):
        ok = k
        props = f.properties
        land_use = _choice(f, code, props, "land_use", land_uses, UnitGrid.LandUse.OTHER, report)
        level = _choice(f, code, props, "management_level", levels, UnitGrid.ManagementLevel.ORDINARY, report)
        ok &= land_use is not None and level is not None
        dept_code = text(prop(props, "responsible_department"))
        if dept_code and dept_code not in departments:
            report.add(
                f.index,
                code or "",
                "unknown_department",
                _("No department has the code %(code)s.") % {"code": dept_code},
            )
            ok = False
        community = communities.get(code[:COMMUNITY_CODE_LENGTH]) if code else None
        if code and community is None:
            report.add(
                f.index,
                code,
                "unknown_community",
                _("The community %(community)s (the first 12 digits of the code) does not exist.")
                % {"community": code[:COMMUNITY_CODE_LENGTH]},
            )
            ok = False
        if ok and geom is not None:
            rows.append(GridRow(f.index, code, geom, community, land_use, level, departments.get(dept_code)))
    return rows


def _choice(f: Feature, code, props: dict, name: str, table: dict, default: str, report: GeoImportReport):
    value = text(prop(props, name))
    if not value:
        return default
    found = table.get(value.lower())
    if found is None:
        report.add(
            f.index,
            code or "",
            f"bad_{name}",
            _("%(value)r is not a known value of %(field)s; use one of: %(choices)s.")
            % {"value": value, "field": name, "choices": ", ".join(sorted(set(table.values())))},
        )
    return found


def _check_containment(rows: list[GridRow], communities: dict[str, Division], crs, report) -> None:
    outside = topology.area_outside(
        np.array([r.geometry for r in rows], dtype=object),
        np.array([r.community.geometry for r in rows], dtype=object),
    )
    suspects = [(r, a) for r, a in zip(rows, outside, strict=True) if a > report.tolerance_m2]
    if not suspects:
        return
    all_communities = list(communities.values())
    shapes = np.array([c.geometry for c in all_communities], dtype=object)
    tree = shapely.STRtree(shapes)
    for r, area in suspects:
        best = topology.best_container(r.geometry, shapes, tree)
        host = all_communities[best] if best is not None else None
        if host is not None and host.code != r.community.code:
            left = topology.area_outside(np.array([r.geometry]), np.array([host.geometry]))[0]
            if left <= report.tolerance_m2:
                report.add(
                    r.index,
                    r.code,
                    "code_prefix_mismatch",
                    _("The grid lies in community %(host)s (%(name)s), but its code starts with %(prefix)s.")
                    % {"host": host.code, "name": host.name, "prefix": r.community.code},
                )
                continue
        point = r.geometry.representative_point()
        report.add(
            r.index,
            r.code,
            "outside_community",
            _("%(area).0f m² of the grid near %(point)s lie outside its community %(community)s.")
            % {"area": area, "point": _point_text(point.x, point.y, crs), "community": r.community.code},
        )


def _check_grid_overlaps(
    rows: list[GridRow], staying: list[CurrentGrid], report: GeoImportReport
) -> set[str]:
    """Note every overlap above the tolerance; return the communities where grids overlap at
    all, even below it (the gap check may not take their grids as disjoint)."""
    geoms = np.array([r.geometry for r in rows] + [g.geometry for g in staying], dtype=object)
    labels = [r.code for r in rows] + [g.code for g in staying]
    overlapping: set[str] = set()
    for o in topology.overlaps(geoms, np.arange(len(rows))):
        r = rows[o.first]
        overlapping.update({r.code[:COMMUNITY_CODE_LENGTH], labels[o.second][:COMMUNITY_CODE_LENGTH]})
        if o.area_m2 > report.tolerance_m2:
            report.add(
                r.index,
                r.code,
                "overlap",
                _("The grid overlaps grid %(other)s by %(area).1f m².")
                % {"other": labels[o.second], "area": o.area_m2},
            )
    return overlapping


def _check_gaps(
    rows,
    features,
    geoms,
    communities: dict[str, Division],
    overlapping: set[str],
    crs,
    report: GeoImportReport,
) -> None:
    """Every touched community must be covered by its grids. Features rejected for their
    attributes still cover their ground here, so one bad attribute does not also show up as
    a gap; features without a usable geometry do leave a gap, which is the truth."""
    by_community: dict[str, list] = {}
    for f, geom in zip(features, geoms, strict=True):
        code = digit_code(prop(f.properties, "code"), (GRID_CODE_LENGTH,))
        if code and geom is not None and code[:COMMUNITY_CODE_LENGTH] in communities:
            by_community.setdefault(code[:COMMUNITY_CODE_LENGTH], []).append(geom)
    accepted = Counter(r.community.code for r in rows)
    for community_code in sorted(set(accepted) | set(by_community)):
        community = communities[community_code]
        parts = np.array(by_community.get(community_code, []), dtype=object)
        # Parts are known disjoint when every one was checked for overlaps and none overlaps.
        disjoint = community_code not in overlapping and len(parts) == accepted.get(community_code, 0)
        for gap in topology.gaps(community.geometry, parts, report.tolerance_m2, disjoint=disjoint):
            report.add(
                None,
                community_code,
                "gap",
                _(
                    "A gap of %(area).1f m² near %(point)s in community %(community)s (%(name)s) is in no grid."
                )
                % {
                    "area": gap.area_m2,
                    "point": _point_text(gap.lon, gap.lat, crs),
                    "community": community_code,
                    "name": community.name,
                },
            )


def _plan_changes(plan: GridPlan, current: dict[str, CurrentGrid]) -> None:
    pairs = [(r, current[r.code]) for r in plan.rows if r.code in current]
    plan.create = [r for r in plan.rows if r.code not in current]
    if not pairs:
        return
    same_shape = topology.same_shapes([r.geometry for r, _ in pairs], [g.geometry for _, g in pairs])
    for (r, g), same in zip(pairs, same_shape, strict=True):
        same_attrs = (g.community_id, g.land_use, g.management_level, g.responsible_department_id) == (
            r.community.pk,
            r.land_use,
            r.management_level,
            r.department_id,
        )
        if same and same_attrs:
            plan.unchanged += 1
        else:
            plan.replace.append((r, g))
