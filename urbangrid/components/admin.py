"""应用维护 of the component registry. Every save goes through components.services: a new
component is registered (and gets its code), a changed status needs its reason, a moved
point is relocated, new photos are attached with their digest."""

import shapely
from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department
from urbangrid.catalog.attributes import clean_attributes
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core.errors import ServiceError
from urbangrid.geo import geocoding

from . import codes, services
from .models import Component, ComponentPhoto, GeometryType, StatusChange
from .rules import today

UPDATE_FIELDS = (
    "competent_department",
    "owner_department",
    "maintainer_department",
    "initial_date",
    "data_source",
    "note",
    "attributes",
    "old_code",
)


def _may(request, action: str) -> bool:
    return permissions.has_action(request.user, action)


class ComponentForm(forms.ModelForm):
    # Not named lon/lat: those model fields are derived from the geometry by the services.
    point_lon = forms.FloatField(label=_("longitude (WGS84)"), min_value=-180, max_value=180)
    point_lat = forms.FloatField(label=_("latitude (WGS84)"), min_value=-90, max_value=90)
    status_reason = forms.CharField(
        label=_("reason for the status change"),
        max_length=200,
        required=False,
        help_text=_("Required when the status changes; kept in the status history."),
    )

    class Meta:
        model = Component
        fields = ("type", "status", *UPDATE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "type" in self.fields:
            self.fields["type"].queryset = CatalogType.objects.filter(kind=Kind.COMPONENT, active=True)
        if self.instance.pk:
            self.fields["point_lon"].initial = self.instance.lon
            self.fields["point_lat"].initial = self.instance.lat
            if self.instance.geometry_type != GeometryType.POINT:
                # Lines and polygons are moved by importing their new shape.
                for name in ("point_lon", "point_lat"):
                    self.fields[name].disabled = True
        else:
            self.fields["initial_date"].initial = today()

    def clean_old_code(self):
        old_code = (self.cleaned_data.get("old_code") or "").strip()
        if old_code and not codes.OLD_CODE_RE.match(old_code):
            raise forms.ValidationError(_("A 2013 component code has 16 digits."))
        return old_code

    def clean(self):
        data = super().clean()
        ctype = data.get("type") or (self.instance.type if self.instance.pk else None)
        if ctype is not None and isinstance(data.get("attributes"), dict):
            _cleaned, errors = clean_attributes(ctype.attribute_schema or [], data["attributes"])
            if errors:
                self.add_error("attributes", [f"{k}: {v}" for k, v in errors.items()])
        if self.instance.pk and "status" in self.changed_data and not data.get("status_reason", "").strip():
            self.add_error("status_reason", _("Say why the status changes."))
        moved = not self.instance.pk or {"point_lon", "point_lat"} & set(self.changed_data)
        if moved and data.get("point_lon") is not None and data.get("point_lat") is not None:
            try:
                geocoding.locate(data["point_lon"], data["point_lat"])
            except ServiceError as exc:
                self.add_error("point_lon", str(exc.message))
        return data


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("at", "from_status", "to_status", "reason", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-at", "-id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _may(request, "component.view")


class PhotoInline(admin.TabularInline):
    model = ComponentPhoto
    fields = ("preview", "image", "caption", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = ("preview", "sha256", "uploaded_by", "uploaded_at")
    extra = 1
    can_delete = False

    @admin.display(description=_("preview"))
    def preview(self, photo):
        if not photo.pk:
            return "—"
        return format_html(
            '<a href="{0}"><img src="{0}" alt="" style="max-height:80px"></a>', photo.image.url
        )

    def has_add_permission(self, request, obj=None):
        return obj is not None and _may(request, "component.add_photo")

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _may(request, "component.view")


class MajorClassFilter(admin.SimpleListFilter):
    title = _("major class")
    parameter_name = "major"

    def lookups(self, request, model_admin):
        rows = (
            CatalogType.objects.filter(kind=Kind.COMPONENT)
            .values_list("major_code", "major_name")
            .distinct()
            .order_by("major_code")
        )
        return [(code, f"{code} {name}") for code, name in rows]

    def queryset(self, request, queryset):
        return queryset.filter(type__major_code=self.value()) if self.value() else queryset


class DepartmentFilter(admin.SimpleListFilter):
    """Competent, owner or maintainer: a department sees everything it answers for."""

    title = _("department")
    parameter_name = "department"

    def lookups(self, request, model_admin):
        return [(d.pk, d.name) for d in Department.objects.order_by("kind", "code")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        pk = int(self.value())
        return queryset.filter(
            Q(competent_department_id=pk) | Q(owner_department_id=pk) | Q(maintainer_department_id=pk)
        )


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    form = ComponentForm
    inlines = [PhotoInline, StatusChangeInline]
    list_display = ("code", "type_name", "status", "grid_code", "competent_department", "initial_date")
    list_filter = (MajorClassFilter, "status", DepartmentFilter)
    search_fields = ("code", "old_code")
    search_help_text = _("A full 17-digit code or 16-digit 2013 code, or the start of a code.")
    list_select_related = ("type", "competent_department")
    ordering = ("code",)
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("type"), ordering="type__code")
    def type_name(self, obj):
        return f"{obj.type.code} {obj.type.name}"

    def get_fieldsets(self, request, obj=None):
        place = ("point_lon", "point_lat")
        if obj is not None:
            place = (*place, "grid_code", "street_code", "community_code")
        ident = ("type",) if obj is None else ("code", "type", "admin_code", "created_at", "updated_at")
        status = ("status",) if obj is None else ("status", "status_reason", "change_date")
        return [
            (_("Identity"), {"fields": ident}),
            (_("Place"), {"fields": place}),
            (_("Status"), {"fields": status}),
            (_("Standard attributes"), {"fields": UPDATE_FIELDS}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "code",
            "type",
            "admin_code",
            "grid_code",
            "street_code",
            "community_code",
            "change_date",
            "created_at",
            "updated_at",
        )

    def get_search_results(self, request, queryset, search_term):
        """Codes are searched on their unique indexes: an exact 17- or 16-digit code, or a
        prefix as a range, never a scan of the whole registry."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if not term.isdigit():
            return queryset.none(), False
        if len(term) == 16:
            return queryset.filter(old_code=term), False
        return queryset.filter(code__gte=term, code__lt=term + ":"), False

    def has_module_permission(self, request):
        return _may(request, "component.view")

    def has_view_permission(self, request, obj=None):
        return _may(request, "component.view")

    def has_add_permission(self, request):
        return _may(request, "component.register")

    def has_change_permission(self, request, obj=None):
        return _may(request, "component.update")

    def has_delete_permission(self, request, obj=None):
        # Codes are permanent identities: a component leaves service with status "removed".
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        point = shapely.Point(data["point_lon"], data["point_lat"])
        if not change:
            created = services.register_component(
                request.user,
                type_code=data["type"].code,
                geometry=point,
                status=data["status"],
                **{k: data[k] for k in UPDATE_FIELDS},
            )
            obj.pk, obj.code = created.pk, created.code
            return
        code = obj.code
        updates = {k: data[k] for k in form.changed_data if k in UPDATE_FIELDS}
        if updates:
            services.update_component(request.user, code, **updates)
        if {"point_lon", "point_lat"} & set(form.changed_data) and obj.geometry_type == GeometryType.POINT:
            services.relocate(request.user, code, point, _("moved in the administration console"))
        if "status" in form.changed_data:
            services.change_status(request.user, code, data["status"], data["status_reason"])

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these, which formset.save() would have set.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not ComponentPhoto:
            return
        for photo_form in formset.extra_forms:
            data = getattr(photo_form, "cleaned_data", None) or {}
            if photo_form.has_changed() and data.get("image"):
                services.add_photo(request.user, form.instance.code, data["image"], data.get("caption", ""))
