from django.core.management.base import BaseCommand, CommandError

from urbangrid.audit import services


class Command(BaseCommand):
    help = "urbangrid audit verify: walk the hash chain and report the first tampered, inserted or deleted record."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        verdict = services.verify()
        if not verdict.ok:
            raise CommandError(f"audit chain BROKEN after {verdict.checked} good records: {verdict.problem}")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {verdict.checked} records verified"))
