"""`urbangrid import_geo divisions|grids|gazetteer FILE [--dry-run] [--crs gcj02]`: check a file,
print every problem, and apply it only when it has none."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from urbangrid.core.errors import ServiceError
from urbangrid.core.importing import ImportRejected, Progress, read_features
from urbangrid.geo import services
from urbangrid.geo.crs import CRS
from urbangrid.geo.gazetteer_checks import read_gazetteer

KINDS = ("divisions", "grids", "gazetteer")


class Command(BaseCommand):
    help = "Import divisions, unit grids or the gazetteer from GeoJSON, GeoPackage, Shapefile or CSV."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument("--crs", default=CRS.WGS84, choices=CRS.values, help="coordinates of the file")
        parser.add_argument(
            "--tolerance",
            type=float,
            default=services.DEFAULT_TOLERANCE_M2,
            help="overlaps and gaps ignored below (m²)",
        )
        parser.add_argument(
            "--user",
            help="record the import under this user (who must be an administrator); default: the system",
        )

    def handle(self, kind, file, dry_run, crs, tolerance, user, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("No user is called %(user)s.") % {"user": user})
        try:
            report = self._run(actor, kind, file, dry_run, crs, tolerance)
        except ImportRejected as exc:
            self._print(exc.report)
            raise CommandError(_("Rejected: nothing was written.")) from exc
        except ServiceError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self._print(report)
        if not report.ok:
            raise CommandError(_("The file has problems; nothing was written."))

    def _run(self, actor, kind, file, dry_run, crs, tolerance):
        if kind == "gazetteer":
            roads, places = read_gazetteer(file)
            return services.import_gazetteer(actor, roads, places, dry_run=dry_run, crs=crs)
        features = read_features(file)
        if kind == "divisions":
            return services.import_divisions(
                actor, features, dry_run=dry_run, crs=crs, tolerance_m2=tolerance
            )
        progress = Progress(_("unit grids"), len(features), stream=self.stderr)
        return services.import_grids(
            actor, features, dry_run=dry_run, crs=crs, tolerance_m2=tolerance, progress=progress
        )

    def _print(self, report) -> None:
        for p in report.problems:
            where = _("feature %(index)s") % {"index": p.index} if p.index else "-"
            self.stdout.write(f"{where}\t{p.ref}\t{p.code}\t{p.message}")
        summary = _(
            "%(total)s features: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
            "%(retired)s retired, %(problems)s problems%(dry)s."
        ) % {
            "total": report.total,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "retired": report.retired,
            "problems": len(report.problems),
            "dry": _(" (dry run: nothing written)") if report.dry_run else "",
        }
        self.stdout.write(summary)
