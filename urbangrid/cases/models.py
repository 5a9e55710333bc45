"""Cases (案卷), their steps and deadlines, and the working calendar the deadlines count on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkCalendar(models.Model):
    """Working hours and the rule for weekends; the days that break the rule are CalendarDay rows."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    morning_start = models.TimeField(_("morning starts"), default="08:30")
    morning_end = models.TimeField(_("morning ends"), default="12:00")
    afternoon_start = models.TimeField(_("afternoon starts"), default="13:30")
    afternoon_end = models.TimeField(_("afternoon ends"), default="17:30")
    workday_hours = models.DecimalField(
        _("working hours per working day"),
        max_digits=4,
        decimal_places=2,
        default=8,
        help_text=_("How many working hours one 工作日 limit counts as."),
    )
    weekend = models.JSONField(
        _("weekend days"), default=list, help_text=_("ISO weekday numbers, 6 = Saturday, 7 = Sunday")
    )
    warning_ratio = models.DecimalField(
        _("warning at share of the limit"), max_digits=3, decimal_places=2, default=0.8
    )
    is_default = models.BooleanField(_("default calendar"), default=False)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A statutory holiday (no work) or a make-up working day (调休, work on a weekend)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="unique_calendar_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
