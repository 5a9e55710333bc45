"""Who may use the field app: field supervisors (监督员) only, with a clear refusal for others."""

from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Role
from urbangrid.core.errors import NotAuthenticated, PermissionDenied


def is_supervisor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.SUPERVISOR)


def require_supervisor(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    if not user.has_role(Role.SUPERVISOR):
        raise PermissionDenied(
            "supervisors_only", _("The field app is for field supervisors only."), role=Role.SUPERVISOR
        )
