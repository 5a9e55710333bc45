"""Acting from the command desk's map. Every change goes through the case services (which
check role, scope, state and version and write the timeline and audit); this module only adds
what the map knows: the department by its code, and the supervisor nearest to the case."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department, Role, User
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Case, State
from urbangrid.cases.queries import distance_m
from urbangrid.core.errors import Conflict, Invalid, NotFound
from urbangrid.intake import duty

permissions.register("command.view", Role.INTAKE, Role.SHIFT_LEADER, Role.DISPATCHER, Role.LEADER)

# What a supervisor is sent to do, by the case's state: 核实 before filing, 核查 after disposal.
TASKS = {State.VERIFYING: "verify", State.CHECKING: "check"}


def dispatch(actor, number: str, *, department: str, reason_code: str = "", note: str = "", version=None):
    found = Department.objects.filter(code=department).first()
    if found is None:
        raise Invalid("unknown_department", _("Unknown department."), department=department)
    return case_services.dispatch(
        actor, number, department=found, reason_code=reason_code, note=note, expected_version=version
    )


def urge(actor, number: str, *, note: str, version=None):
    return case_services.urge(actor, number, note=note, expected_version=version)


def nearest_supervisors(lon: float, lat: float, limit: int = 5) -> list[dict]:
    """Supervisors on duty with a known position, nearest first, with their distance in metres."""
    found = [
        {**s, "distance_m": round(distance_m(lon, lat, s["lon"], s["lat"]))}
        for s in duty.on_duty_now()
        if s["lon"] is not None
    ]
    return sorted(found, key=lambda s: s["distance_m"])[:limit]


@transaction.atomic
def send_nearest_supervisor(actor, number: str, *, note: str = "", version=None) -> dict:
    """Send the 核实/核查 task of a case to the on-duty supervisor standing nearest to it."""
    case = Case.objects.filter(number=number).first()
    if case is None:
        raise NotFound("case_not_found", _("No such case."), number=number)
    permissions.require(actor, "case.assign_supervisor", area_code=case.grid_code)
    if case.state not in TASKS:
        raise Conflict(
            "no_field_task",
            _("Only a case awaiting verification or check can be sent to a supervisor."),
            state=case.state,
        )
    nearest = nearest_supervisors(case.lon, case.lat, limit=1)
    if not nearest:
        raise Conflict("no_supervisor_on_duty", _("No supervisor on duty has sent a position."))
    choice = nearest[0]
    supervisor = User.objects.get(username=choice["user"])
    case_services.assign_supervisor(
        actor,
        number,
        supervisor=supervisor,
        note=note or str(_("Sent from the command desk to the nearest supervisor on duty.")),
        expected_version=version,
    )
    return {
        "task": TASKS[case.state],
        "supervisor": choice["user"],
        "name": choice["name"],
        "distance_m": choice["distance_m"],
    }
