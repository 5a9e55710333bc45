"""Evaluation schemes (考核方案): weights per subject kind and grade bands, as data an
administrator can edit (CJ/T 292 / GB/T 30428.4, see standards.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    class SubjectKind(models.TextChoices):
        DEPARTMENT = "department", _("Disposal department")
        STREET = "street", _("Street")
        COMMUNITY = "community", _("Community")
        SUPERVISOR = "supervisor", _("Field supervisor")
        INTAKE = "intake", _("Intake operator")
        SHIFT_LEADER = "shift_leader", _("Shift leader")
        DISPATCHER = "dispatcher", _("Dispatcher")

    subject_kind = models.CharField(
        _("subject kind"), max_length=16, choices=SubjectKind.choices, unique=True
    )
    weights = models.JSONField(
        _("weights"),
        default=dict,
        help_text=_(
            "Indicator name → relative weight. The score is the weighted mean of the indicator "
            "scores; an indicator with weight 0 is shown but not scored."
        ),
    )
    bands = models.JSONField(
        _("grade bands"),
        default=list,
        help_text=_('List of [grade, lowest score], highest first, e.g. [["A", 90], ["B", 75], …].'),
    )
    labels = models.JSONField(
        _("grade labels"), default=dict, help_text=_('Grade → local label, e.g. {"A": "优"}.')
    )
    note = models.TextField(
        _("note on the source"),
        blank=True,
        help_text=_("Where the weights come from, and which of them the standard leaves open."),
    )

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["subject_kind"]

    def __str__(self) -> str:
        return str(self.get_subject_kind_display())


class ImmutableMarkError(Exception):
    pass


class MarkQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableMarkError("step marks are never rewritten")

    def delete(self):
        raise ImmutableMarkError("step marks are never deleted")


class StepMark(models.Model):
    """The verdict on one timed step of a case (CJ/T 292's 按时/超时/返工 marks), written once by the
    periodic job (`marks.mark_due`) when the verdict is settled, and never changed: the figures
    of a past month do not move when the case moves on. `audit_seqs` are the audit records the
    mark derives from (the step's opening, and its finish or the rework that followed it), so
    `urbangrid marks --verify` can derive every mark again from the audit trail."""

    class Kind(models.TextChoices):
        ON_TIME = "on_time", _("On time")  # 按时
        OVERDUE = "overdue", _("Overdue")  # 超时: the limit expired before the step was done
        REWORKED = "reworked", _("Reworked")  # 返工: a later disposal of the case followed this one
        VOID = "void", _("Not the holder's task")  # returned, cancelled or merged in time

    step = models.ForeignKey(
        "cases.CaseStep", on_delete=models.CASCADE, related_name="marks", verbose_name=_("step")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    step_kind = models.CharField(_("kind of step"), max_length=16)
    kind = models.CharField(_("mark"), max_length=16, choices=Kind.choices)
    due_at = models.DateTimeField(_("deadline"))
    basis_at = models.DateTimeField(_("settled at"), db_index=True)
    marked_at = models.DateTimeField(_("marked at"))
    audit_seqs = models.JSONField(_("audit records"), default=list)

    objects = MarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("step mark")
        verbose_name_plural = _("step marks")
        ordering = ["basis_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "kind"], name="one_mark_of_a_kind_per_step"),
            models.UniqueConstraint(
                fields=["step"],
                condition=models.Q(kind__in=["on_time", "overdue", "void"]),
                name="one_verdict_per_step",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.step_kind}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableMarkError("step marks are never rewritten")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableMarkError("step marks are never deleted")


class PeriodFigures(models.Model):
    """A closed month's, quarter's or year's indicators of every subject of one kind (月结, 季度
    and 年度考核), stored by the jobs once the period is over and refreshed while late records
    settle, so that the ranking, its comparison and the six-month trends read them instead of
    recounting a megacity on every request. Other periods are always counted live."""

    kind = models.CharField(_("subject kind"), max_length=16, choices=Scheme.SubjectKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("day after the last"))
    values = models.JSONField(_("indicators"), help_text=_("Subject key → indicator → value."))
    computed_at = models.DateTimeField(_("computed at"))
    version = models.CharField(_("counting"), max_length=32, help_text=_("Of the code that counted them."))

    class Meta:
        verbose_name = _("period's figures")
        verbose_name_plural = _("periods' figures")
        ordering = ["-start", "end", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "start", "end"], name="unique_period_figures")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.get_kind_display()}"
