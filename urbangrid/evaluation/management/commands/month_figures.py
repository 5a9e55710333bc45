from datetime import date

from django.core.management.base import BaseCommand, CommandError

from urbangrid.core import clock
from urbangrid.evaluation import figures


class Command(BaseCommand):
    help = (
        "Count a closed month's figures of every subject kind again and store them (after a "
        "correction of its records), or, without --month, do what the jobs do: count the kept "
        "months that are missing or still settling."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM, a month that is over")

    def handle(self, *args, month, **options):
        now = clock.now()
        if month is None:
            self.stdout.write(f"{figures.store_closed_months(now)} months counted")
            return
        try:
            first = date.fromisoformat(f"{month}-01")
            figures.count_month(first, now)
        except ValueError as exc:
            raise CommandError(f"--month {month}: {exc}") from exc
        self.stdout.write(f"{first:%Y-%m} counted")
