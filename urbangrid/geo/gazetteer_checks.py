"""The dry run of a gazetteer import: roads (lines with a name, kind and aliases) and places
(door plates on a named road with a number, and landmarks), every problem listed.

Road data usually arrives cut into segments at every junction, so segments sharing a name
become one road with a multi-line geometry.
"""

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.utils.translation import gettext as _

from urbangrid.core.errors import Invalid
from urbangrid.core.importing import Feature, ImportReport, detect_format, read_features

from .addresses import doorplate_name
from .features import LINEAR, aliases, choice_table, geometries, prop, text
from .models import Place, Road


@dataclass
class RoadRow:
    name: str
    kind: str
    aliases: list[str]
    parts: list[shapely.Geometry] = field(default_factory=list)

    @property
    def geometry(self) -> shapely.Geometry:
        return shapely.line_merge(shapely.union_all(self.parts))


@dataclass
class PlaceRow:
    kind: str
    name: str
    road: str
    number: int | None
    aliases: list[str]
    lon: float
    lat: float


@dataclass
class GazetteerPlan:
    roads: dict[str, RoadRow] = field(default_factory=dict)
    places: list[PlaceRow] = field(default_factory=list)


def check_gazetteer(roads: list[Feature], places: list[Feature], crs, report: ImportReport) -> GazetteerPlan:
    plan = GazetteerPlan()
    _road_rows(roads, crs, report, plan)
    _place_rows(places, crs, report, plan)
    return plan


def _road_rows(features: list[Feature], crs, report: ImportReport, plan: GazetteerPlan) -> None:
    kinds = choice_table(Road.Kind)
    geoms = geometries(features, crs, report, LINEAR, ref_key="name")
    for f, geom in zip(features, geoms, strict=True):
        name = text(prop(f.properties, "name"))
        if not name:
            report.add(f.index, "", "missing_name", _("The road has no name."))
            continue
        raw_kind = text(prop(f.properties, "kind"))
        kind = kinds.get(raw_kind.lower(), None) if raw_kind else Road.Kind.BRANCH
        if kind is None:
            report.add(
                f.index,
                name,
                "bad_kind",
                _("%(value)r is not a road kind; use one of: %(choices)s.")
                % {"value": raw_kind, "choices": ", ".join(Road.Kind.values)},
            )
            continue
        if geom is None:
            continue
        row = plan.roads.setdefault(name, RoadRow(name, kind, []))
        row.parts.append(geom)
        for alias in aliases(prop(f.properties, "aliases")):
            if alias not in row.aliases:
                row.aliases.append(alias)


def _place_rows(features: list[Feature], crs, report: ImportReport, plan: GazetteerPlan) -> None:
    kinds = choice_table(Place.Kind)
    geoms = geometries(features, crs, report, ("Point",), ref_key="name")
    doorplates: dict[tuple[str, int], int] = {}
    for f, geom in zip(features, geoms, strict=True):
        props = f.properties
        raw_kind = text(prop(props, "kind"))
        kind = kinds.get(raw_kind.lower())
        name, road = text(prop(props, "name")), text(prop(props, "road"))
        ref = name or f"{road}{text(prop(props, 'number'))}"
        if kind is None:
            report.add(
                f.index,
                ref,
                "bad_kind",
                _("%(value)r is not a place kind; use doorplate or landmark.") % {"value": raw_kind},
            )
            continue
        if road and road not in plan.roads:
            report.add(
                f.index, ref, "unknown_road", _("The road %(road)s is not in the road file.") % {"road": road}
            )
            continue
        number = _number(prop(props, "number"))
        if kind == Place.Kind.DOORPLATE:
            if not road or number is None:
                report.add(
                    f.index,
                    ref,
                    "incomplete_doorplate",
                    _("A door plate needs its road and a positive whole door number."),
                )
                continue
            first = doorplates.setdefault((road, number), f.index)
            if first != f.index:
                report.add(
                    f.index,
                    ref,
                    "duplicate_doorplate",
                    _("%(road)s %(number)s appears more than once (first at feature %(first)s).")
                    % {"road": road, "number": number, "first": first},
                )
                continue
            name = name or doorplate_name(road, number)
        elif not name:
            report.add(f.index, ref, "missing_name", _("The landmark has no name."))
            continue
        if geom is None:
            continue
        plan.places.append(
            PlaceRow(kind, name, road, number, aliases(prop(props, "aliases")), geom.x, geom.y)
        )


def _number(value) -> int | None:
    raw = text(value)
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        return int(raw)
    return None


def read_gazetteer(source) -> tuple[list[Feature], list[Feature]]:
    """Roads and places from one file: lines are roads, points are places. A GeoPackage may
    hold them in several layers (e.g. "roads" and "places"); every layer is read."""
    fmt = detect_format(str(getattr(source, "name", source)))
    if fmt == "gpkg":
        import pyogrio

        data = source if isinstance(source, str | Path) else _bytes(source)
        try:
            layers = [str(name) for name, _geometry_type in pyogrio.list_layers(data)]
        except Exception as exc:  # GDAL raises many kinds; all mean "unreadable file"
            raise Invalid("unreadable_file", _("The file cannot be read."), detail=str(exc)) from exc
        features = [f for layer in layers for f in read_features(data, fmt, layer=layer)]
    else:
        features = read_features(source, fmt)
    place_kinds = choice_table(Place.Kind)
    roads, places = [], []
    for f in features:
        is_point = f.geometry is not None and f.geometry.geom_type == "Point"
        is_place = text(prop(f.properties, "kind")).lower() in place_kinds
        (places if is_point or is_place else roads).append(f)
    return roads, places


def _bytes(source) -> bytes:
    source.seek(0)
    return source.read()
