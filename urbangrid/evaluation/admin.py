from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from urbangrid.core.admin import AuditedModelAdmin

from .models import PeriodFigures, Scheme, StepMark


@admin.register(Scheme)
class SchemeAdmin(AuditedModelAdmin):
    """Weights and grade bands are configuration: every edit is audited."""

    list_display = ["subject_kind", "weights", "note"]
    readonly_fields = ["subject_kind"]
    fieldsets = [
        (None, {"fields": ["subject_kind", "weights", "bands", "labels"]}),
        (
            _("Source"),
            {
                "fields": ["note"],
                "description": _(
                    "CJ/T 292 / GB/T 30428.4. The official weights of the disposal-department "
                    "evaluation, the weight of the area's on-time closure rate and the score curve "
                    "of the number of filed cases were not found in any source (standards.md §5, §8): "
                    "the defaults here are assumptions; set your local rules."
                ),
            },
        ),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StepMark)
class StepMarkAdmin(ReadOnlyAdmin):
    """Marks are written by the periodic job alone and never changed: read-only here."""

    list_display = ["case", "step_kind", "kind", "due_at", "basis_at", "marked_at", "audit_seqs"]
    list_filter = ["kind", "step_kind"]
    search_fields = ["case__number"]
    list_select_related = ["case"]
    raw_id_fields = ["case", "step"]


@admin.register(PeriodFigures)
class PeriodFiguresAdmin(ReadOnlyAdmin):
    """Counted by the jobs (or `urbangrid period_figures --period …` after a correction)."""

    list_display = ["start", "end", "kind", "computed_at"]
    list_filter = ["kind", "start"]
