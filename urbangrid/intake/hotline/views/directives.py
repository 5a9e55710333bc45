"""Directives from above and leaders' instructions: the list on its own clock, the form that
records one with its case, and the reply once the case is closed."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from urbangrid.cases.views import pick_map_config
from urbangrid.core.errors import ServiceError
from urbangrid.intake import directives

from ..forms import DirectiveForm, ReplyForm
from .common import desk_page

ACTION = "intake.directive"
SHOW = ("open", "replied", "all")


def duration_text(delta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)d min") % {"minutes": mins}


@desk_page(ACTION)
def directive_list(request):
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "open"
    rows = directives.listing(request.user, show=show)
    for r in rows:
        r.left_text = duration_text(r.left) if r.left is not None else ""
    return render(
        request,
        "intake/hotline/directives.html",
        {"rows": rows, "show": show, "overdue": sum(r.overdue for r in rows), "desk_tab": "directives"},
    )


@desk_page(ACTION)
def directive_new(request):
    form = DirectiveForm(request.POST or None, request.FILES or None, user=request.user)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                directive = form.submit()
            except ServiceError as exc:
                error, status = exc, exc.status
            else:
                messages.success(
                    request,
                    _("Directive %(document)s recorded as case %(number)s.")
                    % {"document": directive.document_number, "number": directive.case.number},
                )
                return HttpResponseRedirect(reverse("hotline:directives"))
        else:
            status = 422
    context = {"form": form, "error": error, "map_config": pick_map_config(), "desk_tab": "directives"}
    return render(request, "intake/hotline/directive_new.html", context, status=status)


@require_POST
@desk_page(ACTION)
def directive_reply(request, pk):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reply."))
    else:
        try:
            directives.reply(request.user, pk, text=form.cleaned_data["reply"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The reply was recorded as sent."))
    return HttpResponseRedirect(reverse("hotline:directives"))
