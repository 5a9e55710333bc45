from django.conf import settings

from urbangrid.accounts import permissions

# Navigation entries shown only to users whose roles allow the action behind them.
NAV_ACTIONS = {
    "field": "field.duty",
    "hotline": "hotline.desk",
    "command": "command.view",
    "evaluation": "evaluation.view",
}


def site(request):
    """Values every page template may use."""
    user = getattr(request, "user", None)
    may = {name: permissions.has_action(user, action) for name, action in NAV_ACTIONS.items()}
    return {"urbangrid": settings.URBANGRID, "may": may}
