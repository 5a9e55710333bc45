"""Responsibility grids (责任网格): sets of unit grids and the supervisors who patrol them."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.core.errors import Invalid, NotFound

from ..models import ResponsibilityGrid, UnitGrid
from .common import require


@dataclass
class CheckedResponsibilityGrid:
    code: str
    name: str
    grid_codes: list[str]
    supervisors: list


def check_responsibility_grid(
    actor, *, code: str, name: str, grid_codes: list[str], supervisors
) -> CheckedResponsibilityGrid:
    """Everything `save_responsibility_grid` checks, without writing: forms call it to show
    the problem next to the field."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 32:
        raise Invalid("bad_code", _("A responsibility grid needs a code of at most 32 characters."))
    if not name:
        raise Invalid("missing_name", _("The name is missing."))
    grid_codes = list(dict.fromkeys(str(c).strip() for c in grid_codes if str(c).strip()))
    if not grid_codes:
        raise Invalid("no_grids", _("A responsibility grid needs at least one unit grid."))
    previous = ResponsibilityGrid.objects.filter(code=code).values_list("grid_codes", flat=True).first() or []
    # Taking grids away from a responsibility grid is a change to them too.
    for grid_code in sorted(set(grid_codes) | set(previous)):
        require(actor, "geo.edit", area_code=grid_code)
    known = set(
        UnitGrid.objects.filter(code__in=grid_codes, valid_to__isnull=True).values_list("code", flat=True)
    )
    missing = [c for c in grid_codes if c not in known]
    if missing:
        raise Invalid(
            "unknown_grid",
            _("These unit grids do not exist: %(codes)s.") % {"codes": ", ".join(missing)},
            codes=missing,
        )
    return CheckedResponsibilityGrid(code, name, grid_codes, _supervisors(supervisors))


@transaction.atomic
def save_responsibility_grid(
    actor, *, code: str, name: str, grid_codes: list[str], supervisors
) -> ResponsibilityGrid:
    """Create or update a 责任网格: a named set of current unit grids and the field
    supervisors (users or user names) who patrol them."""
    ResponsibilityGrid.objects.select_for_update().filter(code=(code or "").strip()).first()
    checked = check_responsibility_grid(
        actor, code=code, name=name, grid_codes=grid_codes, supervisors=supervisors
    )
    rg = ResponsibilityGrid.objects.filter(code=checked.code).first()
    before = _state(rg) if rg else {}
    rg = rg or ResponsibilityGrid(code=checked.code)
    rg.name, rg.grid_codes = checked.name, checked.grid_codes
    rg.save()
    rg.supervisors.set(checked.supervisors)
    audit.append(
        actor,
        "geo.update_responsibility_grid" if before else "geo.create_responsibility_grid",
        "responsibility_grid",
        checked.code,
        {"from": before, "to": _state(rg)},
    )
    return rg


def _state(rg: ResponsibilityGrid) -> dict:
    return {
        "name": rg.name,
        "grid_codes": rg.grid_codes,
        "supervisors": sorted(rg.supervisors.values_list("username", flat=True)),
    }


def _supervisors(values) -> list:
    User = get_user_model()
    people, unknown, wrong_role = [], [], []
    for value in values or ():
        user = value if isinstance(value, User) else User.objects.filter(username=str(value)).first()
        if user is None:
            unknown.append(str(value))
        elif Role.SUPERVISOR not in user.roles:
            wrong_role.append(user.username)
        else:
            people.append(user)
    if unknown:
        raise Invalid("unknown_user", _("These users do not exist."), usernames=unknown)
    if wrong_role:
        raise Invalid(
            "not_a_supervisor",
            _("Only field supervisors can patrol a responsibility grid."),
            usernames=wrong_role,
        )
    return people


@transaction.atomic
def delete_responsibility_grid(actor, code: str) -> None:
    rg = ResponsibilityGrid.objects.select_for_update().filter(code=code).first()
    if rg is None:
        raise NotFound(
            "unknown_responsibility_grid",
            _("No responsibility grid has this code."),
            responsibility_grid=code,
        )
    for grid_code in rg.grid_codes:
        require(actor, "geo.edit", area_code=grid_code)
    before = _state(rg)
    rg.delete()
    audit.append(actor, "geo.delete_responsibility_grid", "responsibility_grid", code, {"from": before})
