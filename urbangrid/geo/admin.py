"""应用维护 of the geographic base data. Geometries are read-only here (they change by import,
with the full dry-run checks); the attributes that may be edited go through geo.services, so
every change is checked, versioned and audited exactly as through an import or the API."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.core.errors import ServiceError

from . import services
from .features import aliases as split_aliases
from .models import Division, Place, ResponsibilityGrid, Road, UnitGrid

PREVIEW_PX = 240


def _may_edit(request) -> bool:
    return permissions.has_action(request.user, "geo.edit")


def geometry_preview(geom) -> str:
    """A small SVG drawing of a WGS84 geometry, north up."""
    min_x, min_y, max_x, max_y = geom.bounds
    span = max(max_x - min_x, max_y - min_y) or 1e-6
    pad = span * 0.05
    box = f"{min_x - pad} {-max_y - pad} {span + 2 * pad} {span + 2 * pad}"
    # SVG's y axis points down: mirror latitudes (the view box uses -lat).
    shape = geom.svg(scale_factor=span / 100)
    return format_html(
        '<svg width="{}" height="{}" viewBox="{}" style="background:#f5f7fa;border:1px solid #d9e2ec">'
        '<g transform="scale(1,-1)">{}</g></svg>',
        PREVIEW_PX,
        PREVIEW_PX,
        box,
        mark_safe(shape),  # shapely writes it from numbers only: nothing to escape
    )


class GeometryPreviewMixin:
    @admin.display(description=_("geometry"))
    def geometry_drawing(self, obj):
        return geometry_preview(obj.geometry) if obj and obj.pk else "-"

    @admin.display(description=_("bounds (WGS84)"))
    def bounds(self, obj):
        return f"{obj.min_lon:.6f}, {obj.min_lat:.6f} — {obj.max_lon:.6f}, {obj.max_lat:.6f}"


class ServiceSavingAdmin(admin.ModelAdmin):
    """Rows are created by imports and never deleted here; edits call a service."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return _may_edit(request)


@admin.register(Division)
class DivisionAdmin(GeometryPreviewMixin, ServiceSavingAdmin):
    list_display = ("code", "name", "level", "parent", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "area_m2", "bounds", "geometry_drawing")
    readonly_fields = ("code", "level", "parent", "area_m2", "bounds", "geometry_drawing")
    list_select_related = ("parent",)

    @admin.display(description=_("area (km²)"), ordering="area_m2")
    def area_km2(self, obj):
        return f"{obj.area_m2 / 1e6:.3f}"

    def save_model(self, request, obj, form, change):
        services.rename_division(request.user, obj.code, form.cleaned_data["name"])


class CurrentFilter(admin.SimpleListFilter):
    title = _("version")
    parameter_name = "version"

    def lookups(self, request, model_admin):
        return [("current", _("current")), ("history", _("history"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "history":
            return queryset.filter(valid_to__isnull=False)
        return queryset


class DivisionLevelFilter(admin.SimpleListFilter):
    """Streets or communities by name, only those that have grids."""

    level = Division.Level.STREET
    field = "street"

    def lookups(self, request, model_admin):
        return [
            (d.pk, f"{d.name} ({d.code})") for d in Division.objects.filter(level=self.level).order_by("code")
        ]

    def queryset(self, request, queryset):
        return queryset.filter(**{f"{self.field}_id": self.value()}) if self.value() else queryset


class StreetFilter(DivisionLevelFilter):
    title = _("street / town")
    parameter_name = "street"


class CommunityFilter(DivisionLevelFilter):
    title = _("community / village")
    parameter_name = "community"
    level = Division.Level.COMMUNITY
    field = "community"


@admin.register(UnitGrid)
class UnitGridAdmin(GeometryPreviewMixin, ServiceSavingAdmin):
    list_display = (
        "code",
        "community",
        "street",
        "land_use",
        "management_level",
        "responsible_department",
        "area_m2_rounded",
        "valid_from",
        "valid_to",
    )
    list_filter = (CurrentFilter, StreetFilter, CommunityFilter, "land_use", "management_level")
    search_fields = ("code",)
    list_select_related = ("community", "street", "responsible_department")
    fields = (
        "code",
        "community",
        "street",
        "district",
        "land_use",
        "management_level",
        "responsible_department",
        "area_m2",
        "valid_from",
        "valid_to",
        "bounds",
        "geometry_drawing",
    )
    readonly_fields = (
        "code",
        "community",
        "street",
        "district",
        "area_m2",
        "valid_from",
        "valid_to",
        "bounds",
        "geometry_drawing",
    )

    @admin.display(description=_("area (m²)"), ordering="area_m2")
    def area_m2_rounded(self, obj):
        return f"{obj.area_m2:,.0f}"

    def has_change_permission(self, request, obj=None):
        # A closed version is history: it is never edited.
        return _may_edit(request) and (obj is None or obj.valid_to is None)

    def save_model(self, request, obj, form, change):
        new = services.update_grid(
            request.user,
            obj.code,
            land_use=form.cleaned_data["land_use"],
            management_level=form.cleaned_data["management_level"],
            responsible_department=form.cleaned_data["responsible_department"],
        )
        # The edit opened a new version; "save and continue" must land on it.
        obj.pk = new.pk


class AliasesField(forms.CharField):
    """Aliases as one line of text separated by 、 or commas."""

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return split_aliases(super().to_python(value))


class RoadForm(forms.ModelForm):
    aliases = AliasesField(
        label=_("aliases"), required=False, help_text=_("Separate them with 、 or commas.")
    )

    class Meta:
        model = Road
        fields = ("name", "kind", "aliases")


@admin.register(Road)
class RoadAdmin(GeometryPreviewMixin, ServiceSavingAdmin):
    form = RoadForm
    list_display = ("name", "kind", "alias_list")
    list_filter = ("kind",)
    search_fields = ("name",)
    fields = ("name", "kind", "aliases", "bounds", "geometry_drawing")
    readonly_fields = ("bounds", "geometry_drawing")

    @admin.display(description=_("aliases"))
    def alias_list(self, obj):
        return "、".join(obj.aliases)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.update_road(
            request.user, obj.pk, name=data["name"], kind=data["kind"], aliases=data["aliases"]
        )


class PlaceForm(forms.ModelForm):
    aliases = AliasesField(
        label=_("aliases"), required=False, help_text=_("Separate them with 、 or commas.")
    )

    class Meta:
        model = Place
        fields = ("name", "aliases")


@admin.register(Place)
class PlaceAdmin(ServiceSavingAdmin):
    form = PlaceForm
    list_display = ("name", "kind", "road", "number", "lon", "lat")
    list_filter = ("kind",)
    search_fields = ("name", "road__name")
    list_select_related = ("road",)
    fields = ("kind", "name", "road", "number", "aliases", "lon", "lat")
    readonly_fields = ("kind", "road", "number", "lon", "lat")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.update_place(request.user, obj.pk, name=data["name"], aliases=data["aliases"])


class GridCodesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [c for c in text.replace(",", " ").replace("，", " ").split() if c]


class ResponsibilityGridForm(forms.ModelForm):
    grid_codes = GridCodesField(
        label=_("unit grid codes"),
        help_text=_("One 15-digit unit grid code per line (or separated by spaces)."),
    )

    class Meta:
        model = ResponsibilityGrid
        fields = ("code", "name", "grid_codes", "supervisors")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = (
            self.fields["supervisors"].queryset.filter(role_grants__role=Role.SUPERVISOR).distinct()
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_responsibility_grid(
                self.actor,
                code=data.get("code") or self.instance.code,
                name=data["name"],
                grid_codes=data["grid_codes"],
                supervisors=list(data["supervisors"]),
            )
        except ServiceError as exc:
            raise ValidationError(str(exc.message)) from exc
        return data


@admin.register(ResponsibilityGrid)
class ResponsibilityGridAdmin(admin.ModelAdmin):
    form = ResponsibilityGridForm
    list_display = ("code", "name", "grid_count", "supervisor_names")
    search_fields = ("code", "name")
    filter_horizontal = ("supervisors",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return _may_edit(request)

    def has_change_permission(self, request, obj=None):
        return _may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return _may_edit(request)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("supervisors")

    @admin.display(description=_("unit grids"))
    def grid_count(self, obj):
        return len(obj.grid_codes)

    @admin.display(description=_("supervisors"))
    def supervisor_names(self, obj):
        return "、".join(str(u) for u in obj.supervisors.all())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.save_responsibility_grid(
            request.user,
            code=obj.code,
            name=data["name"],
            grid_codes=data["grid_codes"],
            supervisors=list(data["supervisors"]),
        )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The service has set the supervisors already."""

    def delete_model(self, request, obj):
        services.delete_responsibility_grid(request.user, obj.code)

    def delete_queryset(self, request, queryset):
        for rg in queryset:
            services.delete_responsibility_grid(request.user, rg.code)
