"""Importing and renaming divisions (区县/街道/社区)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.core.errors import Invalid, NotFound
from urbangrid.core.importing import Feature, ImportRejected

from .. import crs as crs_mod
from .. import revisions, topology
from ..division_checks import LEVEL_BY_LENGTH, DivisionPlan, check_divisions
from ..measure import area_m2
from ..models import Division
from ..reports import GeoImportReport
from .common import (
    DEFAULT_TOLERANCE_M2,
    WRITE_BATCH,
    after_divisions_change,
    content_digest,
    payload,
    require,
    serialise_imports,
)


def import_divisions(
    actor,
    features: list[Feature],
    *,
    dry_run: bool = False,
    crs: str = "wgs84",
    tolerance_m2: float = DEFAULT_TOLERANCE_M2,
) -> GeoImportReport:
    """Import 区县/街道/社区 polygons; `code` (6, 9 or 12 digits) gives the level and, by its
    prefix, the parent. Existing codes are updated."""
    require(actor, "geo.import")
    crs = crs_mod.parse(crs)
    report = GeoImportReport(dry_run=dry_run, total=len(features), tolerance_m2=tolerance_m2)
    if dry_run:
        _division_changes(check_divisions(features, crs, report), report)
        return report
    with transaction.atomic():
        serialise_imports()
        plan = check_divisions(features, crs, report)
        if not report.ok:
            raise ImportRejected(report)
        create, update = _division_changes(plan, report)
        _write_divisions(plan, create, update)
        digest = content_digest((r.code, r.name, r.geometry.wkb) for r in plan.rows)
        audit.append(
            actor, "geo.import_divisions", "division", f"import:{digest[:16]}", payload(report, crs, digest)
        )
        revisions.bump(revisions.DIVISIONS)
        transaction.on_commit(after_divisions_change)
    return report


def _division_changes(plan: DivisionPlan, report: GeoImportReport):
    create, update = [], []
    for r in plan.rows:
        d = plan.existing.get(r.code)
        if d is None:
            create.append(r)
        elif d.name != r.name or not topology.same_shapes([d.geometry], [r.geometry])[0]:
            update.append((r, d))
    report.created, report.updated = len(create), len(update)
    report.unchanged = len(plan.rows) - len(create) - len(update)
    return create, update


def _write_divisions(plan: DivisionPlan, create, update) -> None:
    pks = {code: d.pk for code, d in plan.existing.items()}
    for level in LEVEL_BY_LENGTH.values():
        new = []
        for r in (r for r in create if r.level == level):
            d = Division(
                code=r.code,
                name=r.name,
                level=level,
                parent_id=pks.get(r.parent_code) if r.parent_code else None,
                area_m2=area_m2(r.geometry),
            )
            d.set_geometry(r.geometry)
            new.append(d)
        Division.objects.bulk_create(new, batch_size=WRITE_BATCH)
        pks.update(Division.objects.filter(code__in=[d.code for d in new]).values_list("code", "pk"))
    changed = []
    for r, d in update:
        d.name = r.name
        d.set_geometry(r.geometry)
        d.area_m2 = area_m2(r.geometry)
        changed.append(d)
    Division.objects.bulk_update(
        changed, ["name", "geom_wkb", "min_lon", "min_lat", "max_lon", "max_lat", "area_m2"], batch_size=500
    )


@transaction.atomic
def rename_division(actor, code: str, name: str) -> Division:
    require(actor, "geo.edit", area_code=code)
    division = Division.objects.select_for_update().filter(code=code).first()
    if division is None:
        raise NotFound("unknown_division", _("No division has this code."), division=code)
    name = (name or "").strip()
    if not name:
        raise Invalid("missing_name", _("The name is missing."))
    old = division.name
    division.name = name
    division.save(update_fields=["name"])
    audit.append(actor, "geo.rename_division", "division", code, {"from": old, "to": name})
    revisions.bump(revisions.DIVISIONS)
    transaction.on_commit(after_divisions_change)
    return division
