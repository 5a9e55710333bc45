"""Replacing the gazetteer (roads, door plates, landmarks) and correcting its entries."""

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.core.errors import Invalid, NotFound
from urbangrid.core.importing import Feature, ImportRejected

from .. import crs as crs_mod
from .. import gazetteer, geocoding, revisions
from ..gazetteer_checks import check_gazetteer
from ..models import Place, Road
from ..reports import GeoImportReport
from .common import WRITE_BATCH, bulk_insert, choice_value, content_digest, payload, require


def import_gazetteer(
    actor, roads: list[Feature], places: list[Feature], *, dry_run: bool = False, crs: str = "wgs84"
) -> GeoImportReport:
    """Replace the gazetteer: roads (lines with `name`, `kind`, `aliases`) and places (points
    with `kind` doorplate|landmark, `name`, `road`, `number`, `aliases`)."""
    require(actor, "geo.import")
    crs = crs_mod.parse(crs)
    report = GeoImportReport(dry_run=dry_run, total=len(roads) + len(places))
    plan = check_gazetteer(roads, places, crs, report)
    report.created = len(plan.roads) + len(plan.places)
    if dry_run:
        return report
    if not report.ok:
        raise ImportRejected(report)
    with transaction.atomic():
        report.retired = Road.objects.count() + Place.objects.count()
        Place.objects.all().delete()
        Road.objects.all().delete()
        new_roads = []
        for row in plan.roads.values():
            road = Road(name=row.name, kind=row.kind, aliases=row.aliases)
            road.set_geometry(row.geometry)
            new_roads.append(road)
        Road.objects.bulk_create(new_roads, batch_size=WRITE_BATCH)
        road_ids = dict(Road.objects.values_list("name", "pk"))
        aliases = connection.ops.adapt_json_value
        bulk_insert(
            Place,
            ("kind", "name", "road", "number", "aliases", "lon", "lat"),
            [
                (p.kind, p.name, road_ids.get(p.road), p.number, aliases(p.aliases, None), p.lon, p.lat)
                for p in plan.places
            ],
        )
        digest = content_digest(
            [(f"road:{r.name}", r.kind, "|".join(r.aliases), r.geometry.wkb) for r in plan.roads.values()]
            + [
                (f"{p.kind}:{p.name}:{p.road}:{p.number}:{p.lon:.7f},{p.lat:.7f}", "|".join(p.aliases))
                for p in plan.places
            ]
        )
        audit.append(
            actor,
            "geo.import_gazetteer",
            "gazetteer",
            f"import:{digest[:16]}",
            {**payload(report, crs, digest), "roads": len(plan.roads), "places": len(plan.places)},
        )
        _gazetteer_changed()
    return report


def _gazetteer_changed() -> None:
    revisions.bump(revisions.GAZETTEER)
    transaction.on_commit(gazetteer.invalidate)


@transaction.atomic
def update_road(actor, road_id: int, *, name: str, kind: str, aliases: list[str]) -> Road:
    require(actor, "geo.edit")
    road = Road.objects.select_for_update().filter(pk=road_id).first()
    if road is None:
        raise NotFound("unknown_road", _("No such road."), id=road_id)
    name = (name or "").strip()
    if not name:
        raise Invalid("missing_name", _("The name is missing."))
    if Road.objects.filter(name=name).exclude(pk=road.pk).exists():
        raise Invalid("duplicate_road", _("Another road already has this name."), name=name)
    before = {"name": road.name, "kind": road.kind, "aliases": road.aliases}
    road.name, road.kind = name, choice_value(Road.Kind, kind, "bad_kind")
    road.aliases = [a.strip() for a in aliases if a and a.strip()]
    road.save()
    after = {"name": road.name, "kind": road.kind, "aliases": road.aliases}
    audit.append(actor, "geo.update_road", "road", road.pk, {"from": before, "to": after})
    _gazetteer_changed()
    return road


@transaction.atomic
def update_place(actor, place_id: int, *, name: str, aliases: list[str]) -> Place:
    place = Place.objects.select_for_update().filter(pk=place_id).first()
    if place is None:
        raise NotFound("unknown_place", _("No such place."), id=place_id)
    area = geocoding.locate_many([place.lon], [place.lat])[0]
    require(actor, "geo.edit", area_code=area.grid_code if area else None)
    name = (name or "").strip()
    if not name:
        raise Invalid("missing_name", _("The name is missing."))
    before = {"name": place.name, "aliases": place.aliases}
    place.name = name
    place.aliases = [a.strip() for a in aliases if a and a.strip()]
    place.save()
    audit.append(
        actor,
        "geo.update_place",
        "place",
        place.pk,
        {"from": before, "to": {"name": name, "aliases": place.aliases}},
    )
    _gazetteer_changed()
    return place
