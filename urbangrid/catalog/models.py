"""The standard classification of components (管理部件) and matters (管理事项), GB/T 47678.5-2026,
with the per-type rules a city configures: responsible department, 立案条件, 处置时限, 结案条件."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPONENT = "component", _("Component")
    MATTER = "matter", _("Matter")


class CatalogType(models.Model):
    """One row of the catalogue. Component and matter codes overlap (01001 is both 供水井盖 and
    供水井盖异常), so the key is (kind, code)."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=5, help_text=_("2-digit major class + 3-digit minor class"))
    name = models.CharField(_("name"), max_length=50)
    major_code = models.CharField(_("major class code"), max_length=2)
    major_name = models.CharField(_("major class"), max_length=30)
    code_2013 = models.CharField(
        _("2013 code"),
        max_length=8,
        blank=True,
        help_text=_("GB/T 30428.2-2013 / CJ/T 214 code, where known"),
    )
    typical_department = models.CharField(
        _("suggested department"),
        max_length=50,
        blank=True,
        help_text=_("Suggestion shipped with the catalogue"),
    )
    default_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("default responsible department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_for_types",
    )
    filing_condition = models.TextField(_("filing condition (立案条件)"), blank=True)
    closing_condition = models.TextField(_("closing condition (结案条件)"), blank=True)
    is_local_extension = models.BooleanField(
        _("local extension"), default=False, help_text=_("Local types use minor codes 9xx")
    )
    attribute_schema = models.JSONField(
        _("extension attribute schema"),
        default=list,
        blank=True,
        help_text=_(
            'Component types only: [{"name": "material", "label": "材质", "type": "string|integer|number|boolean|date|choice", "required": false, "choices": []}]'
        ),
    )
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate search radius (m)"), default=50)
    duplicate_window_hours = models.PositiveIntegerField(_("duplicate search window (hours)"), default=72)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue type")
        verbose_name_plural = _("catalogue types")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_type_per_kind")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TimeLimit(models.Model):
    """处置时限 of a type: one row per stage (私搭乱建: 停工 → 处罚 → 拆除) and urgency."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    class Unit(models.TextChoices):
        WORK_HOURS = "work_hours", _("working hours")
        WORK_DAYS = "work_days", _("working days")
        NATURAL_HOURS = "natural_hours", _("natural hours")

    type = models.ForeignKey(CatalogType, on_delete=models.CASCADE, related_name="time_limits")
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    stage_name = models.CharField(_("stage name"), max_length=30, blank=True)
    value = models.DecimalField(_("limit"), max_digits=7, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.WORK_HOURS)

    class Meta:
        verbose_name = _("disposal time limit")
        verbose_name_plural = _("disposal time limits")
        ordering = ["type", "urgency", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["type", "urgency", "stage"], name="unique_limit_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.stage_name or self.stage}: {self.value} {self.get_unit_display()}"
