"""应用维护 of the catalogue. Saving goes through catalog.services, so every change is checked
and audited exactly as through the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.core.errors import ServiceError

from . import services
from .attributes import validate_schema
from .models import CatalogType, TimeLimit

DEFAULTS_NOTE = _(
    "The shipped time limits, filing and closing conditions and extension attributes are "
    "documented defaults (sources in catalog/fixtures/README.md), not standard text: check them "
    "against local rules before go-live."
)
STANDARD_FIELDS = ("kind", "code", "name", "major_code", "major_name", "typical_department", "code_2013")


def _may_edit(request) -> bool:
    return permissions.has_action(request.user, "catalog.edit")


def _as_validation_error(exc: ServiceError) -> ValidationError:
    details = exc.detail.get("errors")
    if isinstance(details, dict):
        return ValidationError([f"{k}: {v}" for k, v in details.items()])
    if isinstance(details, list):
        return ValidationError([str(d) for d in details])
    return ValidationError(str(exc.message))


class TimeLimitFormSet(forms.BaseInlineFormSet):
    def limits(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("value") is None:
                continue
            rows.append({k: data[k] for k in ("urgency", "stage", "stage_name", "value", "unit")})
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            services.validate_limits(self.limits())
        except ServiceError as exc:
            raise _as_validation_error(exc) from exc


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    formset = TimeLimitFormSet
    fields = ("urgency", "stage", "stage_name", "value", "unit")
    extra = 1
    verbose_name_plural = _("disposal time limits (documented defaults: check against local rules)")

    def has_add_permission(self, request, obj=None):
        return _may_edit(request)

    def has_change_permission(self, request, obj=None):
        return _may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return _may_edit(request)

    def has_view_permission(self, request, obj=None):
        return _may_edit(request)


class CatalogTypeForm(forms.ModelForm):
    class Meta:
        model = CatalogType
        fields = (
            "kind",
            "code",
            "name",
            "major_code",
            "major_name",
            "default_department",
            "filing_condition",
            "closing_condition",
            "attribute_schema",
            "duplicate_radius_m",
            "duplicate_window_hours",
            "active",
        )
        help_texts = {
            "filing_condition": DEFAULTS_NOTE,
            "closing_condition": DEFAULTS_NOTE,
        }

    def clean_attribute_schema(self):
        schema = self.cleaned_data.get("attribute_schema") or []
        try:
            return validate_schema(schema)
        except ServiceError as exc:
            raise _as_validation_error(exc) from exc

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            code, major = str(data.get("code") or ""), str(data.get("major_code") or "")
            if len(code) != 5 or not code.isdigit() or code[:2] != major or code[2] != "9":
                raise ValidationError(
                    _(
                        "A local type needs a 5-digit code: its 2-digit major class, then a minor code 900–999."
                    )
                )
        return data


class MajorClassFilter(admin.SimpleListFilter):
    title = _("major class")
    parameter_name = "major"

    def lookups(self, request, model_admin):
        rows = CatalogType.objects.values_list("major_code", "major_name").distinct().order_by("major_code")
        seen = {}
        for code, name in rows:
            seen.setdefault(code, name)
        return list(seen.items())

    def queryset(self, request, queryset):
        return queryset.filter(major_code=self.value()) if self.value() else queryset


@admin.register(CatalogType)
class CatalogTypeAdmin(admin.ModelAdmin):
    form = CatalogTypeForm
    inlines = [TimeLimitInline]
    list_display = (
        "code",
        "name",
        "kind",
        "major_name",
        "default_department",
        "is_local_extension",
        "active",
    )
    list_filter = ("kind", MajorClassFilter, "is_local_extension", "active")
    search_fields = ("code", "name")
    list_select_related = ("default_department",)
    list_per_page = 50
    ordering = ("kind", "code")

    def get_fieldsets(self, request, obj=None):
        rules = (
            "default_department",
            "filing_condition",
            "closing_condition",
            "attribute_schema",
            "duplicate_radius_m",
            "duplicate_window_hours",
            "active",
        )
        if obj is None:
            ident = ("kind", "code", "name", "major_code", "major_name")
        else:
            ident = (*STANDARD_FIELDS, "is_local_extension")
        return [
            (_("Type"), {"fields": ident}),
            (_("Rules of this county"), {"fields": rules, "description": DEFAULTS_NOTE}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = (*STANDARD_FIELDS, "is_local_extension")
        if obj.is_local_extension:
            return tuple(f for f in fixed if f != "name")
        return fixed

    def has_module_permission(self, request):
        return _may_edit(request)

    def has_view_permission(self, request, obj=None):
        return _may_edit(request)

    def has_change_permission(self, request, obj=None):
        return _may_edit(request)

    def has_add_permission(self, request):
        return _may_edit(request)

    def has_delete_permission(self, request, obj=None):
        # Types are retired with "active", never deleted: cases and components refer to them.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            editable = services.LOCAL_EDITABLE if obj.is_local_extension else services.EDITABLE
            fields = {k: data[k] for k in form.changed_data if k in editable}
            saved = services.update_type(request.user, obj.kind, obj.code, **fields)
        else:
            rules = {k: data[k] for k in services.EDITABLE if k in data}
            saved = services.add_local_type(
                request.user,
                data["kind"],
                data["code"],
                data["name"],
                data["major_code"],
                major_name=data.get("major_name", ""),
                **rules,
            )
        obj.pk = saved.pk
        obj.is_local_extension = saved.is_local_extension

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these, which formset.save() would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        obj = form.instance
        if isinstance(formset, TimeLimitFormSet) and formset.has_changed():
            services.set_time_limits(request.user, obj.kind, obj.code, formset.limits())
