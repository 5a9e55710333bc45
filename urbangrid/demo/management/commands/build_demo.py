"""`urbangrid build_demo --scale county|city [--seed N] [--fraction F]`: build a synthetic
jurisdiction without serving it. The city scale is the megacity benchmark dataset
(≥ 40,000 grids, ≥ 10 million components; use PostgreSQL); `--fraction 0.1` builds a tenth
of it to measure the rates quickly."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from urbangrid.demo.management.console import run_build


class Command(BaseCommand):
    help = "Build the demo county or the megacity benchmark dataset, without serving it."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["tiny", "county", "city"], default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--fraction", type=float, default=1.0, help="Build this share of the area (0 < F ≤ 1)."
        )
        parser.add_argument("--rebuild", action="store_true", help="Empty the database first.")

    def handle(self, *args, scale, seed, fraction, rebuild, **options):
        if not 0 < fraction <= 1:
            raise CommandError(_("--fraction must be more than 0 and at most 1."))
        name = scale if fraction >= 1 else f"{scale}@{fraction:g}"
        outcome = run_build(self, name, seed, rebuild=rebuild)
        if outcome == "reused":
            self.stdout.write(
                _("This database already holds the built data; nothing to do (--rebuild to start again).")
            )
