"""`urbangrid demo`: migrate, build the demo county on the first run, print where to go and
the demo accounts, and serve http://127.0.0.1:8000 (DEBUG stays off; WhiteNoise serves the
static files) with the scheduled jobs and the simulator running beside the server."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from urbangrid.cases import jobs
from urbangrid.demo import simulator, welcome
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
        parser.add_argument(
            "--pace",
            type=float,
            default=120,
            help="New reports a day from the simulator while serving (0: no simulator).",
        )

    def handle(self, *args, no_serve, rebuild, port, scale, seed, pace, **options):
        outcome = run_build(self, scale, seed, rebuild=rebuild)
        if outcome == "reused":
            self.stdout.write(_("The demo county is already built; reusing it."))
        for line in welcome.lines(port):
            self.stdout.write(line)
        if no_serve:
            return
        jobs.start_in_background()
        if pace > 0:
            simulator.start_in_background(pace)
            self.stdout.write(
                _("The simulator reports about %(pace)g problems a day and works the queues of every role.")
                % {"pace": pace}
            )
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
