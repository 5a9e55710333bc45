"""What `urbangrid demo` does with the database in front of it: build the county, reuse it,
finish the steps it lacks, or start again after an interrupted build.

The county is recognised by its division code. A database holding divisions of some other
jurisdiction is refused: the demo never mixes itself into real data, and never wipes it.
"""

import time
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from urbangrid.geo.models import Division

from . import services, steps
from .models import BuildStep
from .scales import SCALES, Scale, scale_named
from .steps import Build, Console

DEMO_DISTRICTS = frozenset(code for scale in SCALES.values() for code in scale.district_codes)


class BuildRefused(Exception):
    pass


@dataclass
class State:
    built: bool = False
    scale: str = ""
    seed: int | None = None
    done: set[str] = field(default_factory=set)
    interrupted: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [s.name for s in steps.STEPS if s.name not in self.done]


def state(scale: Scale) -> State:
    districts = set(Division.objects.filter(level=Division.Level.DISTRICT).values_list("code", flat=True))
    log = list(BuildStep.objects.all())
    first = log[0] if log else None
    return State(
        built=scale.district_codes[0] in districts,
        scale=first.scale if first else "",
        seed=first.seed if first else None,
        done={s.name for s in log if s.finished_at is not None},
        interrupted=[s.name for s in log if s.finished_at is None],
        foreign=sorted(districts - DEMO_DISTRICTS),
    )


def wipe(console: Console) -> None:
    """Drop the tables of every installed app and migrate again: the quickest empty database
    on SQLite and PostgreSQL alike (a flush would leave the catalogue, which a migration loads,
    empty and trip the audit trail's triggers; unapplying migration by migration is slow)."""
    console.line(_("Emptying the database …"))
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    tables.append(MigrationRecorder.Migration._meta.db_table)
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    connection.disable_constraint_checking()
    try:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}{cascade}")
    finally:
        connection.enable_constraint_checking()
    call_command("migrate", interactive=False, verbosity=0)


def run(scale: Scale, seed: int, console: Console, *, rebuild: bool = False) -> str:
    """Bring the database to a built county; returns "built", "completed" or "reused"."""
    current = state(scale)
    if current.foreign:
        raise BuildRefused(
            _("This database holds other divisions (%(codes)s); the demo county is not built into it.")
            % {"codes": ", ".join(current.foreign)}
        )
    if rebuild or current.interrupted or (current.done and not current.built):
        if current.interrupted and not rebuild:
            console.line(
                _("The previous build stopped during “%(step)s”; building the county again.")
                % {"step": current.interrupted[0]}
            )
        wipe(console)
        current = state(scale)
    if current.built and current.scale and current.scale != scale.name:
        console.line(
            _(
                "This database holds the demo built at scale “%(built)s”; keeping it (--rebuild builds “%(wanted)s”)."
            )
            % {"built": current.scale, "wanted": scale.name}
        )
    if current.built and not current.missing:
        return "reused"
    outcome = "completed" if current.built else "built"
    if current.built and current.scale:
        scale, seed = scale_named(current.scale), current.seed
    build = Build(scale, seed, console)
    todo = [s for s in steps.STEPS if s.name not in current.done]
    started = time.monotonic()
    for n, step in enumerate(todo, start=1):
        console.line(f"[{n}/{len(todo)}] {step.label} …")
        actor = build.administrator() if "administrator" in current.done or build.actor else None
        services.start_step(actor, step.name, scale=scale.name, seed=seed)
        t0 = time.monotonic()
        summary = step.run(build)
        seconds = time.monotonic() - t0
        services.finish_step(actor or build.actor, step.name, seconds=seconds, summary=summary)
        console.line(f"      {summary} ({seconds:.1f} s)")
    console.line(_("Built in %(seconds).0f s.") % {"seconds": time.monotonic() - started})
    return outcome
