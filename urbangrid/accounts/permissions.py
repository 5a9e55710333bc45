"""Who may do what, and on which data.

An action is allowed when the actor holds one of its roles (system administrators hold every
one) and the object lies inside the actor's data scope. Services call `require`; querysets
shown to a user go through the owning app's `scoped()` helper, which reads `Scope`.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import NotAuthenticated, PermissionDenied

from .models import Role

# action -> roles allowed to perform it; apps extend this table with `register`.
ACTION_ROLES: dict[str, frozenset[str]] = {}


def register(action: str, *roles: str) -> None:
    ACTION_ROLES[action] = frozenset(roles)


@dataclass(frozen=True)
class Scope:
    """The data a user may see: everything, or some divisions (by code prefix) and/or departments."""

    everything: bool = False
    division_codes: frozenset[str] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)

    def covers_area(self, code: str) -> bool:
        """Is a grid/community/street code inside the scope? Codes nest by prefix."""
        return self.everything or any(code.startswith(d) for d in self.division_codes)

    def covers_department(self, department_id: int | None) -> bool:
        return self.everything or (department_id is not None and department_id in self.department_ids)


CENTRE_ROLES = frozenset({Role.INTAKE, Role.SHIFT_LEADER, Role.DISPATCHER, Role.LEADER, Role.ADMIN})


def _responsibility_grid_codes(user) -> frozenset[str]:
    from urbangrid.geo.models import ResponsibilityGrid

    codes = ResponsibilityGrid.objects.filter(supervisors=user).values_list("grid_codes", flat=True)
    return frozenset(code for grid_codes in codes for code in grid_codes)


def _leads_one_part(user) -> bool:
    """A leader of one department or company (its leadership sits under the county's) leads
    that part alone; the county's and the centre's leaders see the whole jurisdiction."""
    from .models import Department

    if user.roles & CENTRE_ROLES != {Role.LEADER} or not user.department_id:
        return False
    department = user.department
    return department.parent_id is not None and department.kind != Department.Kind.CENTRE


def _department_and_below(department_id: int) -> frozenset[int]:
    from .models import Department

    found, frontier = {department_id}, {department_id}
    while frontier:
        frontier = set(Department.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return frozenset(found)


def scope_of(user) -> Scope:
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    explicit = frozenset(user.areas.values_list("code", flat=True)) if user.pk else frozenset()
    areas = explicit | _responsibility_grid_codes(user) if Role.SUPERVISOR in user.roles else explicit
    departments = frozenset([user.department_id]) if user.department_id else frozenset()
    if departments and Role.LEADER in user.roles:
        departments = _department_and_below(user.department_id)  # a leadership group leads its units
    if user.is_superuser or (user.roles & CENTRE_ROLES and not explicit and not _leads_one_part(user)):
        scope = Scope(everything=True)
    else:
        scope = Scope(division_codes=areas, department_ids=departments)
    user._scope_cache = scope
    return scope


def has_action(user, action: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or Role.ADMIN in user.roles:
        return True
    return bool(user.roles & ACTION_ROLES.get(action, frozenset()))


def require(user, action: str, *, area_code: str | None = None, department_ids=()) -> None:
    """Raise unless `user` may perform `action` on an object lying in `area_code` or belonging
    to one of `department_ids` (either suffices when both are given)."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if action not in ACTION_ROLES:
        raise KeyError(f"unknown action {action!r}")
    if not has_action(user, action):
        raise PermissionDenied("role_not_allowed", _("Your role does not allow this action."), action=action)
    scope = scope_of(user)
    if scope.everything or (area_code is None and not department_ids):
        return
    if area_code is not None and scope.covers_area(area_code):
        return
    if any(scope.covers_department(d) for d in department_ids):
        return
    raise PermissionDenied("out_of_scope", _("This is outside your data scope."), action=action)
