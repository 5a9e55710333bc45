"""Follow-up calls (回访) after closing: the list of calls due and the result of each
(urbangrid.intake.followup does the work; unsatisfied reopens the case)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urbangrid.core import clock
from urbangrid.core.errors import ServiceError
from urbangrid.intake import followup

from ..forms import FollowUpForm
from .common import desk_page

ACTION = "followup.call"


@desk_page(ACTION)
def follow_up_list(request):
    rows = followup.due_list(request.user)
    only_due = request.GET.get("show") != "upcoming"
    now = clock.now()
    if only_due:
        rows = rows.filter(due_at__lte=now)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    form = FollowUpForm(auto_id=False)  # one form a row: no ids to repeat
    context = {"page": page, "only_due": only_due, "now": now, "form": form, "desk_tab": "follow_ups"}
    return render(request, "intake/hotline/follow_ups.html", context)


@require_POST
@desk_page(ACTION)
def follow_up_record(request, pk):
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the result of the call."))
    else:
        try:
            row = followup.record(request.user, pk, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Follow-up of case %(number)s recorded: %(result)s.")
                % {"number": row.case.number, "result": row.get_result_display()},
            )
    return HttpResponseRedirect(reverse("hotline:follow_ups"))
