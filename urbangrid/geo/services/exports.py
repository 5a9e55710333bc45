"""Exports of divisions and unit grids in the import's own format and property names."""

import warnings

from urbangrid.core.importing import detect_format, write_features

from ..models import Division, UnitGrid


def _write(path, rows, fmt, layer) -> None:
    with warnings.catch_warnings():
        # Shapefile cuts column names to 10 characters; the importer reads the cut names back.
        warnings.filterwarnings("ignore", "Normalized/laundered field name", RuntimeWarning)
        write_features(path, rows, fmt or detect_format(str(path)), layer=layer)


def export_divisions(path, fmt: str | None = None) -> int:
    """Write every division (WGS84) as GeoJSON, GeoPackage, Shapefile or CSV; returns the count."""
    rows = [
        (
            d.geometry,
            {
                "code": d.code,
                "name": d.name,
                "level": d.level,
                "parent": d.code[:-3] if d.parent_id else "",
                "area_m2": round(d.area_m2, 1),
            },
        )
        for d in Division.objects.order_by("code")
    ]
    _write(path, rows, fmt, "divisions")
    return len(rows)


def export_grids(path, fmt: str | None = None, *, history: bool = False) -> int:
    """Write the current unit grids (with `history`, every version) in the import's own
    property names, so an export can be edited and imported back."""
    grids = UnitGrid.objects.select_related("responsible_department").order_by("code", "valid_from", "pk")
    if not history:
        grids = grids.filter(valid_to__isnull=True)
    rows = []
    for g in grids:
        props = {
            "code": g.code,
            "land_use": g.land_use,
            "management_level": g.management_level,
            "responsible_department": g.responsible_department.code if g.responsible_department else "",
            "area_m2": round(g.area_m2, 1),
            "valid_from": g.valid_from.isoformat(),
        }
        if history:
            props["valid_to"] = g.valid_to.isoformat() if g.valid_to else ""
        rows.append((g.geometry, props))
    _write(path, rows, fmt, "unit_grids")
    return len(rows)
