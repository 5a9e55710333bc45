"""Recording the demo build's steps. `actor=None` is the demo builder itself (the system),
as for the geo imports; a user needs the administrator's role."""

from django.db import transaction

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.core import clock

from .models import BuildStep

permissions.register("demo.build", Role.ADMIN)


def _require(actor) -> None:
    if actor is not None:
        permissions.require(actor, "demo.build")


@transaction.atomic
def start_step(actor, name: str, *, scale: str, seed: int) -> BuildStep:
    _require(actor)
    step, _ = BuildStep.objects.update_or_create(
        name=name,
        defaults={
            "scale": scale,
            "seed": seed,
            "started_at": clock.now(),
            "finished_at": None,
            "seconds": None,
            "summary": "",
        },
    )
    audit.append(actor, "demo.start_step", "demo_build_step", name, {"scale": scale, "seed": seed})
    return step


@transaction.atomic
def finish_step(actor, name: str, *, seconds: float, summary: str) -> BuildStep:
    _require(actor)
    step = BuildStep.objects.select_for_update().get(name=name)
    step.finished_at = clock.now()
    step.seconds = round(seconds, 2)
    step.summary = summary[:200]
    step.save(update_fields=["finished_at", "seconds", "summary"])
    audit.append(
        actor, "demo.finish_step", "demo_build_step", name, {"seconds": step.seconds, "summary": step.summary}
    )
    return step
