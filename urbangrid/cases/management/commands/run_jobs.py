import time

from django.core.management.base import BaseCommand

from urbangrid.cases import jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs (overdue marking, escalation, claim expiry) once, or every N seconds with --every."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args, every, **options):
        while True:
            self.stdout.write(str(jobs.run_once()))
            if not every:
                return
            time.sleep(every)
