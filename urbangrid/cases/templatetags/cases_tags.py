"""What the case screens print: Chinese labels for the workflow's codes, Shanghai times, the time
left on a step as its calendar counts it, and the unread-notification badge."""

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from urbangrid.accounts.models import Role
from urbangrid.catalog.models import TimeLimit
from urbangrid.notify.models import Notification

from ..forms import ACTION_LABELS
from ..models import CasePhoto, Light, Source, State, Step, Urgency

register = template.Library()

CHOICES = {
    "state": State,
    "source": Source,
    "step": Step,
    "role": Role,
    "urgency": Urgency,
    "unit": TimeLimit.Unit,
    "stage": CasePhoto.Stage,
}


@register.filter
def label(value, kind: str):
    """`{{ case.state|label:"state" }}` → 待派遣; unknown codes are shown as they are."""
    if kind == "action":
        return ACTION_LABELS.get(value, value)
    if kind == "role" and value == "system":
        return _("System")
    try:
        return CHOICES[kind](value).label
    except ValueError:
        return value


@register.filter
def limit_text(step) -> str:
    """A step's limit as people say it: 10 分钟, 1 工作时, 5 工作日, 2 小时."""
    value, unit = Decimal(step.limit_value), step.limit_unit
    if unit != TimeLimit.Unit.WORK_DAYS and value < 1:
        return _("%(m)d min") % {"m": round(value * 60)}
    number = format(value.normalize(), "f")
    return f"{number} {TimeLimit.Unit(unit).label}"


@register.filter
def light_label(value):
    return {
        Light.GREEN: _("Green light"),
        Light.YELLOW: _("Yellow light"),
        Light.RED: _("Red light"),
    }.get(value, "")


@register.filter
def local(value, fmt: str = "Y-m-d H:i"):
    """A datetime or an ISO string from the presenters, in Shanghai time."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return dateformat.format(timezone.localtime(value), fmt)


def _span(seconds: float, working: bool) -> str:
    minutes = int(abs(seconds) // 60)
    hours, minutes = divmod(minutes, 60)
    if working:
        return (
            _("%(h)d wh %(m)02d min") % {"h": hours, "m": minutes}
            if hours
            else _("%(m)d min") % {"m": minutes}
        )
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes} if hours else _("%(m)d min") % {"m": minutes}


@register.filter
def time_left(left) -> str:
    """`left` is (seconds, unit) of the open step: working time for 工作时/工作日 limits,
    wall-clock time for natural hours. Negative seconds are time overdue."""
    if not left:
        return ""
    seconds, unit = left
    if -60 < seconds < 0:
        return _("Overdue")
    span = _span(seconds, unit != TimeLimit.Unit.NATURAL_HOURS)
    return _("%(span)s left") % {"span": span} if seconds >= 0 else _("%(span)s overdue") % {"span": span}


@register.inclusion_tag("cases/_badge.html", takes_context=True)
def notification_badge(context):
    user = context["request"].user
    unread = (
        Notification.objects.filter(user=user, read_at__isnull=True).count() if user.is_authenticated else 0
    )
    return {"unread": unread, "user": user}
