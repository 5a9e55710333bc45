"""The synthetic county as import features (WGS84), exactly what a county's GIS office would
hand over as files: the demo goes through the same importers."""

import numpy as np

from urbangrid.core.importing import Feature

from .components import ComponentSpec
from .county import County
from .gazetteer import Place

# Who answers for a grid (责任主体) when it is not the community or the street governing it.
GRID_RESPONSIBLE = {"parks": "yls", "water": "slj"}


def _wgs84(county: County, geoms) -> np.ndarray:
    return county.frame.to_wgs84(np.asarray(geoms, dtype=object))


def division_features(county: County) -> list[Feature]:
    geoms = _wgs84(county, [d.polygon for d in county.divisions])
    return [
        Feature(i, g, {"code": d.code, "name": d.name})
        for i, (d, g) in enumerate(zip(county.divisions, geoms, strict=True), start=1)
    ]


def grid_features(county: County) -> list[Feature]:
    geoms = _wgs84(county, [g.polygon for g in county.grids])
    features = []
    for i, (grid, geom) in enumerate(zip(county.grids, geoms, strict=True), start=1):
        responsible = {"community": grid.community, "street": grid.street}.get(grid.responsible)
        features.append(
            Feature(
                i,
                geom,
                {
                    "code": grid.code,
                    "land_use": grid.land_use,
                    "management_level": grid.management_level,
                    "responsible_department": responsible or GRID_RESPONSIBLE[grid.responsible],
                },
            )
        )
    return features


def road_features(county: County) -> list[Feature]:
    roads = county.network.roads
    geoms = _wgs84(county, [r.line for r in roads])
    return [
        Feature(i, g, {"name": r.name, "kind": r.kind, "aliases": list(r.aliases)})
        for i, (r, g) in enumerate(zip(roads, geoms, strict=True), start=1)
    ]


def place_features(county: County, places: list[Place]) -> list[Feature]:
    geoms = _wgs84(county, [p.point for p in places])
    return [
        Feature(
            i,
            g,
            {"kind": p.kind, "name": p.name, "road": p.road, "number": p.number, "aliases": list(p.aliases)},
        )
        for i, (p, g) in enumerate(zip(places, geoms, strict=True), start=1)
    ]


def component_features(county: County, specs: list[ComponentSpec]) -> list[Feature]:
    geoms = _wgs84(county, [s.geometry for s in specs])
    features = []
    for i, (s, g) in enumerate(zip(specs, geoms, strict=True), start=1):
        props = {
            "type": s.type,
            "status": s.status,
            "competent_department": s.competent,
            "initial_date": s.initial_date,
            "data_source": s.data_source,
        }
        if s.owner:
            props["owner_department"] = s.owner
        if s.maintainer:
            props["maintainer_department"] = s.maintainer
        features.append(Feature(i, g, props))
    return features
