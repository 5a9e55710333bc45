"""The component registry (城市部件): every public facility with its 17-digit identifier
(6-digit admin code + 5-digit type + 6-digit serial, GB/T 47678.5-2026) and the 18 standard
attributes of its Table 2."""

import shapely
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.geo.models import GeometryMixin


class Status(models.TextChoices):
    INTACT = "intact", _("Intact")  # 完好
    DAMAGED = "damaged", _("Damaged")  # 破损
    LOST = "lost", _("Lost")  # 丢失
    ABANDONED = "abandoned", _("Abandoned")  # 废弃
    REMOVED = "removed", _("Removed")  # 移除
    OCCUPIED = "occupied", _("Occupied")  # 占用 (local practice)


class DataSource(models.TextChoices):
    SURVEY = "survey", _("Field survey")  # 实测
    TOPOGRAPHIC = "topographic", _("Topographic map")  # 地形图
    BASE_GIS = "base_gis", _("Basic geographic data")  # 基础地理数据
    OTHER = "other", _("Other")  # 其他


class GeometryType(models.TextChoices):
    POINT = "point", _("Point")
    LINE = "line", _("Line")
    POLYGON = "polygon", _("Polygon")


class Component(GeometryMixin):
    code = models.CharField(_("component code"), max_length=17, unique=True)
    old_code = models.CharField(_("2013 component code"), max_length=16, blank=True, db_index=True)
    type = models.ForeignKey(
        "catalog.CatalogType", verbose_name=_("type"), on_delete=models.PROTECT, related_name="components"
    )
    admin_code = models.CharField(_("administrative code"), max_length=6)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INTACT)
    competent_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("competent department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    maintainer_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("maintainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    grid_code = models.CharField(_("unit grid code"), max_length=15, db_index=True)
    street_code = models.CharField(_("street code"), max_length=9, db_index=True)
    community_code = models.CharField(_("community code"), max_length=12, db_index=True)
    initial_date = models.DateField(_("initial date"))
    change_date = models.DateField(_("change date"), null=True, blank=True)
    data_source = models.CharField(
        _("data source"), max_length=16, choices=DataSource.choices, default=DataSource.SURVEY
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    geometry_type = models.CharField(
        _("geometry type"), max_length=8, choices=GeometryType.choices, default=GeometryType.POINT
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    tile_key = models.BigIntegerField(db_index=True, help_text="Morton key of the zoom-24 tile (geo.tiles)")
    attributes = models.JSONField(_("extension attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        indexes = [
            models.Index(fields=["type", "status"]),
            models.Index(fields=["competent_department", "status"]),
            models.Index(fields=["maintainer_department"]),
        ]

    def __str__(self) -> str:
        return self.code

    def set_geometry(self, geom: shapely.Geometry) -> None:
        super().set_geometry(geom)
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        self.lon, self.lat = point.x, point.y


class ComponentPhoto(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="components/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("component photo")
        verbose_name_plural = _("component photos")


class StatusChange(models.Model):
    """Every change of a component's status: who, when, why."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["component", "at", "id"]


class SerialCounter(models.Model):
    """The last serial handed out per (admin code, type code). Serials are never reused, even
    after a component is removed, because the code is a permanent identity."""

    admin_code = models.CharField(max_length=6)
    type_code = models.CharField(max_length=5)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["admin_code", "type_code"], name="unique_serial_counter")
        ]


class MapCell(models.Model):
    """Component counts per zoom-18 cell and major class, kept in step with the registry by the
    services, so low-zoom map tiles aggregate thousands of cells instead of millions of rows."""

    CELL_ZOOM = 18

    cell = models.BigIntegerField()
    major_code = models.CharField(max_length=2)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cell", "major_code"], name="unique_map_cell")]
