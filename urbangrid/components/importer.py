"""Bulk import of components from GeoJSON, GeoPackage, Shapefile or CSV features.

Every feature is checked first and every problem is listed (a dry run stops there); only a
file without problems is written, whole, in one transaction. The work is vectorised where it
counts — coordinate conversion, grid look-up, tile keys and map-cell counts run over numpy
arrays — so a county's 170,000 components import in seconds.

Columns may use our names, the standard's abbreviations (GLBJBSM, ZGBMDM, …) or the 2013
exchange names (ObjID, DeptCode1, …); see `standard.COLUMN_ALIASES`. Columns that are derived
from the position (grid, street, community, names) are recomputed, so an export imports again.
Any other column is an extension attribute, checked against the type's schema.
"""

import hashlib
import json
from collections import Counter, defaultdict

import numpy as np
import shapely
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.core import clock
from urbangrid.core.errors import Conflict
from urbangrid.core.importing import Feature, ImportRejected, ImportReport, ProgressFn, no_progress
from urbangrid.geo import crs as crs_module
from urbangrid.geo import tiles

from . import codes, mapcells
from .bulk import ComponentInserter
from .import_checks import (
    ACCEPTED_TYPE_IDS,
    Catalogue,
    Row,
    check_duplicates,
    check_places,
    check_properties,
)
from .rules import require, scope_of


def import_components(
    actor,
    features: list[Feature],
    *,
    dry_run: bool = False,
    crs: str = "wgs84",
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Check and (unless `dry_run`) write the features as new components; raises
    ImportRejected, writing nothing, when any feature has a problem."""
    require(actor, "component.import")
    progress = progress or no_progress
    report = ImportReport(dry_run=dry_run, total=len(features))
    # One count for the whole run: checking is the first half of an apply, writing the second.
    total = len(features)
    checking = total if dry_run else total // 2

    def checked(fraction: float) -> None:
        progress(int(checking * fraction))

    def written(fraction: float) -> None:
        progress(checking + int((total - checking) * fraction))

    catalogue = Catalogue.load()
    geoms = crs_module.geometry_to_wgs84(np.array([f.geometry for f in features], dtype=object), crs)
    rows = check_properties(features, catalogue, report, checked)
    lons, lats, locations = check_places(features, geoms, rows, report, scope_of(actor))
    checked(0.9)
    check_duplicates(rows, report)
    checked(1.0)
    if not report.ok:
        if dry_run:
            return report
        raise ImportRejected(report)
    report.created = len(rows)
    if dry_run:
        return report
    try:
        with transaction.atomic():
            _write(actor, rows, geoms, lons, lats, locations, crs, written)
    except IntegrityError as exc:  # a code registered by someone else since the check
        raise Conflict("duplicate_code", _("A component code in the file was registered meanwhile.")) from exc
    return report


def _allocate(rows: list[Row], locations) -> None:
    """Codes for the rows that came without one, after moving the counters past the serials
    of the rows that came with one."""
    highest: dict[tuple[str, str], int] = {}
    missing: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row, loc in zip(rows, locations, strict=True):
        if row.code:
            admin, type_code, serial = codes.split(row.code)
            highest[(admin, type_code)] = max(highest.get((admin, type_code), 0), serial)
        else:
            missing[(loc.district.code, row.ctype.code)].append(row)
    codes.reserve_up_to(highest)
    for (admin, type_code), group in sorted(missing.items()):
        first = codes.allocate(admin, type_code, len(group))
        for offset, row in enumerate(group):
            row.code = codes.compose(admin, type_code, first + offset)


def _write(actor, rows: list[Row], geoms, lons, lats, locations, crs: str, written) -> None:
    _allocate(rows, locations)
    n = len(rows)
    keys = tiles.point_keys(lons, lats)
    wkbs = shapely.to_wkb(geoms)
    bounds = shapely.bounds(geoms)
    geometry_types = np.array(
        [ACCEPTED_TYPE_IDS[t] for t in shapely.get_type_id(geoms).tolist()], dtype=object
    )
    created_at = connection.ops.adapt_datetimefield_value(clock.now())
    row_codes = [r.code for r in rows]
    departments = [r.departments for r in rows]
    # One digest of the content, in the file's order, as the audit record carries it.
    digest = hashlib.sha256()
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    for row, wkb in zip(rows, wkbs.tolist(), strict=True):
        digest.update(
            encode([row.code, row.old_code, row.status, row.departments, wkb.hex(), row.attributes]).encode()
        )
    written(0.1)
    columns = {
        "code": row_codes,
        "old_code": [r.old_code for r in rows],
        "type_id": [r.ctype.pk for r in rows],
        "admin_code": [c[:6] for c in row_codes],
        "status": [r.status for r in rows],
        "competent_department_id": [d[0] for d in departments],
        "owner_department_id": [d[1] for d in departments],
        "maintainer_department_id": [d[2] for d in departments],
        "grid_code": [loc.grid_code for loc in locations],
        "street_code": [loc.street.code for loc in locations],
        "community_code": [loc.community.code for loc in locations],
        "initial_date": [r.initial_date for r in rows],
        "change_date": [r.change_date for r in rows],
        "data_source": [r.data_source for r in rows],
        "note": [r.note for r in rows],
        "geometry_type": geometry_types,
        "geom_wkb": wkbs,
        "min_lon": bounds[:, 0].astype(float),
        "min_lat": bounds[:, 1].astype(float),
        "max_lon": bounds[:, 2].astype(float),
        "max_lat": bounds[:, 3].astype(float),
        "lon": np.asarray(lons, dtype=float),
        "lat": np.asarray(lats, dtype=float),
        "tile_key": np.asarray(keys, dtype=np.int64),
        "attributes": [r.attributes for r in rows],
        "created_at": [created_at] * n,
        "updated_at": [created_at] * n,
    }
    # Tile-key order keeps the inserts into the tile-key indexes local (ids follow it).
    order = np.argsort(keys, kind="stable")
    ComponentInserter().insert(columns, order, progress=lambda f: written(0.1 + 0.85 * f))
    on_map = np.array([mapcells.on_map(r.status) for r in rows], dtype=bool)
    deltas = mapcells.Deltas()
    deltas.add_many(
        keys[on_map],
        np.array([r.ctype.code for r in rows], dtype=object)[on_map].astype(str),
        lons[on_map],
        lats[on_map],
    )
    deltas.write()
    written(1.0)
    audit.append(
        actor,
        "component.import",
        "component",
        "*",
        {
            "created": len(rows),
            "digest": digest.hexdigest(),
            "types": dict(sorted(Counter(r.ctype.code for r in rows).items())),
            "crs": crs,
            "first_code": min(row_codes) if rows else None,
            "last_code": max(row_codes) if rows else None,
        },
    )
