"""The supervisor's responsibility grids (责任网格) as GeoJSON for the phone's map."""

from shapely.geometry import mapping

from urbangrid.geo.models import UnitGrid


def responsibility_geojson(user) -> dict:
    owner = {}
    for rg in user.responsibility_grids.all():
        for code in rg.grid_codes:
            owner.setdefault(code, rg)
    features = []
    for grid in UnitGrid.objects.filter(code__in=list(owner), valid_to__isnull=True).order_by("code"):
        rg = owner[grid.code]
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(grid.geometry),
                "properties": {"code": grid.code, "responsibility": rg.code, "name": rg.name},
            }
        )
    return {"type": "FeatureCollection", "features": features}
