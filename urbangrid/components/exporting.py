"""Export of the registry as GeoJSON, CSV, GeoPackage or Shapefile, with our column names or
with the standard's abbreviations (GB/T 47678.5-2026 Table 2) for exchange with other
platforms. Either form imports again unchanged."""

from pathlib import Path

from urbangrid.core.importing import detect_format, write_features
from urbangrid.geo.models import Division

from .models import Component
from .queries import filter_components
from .standard import standard_values

LAYER = "components"


def _dept(dept) -> str:
    return dept.code if dept else ""


def _our_columns(c: Component) -> dict:
    return {
        "code": c.code,
        "old_code": c.old_code,
        "type": c.type.code,
        "type_name": c.type.name,
        "status": c.status,
        "competent_department": _dept(c.competent_department),
        "owner_department": _dept(c.owner_department),
        "maintainer_department": _dept(c.maintainer_department),
        "grid_code": c.grid_code,
        "street_code": c.street_code,
        "community_code": c.community_code,
        "initial_date": c.initial_date.isoformat(),
        "change_date": c.change_date.isoformat() if c.change_date else "",
        "data_source": c.data_source,
        "note": c.note,
    }


def export_components(path, fmt: str | None = None, *, abbreviations: bool = False, **filters) -> int:
    """Write the components matching `filters` (type, status, department, area, as for the
    list API) to `path`; returns how many were written."""
    path = Path(path)
    fmt = fmt or detect_format(path.name)
    qs = filter_components(
        Component.objects.select_related(
            "type", "competent_department", "owner_department", "maintainer_department"
        ).order_by("code"),
        **filters,
    )
    divisions = dict(Division.objects.values_list("code", "name")) if abbreviations else {}
    rows = []
    attribute_names: dict[str, None] = {}
    for c in qs.iterator(chunk_size=2000):
        if abbreviations:
            columns = {"GLBJBSM": c.code, "old_code": c.old_code, "type": c.type.code}
            columns.update(standard_values(c, divisions))
        else:
            columns = _our_columns(c)
        for name in c.attributes:
            attribute_names.setdefault(name, None)
        rows.append((c.geometry, columns, c.attributes))
    # Every row carries every column: CSV headers and GeoPackage fields are fixed per file.
    features = [
        (geom, {**columns, **{n: attrs.get(n) for n in attribute_names}}) for geom, columns, attrs in rows
    ]
    write_features(path, features, fmt, LAYER)
    return len(features)
