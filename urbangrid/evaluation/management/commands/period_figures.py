from datetime import date

from django.core.management.base import BaseCommand, CommandError

from urbangrid.core import clock
from urbangrid.evaluation import figures


def _span(text: str) -> tuple[date, date]:
    """2026-10 (a month), 2026-Q3 (a quarter) or 2026 (a year)."""
    if "-Q" in text.upper():
        year, quarter = text.upper().split("-Q")
        if quarter not in ("1", "2", "3", "4"):
            raise ValueError("a quarter is Q1 to Q4")
        first = date(int(year), 3 * int(quarter) - 2, 1)
        return first, figures.add_months(first, 3)
    if "-" in text:
        first = date.fromisoformat(f"{text}-01")
        return first, figures.add_months(first, 1)
    first = date(int(text), 1, 1)
    return first, figures.add_months(first, 12)


class Command(BaseCommand):
    help = (
        "Count a closed month's, quarter's or year's figures of every subject kind again and store "
        "them (after a correction of its records), or, without --period, do what the jobs do: count "
        "the kept periods that are missing or still settling."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", help="2026-10 (month), 2026-Q3 (quarter) or 2026 (year); one that is over"
        )

    def handle(self, *args, period, **options):
        now = clock.now()
        if period is None:
            self.stdout.write(f"{figures.store_closed_periods(now)} periods counted")
            return
        try:
            first, after = _span(period)
            figures.count_period(first, after, now)
        except ValueError as exc:
            raise CommandError(f"--period {period}: {exc}") from exc
        self.stdout.write(f"{first} – {after} counted")
