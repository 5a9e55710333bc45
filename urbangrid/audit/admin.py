from django.contrib import admin

from urbangrid.core.admin import ReadOnlyAdmin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "seq",
        "at",
        "actor_name",
        "role",
        "action",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
    )
    list_filter = ("action", "target_type", "role")
    search_fields = ("target_id", "actor_name", "action")
    date_hierarchy = "at"
