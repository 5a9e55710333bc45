from django.contrib import admin

from urbangrid.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from .models import (
    ApprovalPolicy,
    CalendarDay,
    Case,
    CaseAction,
    CaseStep,
    Reason,
    RoutingRule,
    StepLimit,
    WorkCalendar,
)


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 1
    ordering = ["-date"]


@admin.register(WorkCalendar)
class WorkCalendarAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "code",
        "morning_start",
        "morning_end",
        "afternoon_start",
        "afternoon_end",
        "workday_hours",
        "is_default",
    )
    inlines = [CalendarDayInline]


@admin.register(StepLimit)
class StepLimitAdmin(AuditedModelAdmin):
    list_display = ("step", "minutes", "natural")


@admin.register(Reason)
class ReasonAdmin(AuditedModelAdmin):
    list_display = ("category", "code", "label", "active")
    list_filter = ("category", "active")


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedModelAdmin):
    list_display = ("area_code", "kind", "major_code", "type", "department")
    list_filter = ("kind", "major_code", "department")
    autocomplete_fields = ("type",)
    search_fields = ("area_code", "department__name")


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(AuditedModelAdmin):
    list_display = ("kind", "from_count", "approver_role")


class StepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    fields = ("step", "department", "assignee", "started_at", "due_at", "finished_at", "on_time", "outcome")
    readonly_fields = fields
    can_delete = False


class ActionInline(admin.TabularInline):
    model = CaseAction
    extra = 0
    fields = (
        "at",
        "action",
        "actor",
        "role",
        "from_state",
        "to_state",
        "department",
        "reason",
        "note",
        "audit_seq",
    )
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "type", "state", "source", "department", "step_due_at", "reported_at")
    list_filter = ("state", "source", "kind", "urgency")
    search_fields = ("number", "description", "address", "external_ref")
    date_hierarchy = "reported_at"
    inlines = [StepInline, ActionInline]
