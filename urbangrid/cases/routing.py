"""Who should handle a case: the disposal department suggested to the dispatcher, and the field
supervisor sent to verify or check on the spot."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department, Role, User
from urbangrid.geo.models import ResponsibilityGrid, UnitGrid

from .models import Case, RoutingRule


@dataclass(frozen=True)
class Suggestion:
    department: Department | None
    basis: (
        str  # machine-readable: component_maintainer, rule, type_default, grid_responsible, territorial, none
    )
    explanation: str


BASIS_TEXT = {
    "component_maintainer": _("maintainer of the component"),
    "component_owner": _("owner of the component"),
    "component_competent": _("competent department of the component"),
    "rule": _("responsibility matrix"),
    "type_default": _("default department of the type"),
    "grid_responsible": _("responsible body of the unit grid"),
    "territorial": _("territorial fallback: the street"),
    "none": _("no responsible department found"),
}


def _suggest(department, basis) -> Suggestion:
    return Suggestion(department, basis, str(BASIS_TEXT[basis]))


def all_rules() -> list[RoutingRule]:
    """The whole responsibility matrix, for suggesting departments to a page of cases at once."""
    return list(RoutingRule.objects.select_related("department"))


def _rule_for(case: Case, rules: list[RoutingRule] | None) -> RoutingRule | None:
    """The most specific matching rule: longest area code first, then a type over a major
    class over a kind over any."""
    codes = {case.grid_code[:n] for n in (6, 9, 12, 15)} | {""}
    if rules is None:
        rules = RoutingRule.objects.filter(area_code__in=codes).select_related("department")
    best, best_key = None, None
    for r in rules:
        if r.area_code not in codes:
            continue
        if r.type_id and r.type_id != case.type_id:
            continue
        if r.major_code and r.major_code != case.type.major_code:
            continue
        if r.kind and r.kind != case.kind:
            continue
        key = (len(r.area_code), 3 if r.type_id else 2 if r.major_code else 1 if r.kind else 0)
        if best_key is None or key > best_key:
            best, best_key = r, key
    return best


def suggest_department(case: Case, rules: list[RoutingRule] | None = None) -> Suggestion:
    """`rules`: the matrix from `all_rules()` when suggesting for many cases in a row."""
    component = case.component
    if component is not None:
        for attr, basis in (
            ("maintainer_department", "component_maintainer"),
            ("owner_department", "component_owner"),
            ("competent_department", "component_competent"),
        ):
            dept = getattr(component, attr)
            if dept is not None and dept.active:
                return _suggest(dept, basis)
    rule = _rule_for(case, rules)
    if rule is not None:
        return _suggest(rule.department, "rule")
    if case.type.default_department_id and case.type.default_department.active:
        return _suggest(case.type.default_department, "type_default")
    grid = (
        UnitGrid.objects.filter(code=case.grid_code, valid_to__isnull=True)
        .select_related("responsible_department")
        .first()
    )
    if grid is not None and grid.responsible_department is not None:
        return _suggest(grid.responsible_department, "grid_responsible")
    street = Department.objects.filter(division__code=case.street_code, active=True).first()
    if street is not None:
        return _suggest(street, "territorial")
    return _suggest(None, "none")


def supervisor_for(grid_code: str) -> User | None:
    """The supervisor responsible for a grid (the first of its responsibility grid's supervisors)."""
    for rg in ResponsibilityGrid.objects.prefetch_related("supervisors").order_by("code"):
        if grid_code in rg.grid_codes:
            for user in rg.supervisors.filter(is_active=True, role_grants__role=Role.SUPERVISOR).order_by(
                "id"
            ):
                return user
    return None
