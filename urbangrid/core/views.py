from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from urbangrid.accounts import permissions


@login_required
def home(request):
    return render(
        request, "core/home.html", {"may_report": permissions.has_action(request.user, "case.report")}
    )
