"""Departments and users in the maintenance console (应用维护); every edit is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from urbangrid.core.admin import AuditedModelAdmin

from .models import Department, RoleGrant, User


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "parent", "uscc", "phone", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "uscc")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("service_areas",)
    raw_id_fields = ("division",)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1
    verbose_name_plural = _("roles")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "department", "phone", "is_active")
    list_filter = ("is_active", "role_grants__role", "department__kind")
    search_fields = ("username", "full_name", "phone")
    autocomplete_fields = ("department",)
    filter_horizontal = ("areas",)
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "department", "areas")}),
        (_("Access"), {"fields": ("is_active", "is_staff")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),)
