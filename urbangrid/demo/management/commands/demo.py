"""`urbangrid demo`: migrate, build the demo county on the first run, print where to go and
the demo accounts, and serve http://127.0.0.1:8000 (DEBUG stays off; WhiteNoise serves the
static files)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from urbangrid.demo import welcome
from urbangrid.demo.management.console import run_build


class Command(BaseCommand):
    help = "Build the demo county (first run only) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Build or reuse the county, then stop.")
        parser.add_argument(
            "--rebuild", action="store_true", help="Empty the database and build the county again."
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--scale",
            choices=["county", "tiny"],
            default="county",
            help="tiny: the county in miniature, for tests.",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, no_serve, rebuild, port, scale, seed, **options):
        outcome = run_build(self, scale, seed, rebuild=rebuild)
        if outcome == "reused":
            self.stdout.write(_("The demo county is already built; reusing it."))
        for line in welcome.lines(port):
            self.stdout.write(line)
        if not no_serve:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
