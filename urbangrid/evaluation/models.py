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
