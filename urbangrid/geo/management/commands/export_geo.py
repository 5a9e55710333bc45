"""`urbangrid export_geo divisions|grids FILE [--history]`: the format follows the file name
(.geojson, .gpkg, .shp, .csv)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from urbangrid.core.errors import ServiceError
from urbangrid.geo import services


class Command(BaseCommand):
    help = "Export divisions or unit grids as GeoJSON, GeoPackage, Shapefile or CSV (WGS84)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=("divisions", "grids"))
        parser.add_argument("file")
        parser.add_argument(
            "--history", action="store_true", help="grids: every version, not only current ones"
        )

    def handle(self, kind, file, history, **options):
        try:
            if kind == "divisions":
                count = services.export_divisions(file)
            else:
                count = services.export_grids(file, history=history)
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(_("%(count)s features written to %(file)s.") % {"count": count, "file": file})
