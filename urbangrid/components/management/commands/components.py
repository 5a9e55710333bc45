"""`urbangrid components import FILE [--dry-run] [--crs gcj02] [--user admin]`,
`urbangrid components export FILE [--standard] [--type 01037] [--status damaged] [--area 330102001]`,
`urbangrid components rebuild-cells`: the registry's console tasks. File formats follow the
name (.geojson, .gpkg, .shp/.zip, .csv)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from urbangrid.components import services
from urbangrid.core.errors import ServiceError
from urbangrid.core.importing import ImportRejected, Progress, read_features
from urbangrid.geo.crs import CRS


class Command(BaseCommand):
    help = "Import, export and maintain the component registry."

    def add_arguments(self, parser):
        tasks = parser.add_subparsers(dest="task", required=True)
        load = tasks.add_parser("import", help="check a file and import it whole, or nothing")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        load.add_argument("--crs", default=CRS.WGS84, choices=CRS.values, help="coordinates of the file")
        load.add_argument("--user", help="an administrator to record the import under; default: the system")
        dump = tasks.add_parser("export", help="write components to a file (WGS84)")
        dump.add_argument("file")
        dump.add_argument("--standard", action="store_true", help="GB/T 47678.5 column abbreviations")
        for name in ("type", "status", "department", "area"):
            dump.add_argument(f"--{name}")
        tasks.add_parser("rebuild-cells", help="recompute the map's per-cell counts")

    def handle(self, task, **options):
        try:
            if task == "import":
                self._import(options)
            elif task == "export":
                filters = {k: options[k] for k in ("type", "status", "department", "area") if options[k]}
                count = services.export_components(
                    options["file"], abbreviations=options["standard"], **filters
                )
                self.stdout.write(
                    _("%(count)s components written to %(file)s.") % {"count": count, "file": options["file"]}
                )
            else:
                cells = services.rebuild_map_cells()
                self.stdout.write(_("%(cells)s map cells rebuilt.") % {"cells": cells})
        except ImportRejected as exc:
            self._print_problems(exc.report)
            raise CommandError(_("Rejected: nothing was written.")) from exc
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def _import(self, options) -> None:
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user is called %(user)s.") % {"user": options["user"]})
        features = read_features(options["file"])
        report = services.import_components(
            actor,
            features,
            dry_run=options["dry_run"],
            crs=options["crs"],
            progress=Progress(_("components"), len(features), stream=self.stderr),
        )
        self._print_problems(report)
        if not report.ok:
            raise CommandError(_("The file has problems; nothing was written."))
        done = (
            _("%(count)s components checked, none written (dry run).")
            if options["dry_run"]
            else _("%(count)s components imported.")
        )
        self.stdout.write(done % {"count": report.created})

    def _print_problems(self, report) -> None:
        for p in report.problems:
            where = _("feature %(index)s") % {"index": p.index} if p.index else "-"
            self.stdout.write(f"{where}\t{p.ref}\t{p.code}\t{p.message}")
