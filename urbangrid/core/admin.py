from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import configuration

admin.site.site_header = _("UrbanGrid maintenance console")
admin.site.site_title = _("Maintenance console")
admin.site.index_title = _("Application maintenance")


class AuditedModelAdmin(admin.ModelAdmin):
    """Saves and deletes configuration rows through `core.configuration`, so each edit is
    permission-checked and audited like any other change."""

    def save_model(self, request, obj, form, change):
        configuration.save_row(request.user, obj, form.changed_data if change else ())

    def delete_model(self, request, obj):
        configuration.delete_row(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            configuration.delete_row(request.user, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            configuration.delete_row(request.user, obj)
        for obj in instances:
            configuration.save_row(request.user, obj, ())
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only the workflow writes: visible in the console, never edited there."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
