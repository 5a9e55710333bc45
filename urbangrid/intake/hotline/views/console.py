"""The call console. Incoming calls reach the open page by polling (`ringing`, every second):
a poll is one indexed query, works through every proxy and in the embedded single-process
server, and holds no worker per open console as a server-sent event stream would; a pop-up
within a second or two is what the desk needs."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urbangrid.cases.views import pick_map_config
from urbangrid.core.errors import ServiceError
from urbangrid.intake import calls
from urbangrid.intake.models import Call

from ..forms import CallReportForm, ConsultForm, InvalidCallForm, NewCallForm
from .common import desk_page

DESK = "hotline.desk"


def _to_call(call_id: str):
    return HttpResponseRedirect(reverse("hotline:call", args=[call_id]))


@desk_page(DESK)
def console(request):
    mine = Call.objects.filter(operator=request.user, outcome=Call.Outcome.PENDING).order_by("-started_at")
    return render(
        request,
        "intake/hotline/console.html",
        {
            "new_call": NewCallForm(),
            "open_calls": list(mine[:5]),
            "recent": calls.recent(request.user),
            "desk_tab": "console",
        },
    )


@desk_page(DESK)
def ringing(request):
    found = calls.ringing(request.user)
    first = found[0] if found else None
    past = calls.history(first.caller, exclude_call=first.call_id) if first else None
    return render(request, "intake/hotline/_ringing.html", {"calls": found, "first": first, "past": past})


@require_POST
@desk_page(DESK)
def new_call(request):
    form = NewCallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the caller's number."))
        return HttpResponseRedirect(reverse("hotline:console"))
    return _to_call(calls.open_call(request.user, caller=form.cleaned_data["caller"]).call_id)


@require_POST
@desk_page(DESK)
def answer(request, call_id):
    return _to_call(calls.answer(request.user, call_id).call_id)


FORMS = {"report": CallReportForm, "consult": ConsultForm, "invalid": InvalidCallForm}


def _finish(request, call: Call, do: str, form):
    d = form.cleaned_data
    if do == "report":
        case = form.submit(call.call_id)
        messages.success(request, _("Case %(number)s reported.") % {"number": case.number})
    elif do == "consult":
        calls.consult(request.user, call.call_id, question=d["question"], answer_text=d["answer"])
        messages.success(request, _("The consultation was recorded."))
    else:
        calls.invalid(request.user, call.call_id, note=d["note"])
        messages.success(request, _("The call was recorded as invalid."))
    return HttpResponseRedirect(reverse("hotline:console"))


@desk_page(DESK)
def call_page(request, call_id):
    call = calls.get_call(request.user, call_id)
    do = request.POST.get("do", "report") if request.method == "POST" else "report"
    if do not in FORMS:
        do = "report"
    forms = {
        "report": CallReportForm(user=request.user),
        "consult": ConsultForm(),
        "invalid": InvalidCallForm(),
    }
    error, status = None, 200
    if request.method == "POST":
        if do == "report":
            forms[do] = CallReportForm(request.POST, request.FILES, user=request.user)
        else:
            forms[do] = FORMS[do](request.POST)
        if forms[do].is_valid():
            try:
                return _finish(request, call, do, forms[do])
            except ServiceError as exc:
                error, status = exc, exc.status
        else:
            status = 422
    context = {
        "call": call,
        "mine": call.operator_id == request.user.pk,
        "open": call.outcome == Call.Outcome.PENDING,
        "past": calls.history(call.caller, exclude_call=call.call_id),
        "forms": forms,
        "tab": do,
        "error": error,
        "map_config": pick_map_config(),
        "desk_tab": "console",
    }
    return render(request, "intake/hotline/call.html", context, status=status)
