"""What the `demo` and `build_demo` commands share: migrating, building with progress on the
command's own output, and turning build failures into command errors."""

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from urbangrid.core.importing import ImportRejected
from urbangrid.demo import builder
from urbangrid.demo.scales import scale_named
from urbangrid.demo.steps import Console


class CommandStream:
    """A text stream over a command's stdout that leaves line endings to the writer, so
    progress lines can redraw themselves with a carriage return."""

    def __init__(self, command) -> None:
        self.out = command.stdout

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


def run_build(command, scale: str, seed: int, *, rebuild: bool = False) -> str:
    console = Console(CommandStream(command))
    console.line(_("Migrating the database …"))
    call_command("migrate", interactive=False, verbosity=0)
    try:
        return builder.run(scale_named(scale), seed, console, rebuild=rebuild)
    except builder.BuildRefused as exc:
        raise CommandError(str(exc)) from exc
    except ImportRejected as exc:
        for problem in exc.report.problems[:20]:
            console.line(f"  #{problem.index} {problem.ref} {problem.code}: {problem.message}")
        raise CommandError(
            _("The demo data was rejected by an import; nothing of that step was written.")
        ) from exc
