"""What the desk's pages share: who may use them, how refusals show, the picking map."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from urbangrid.accounts import permissions
from urbangrid.core.errors import PermissionDenied, ServiceError


def refused(request, exc: ServiceError):
    return render(request, "cases/refused.html", {"error": exc}, status=exc.status)


def desk_page(action: str):
    """A page for the roles holding `action`; others get the refusal page (403)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not permissions.has_action(request.user, action):
                denied = PermissionDenied("role_not_allowed", _("Your role does not allow this action."))
                return refused(request, denied)
            try:
                return view(request, *args, **kwargs)
            except ServiceError as exc:
                return refused(request, exc)

        return wrapper

    return decorate
