"""Importing unit grids and changing their attributes; every change keeps the old version."""

from collections.abc import Callable

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department
from urbangrid.audit import services as audit
from urbangrid.core import clock
from urbangrid.core.errors import Invalid, NotFound
from urbangrid.core.importing import Feature, ImportRejected, no_progress

from .. import crs as crs_mod
from ..grid_checks import GridPlan, GridRow, check_grids
from ..measure import areas_m2
from ..models import UnitGrid
from ..reports import GeoImportReport
from .common import (
    DEFAULT_TOLERANCE_M2,
    WRITE_BATCH,
    after_grids_change,
    bulk_insert,
    choice_value,
    chunks,
    content_digest,
    payload,
    require,
    serialise_imports,
)


def import_grids(
    actor,
    features: list[Feature],
    *,
    dry_run: bool = False,
    crs: str = "wgs84",
    progress: Callable[[int], None] | None = None,
    tolerance_m2: float = DEFAULT_TOLERANCE_M2,
) -> GeoImportReport:
    """Import unit grids (15-digit `code`, optional `land_use`, `management_level`,
    `responsible_department`). A changed grid gets a new row and its old row is closed, so
    history is kept; a touched community's grids missing from the file are retired."""
    require(actor, "geo.import")
    crs = crs_mod.parse(crs)
    report = GeoImportReport(dry_run=dry_run, total=len(features), tolerance_m2=tolerance_m2)
    progress = progress or no_progress
    # One count for the whole run: checking is the first half of an apply, writing the second.
    total = len(features)
    checking = total if dry_run else total // 2

    def checked(fraction: float) -> None:
        progress(int(checking * fraction))

    def written(fraction: float) -> None:
        progress(checking + int((total - checking) * fraction))

    if dry_run:
        _count_grids(check_grids(features, crs, report, checked), report)
        return report
    with transaction.atomic():
        serialise_imports()
        plan = check_grids(features, crs, report, checked)
        if not report.ok:
            raise ImportRejected(report)
        _count_grids(plan, report)
        _write_grids(plan, written)
        wkb = shapely.to_wkb(np.array([r.geometry for r in plan.rows], dtype=object))
        digest = content_digest(
            (r.code, w, r.land_use, r.management_level, str(r.department_id))
            for r, w in zip(plan.rows, wkb, strict=True)
        )
        audit.append(
            actor, "geo.import_grids", "unit_grid", f"import:{digest[:16]}", payload(report, crs, digest)
        )
        transaction.on_commit(after_grids_change)
    written(1.0)
    return report


def _count_grids(plan: GridPlan, report: GeoImportReport) -> None:
    report.created, report.updated = len(plan.create), len(plan.replace)
    report.unchanged, report.retired = plan.unchanged, len(plan.retire)


# The columns a new grid row fills, in the order of `_grid_values`.
_COLUMNS = (
    "code",
    "community",
    "street",
    "district",
    "area_m2",
    "centroid_lon",
    "centroid_lat",
    "land_use",
    "management_level",
    "responsible_department",
    "valid_from",
    "valid_to",
    "geom_wkb",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
)


def _grid_values(rows: list[GridRow], now) -> list[tuple]:
    """The column values of new grid rows, with the geometry work done for all at once."""
    geoms = np.array([r.geometry for r in rows], dtype=object)
    wkb = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms)
    centroids = shapely.centroid(geoms)
    cx, cy = shapely.get_x(centroids), shapely.get_y(centroids)
    areas = areas_m2(geoms)
    valid_from = connection.ops.adapt_datetimefield_value(now)
    return [
        (
            r.code,
            r.community.pk,
            r.community.parent_id,
            r.community.parent.parent_id,
            float(areas[i]),
            float(cx[i]),
            float(cy[i]),
            r.land_use,
            r.management_level,
            r.department_id,
            valid_from,
            None,
            wkb[i],
            *map(float, bounds[i]),
        )
        for i, r in enumerate(rows)
    ]


def _write_grids(plan: GridPlan, written: Callable[[float], None]) -> None:
    now = clock.now()
    closing = [g.pk for _, g in plan.replace] + [g.pk for g in plan.retire]
    for chunk in chunks(closing, 500):
        UnitGrid.objects.filter(pk__in=chunk).update(valid_to=now)
    rows = plan.create + [r for r, _ in plan.replace]
    for done, chunk in enumerate(chunks(rows, WRITE_BATCH), start=1):
        bulk_insert(UnitGrid, _COLUMNS, _grid_values(chunk, now))
        written(min(1.0, done * WRITE_BATCH / len(rows)))


@transaction.atomic
def update_grid(actor, code: str, **changes) -> UnitGrid:
    """Change a grid's land-use class, management level or responsible department
    (`responsible_department`: a Department, its code, or None for the territorial fallback).
    The current row is closed and a new one opened, as for a re-drawn grid."""
    require(actor, "geo.edit", area_code=code)
    current = UnitGrid.objects.select_for_update().filter(code=code, valid_to__isnull=True).first()
    if current is None:
        raise NotFound("unknown_grid", _("No current unit grid has this code."), grid=code)
    unknown = set(changes) - {"land_use", "management_level", "responsible_department"}
    if unknown:
        raise Invalid("bad_field", _("These grid fields cannot be changed here."), fields=sorted(unknown))
    before = _grid_attributes(current)
    new = UnitGrid.objects.get(pk=current.pk)
    new.pk = None
    if "land_use" in changes:
        new.land_use = choice_value(UnitGrid.LandUse, changes["land_use"], "bad_land_use")
    if "management_level" in changes:
        new.management_level = choice_value(
            UnitGrid.ManagementLevel, changes["management_level"], "bad_management_level"
        )
    if "responsible_department" in changes:
        new.responsible_department = _department(changes["responsible_department"])
    after = _grid_attributes(new)
    if after == before:
        return current
    now = clock.now()
    UnitGrid.objects.filter(pk=current.pk).update(valid_to=now)
    new.valid_from, new.valid_to = now, None
    new.save()
    audit.append(actor, "geo.update_grid", "unit_grid", code, {"from": before, "to": after})
    transaction.on_commit(after_grids_change)
    return new


def _grid_attributes(grid: UnitGrid) -> dict:
    dept = grid.responsible_department
    return {
        "land_use": grid.land_use,
        "management_level": grid.management_level,
        "responsible_department": dept.code if dept else None,
    }


def _department(value) -> Department | None:
    if value is None or value == "" or isinstance(value, Department):
        return value or None
    dept = Department.objects.filter(code=str(value)).first()
    if dept is None:
        raise Invalid("unknown_department", _("No department has this code."), department=str(value))
    return dept
