from django.core.management.base import BaseCommand, CommandError

from urbangrid.core import clock
from urbangrid.evaluation import marks


class Command(BaseCommand):
    help = (
        "Derive every per-step mark again from the audit trail and compare it with the stored marks "
        "(--verify, the default: changes nothing, fails on a difference), or write the missing ones "
        "(--rebuild: marks are never changed or deleted, so a rebuild only adds)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--verify", action="store_true", help="compare only (default)")
        group.add_argument("--rebuild", action="store_true", help="write the marks that are missing")

    def handle(self, *args, verify, rebuild, **options):
        now = clock.now()
        if rebuild:
            found = marks.missing(now)
            self.stdout.write(f"{marks.write(found, now)} marks written")
        result = marks.compare(now)
        self.stdout.write(
            f"{result['stored']} stored, {result['derived']} derived from the audit trail; "
            f"{len(result['missing'])} missing, {len(result['extra'])} not derivable, "
            f"{len(result['changed'])} with other sources, {len(result['problems'])} cases that do not trace"
        )
        for problem in result["problems"][:20]:
            self.stdout.write(f"  {problem}")
        if result["extra"] or result["changed"] or result["problems"] or (result["missing"] and not rebuild):
            raise CommandError("the stored marks differ from the audit trail")
