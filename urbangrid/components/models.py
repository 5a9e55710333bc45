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
        "catalog.CatalogType",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="components",
        db_index=False,  # the (type, tile_key) index below serves look-ups by type
    )
    admin_code = models.CharField(_("administrative code"), max_length=6)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INTACT)
    # The (department, tile_key) indexes below serve look-ups by department.
    competent_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("competent department"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    owner_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    maintainer_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("maintainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Area filters are range scans on grid_code (division codes are its prefixes), so the
    # street and community codes need no index of their own.
    grid_code = models.CharField(_("unit grid code"), max_length=15, db_index=True)
    street_code = models.CharField(_("street code"), max_length=9)
    community_code = models.CharField(_("community code"), max_length=12)
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
    # Indexed by component_tile_point below.
    tile_key = models.BigIntegerField(help_text="Morton key of the zoom-24 tile (geo.tiles)")
    attributes = models.JSONField(_("extension attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        # Map tiles filtered by type, status or department are range scans on these. The
        # department ones carry every column a department tile filters and sums (see
        # queries.department_parts), so clustering a tile reads the index alone; the tile-key
        # one carries the position, so "near" counts a circle from the index alone too.
        indexes = [
            models.Index(fields=["tile_key", "id", "lon", "lat"], name="component_tile_point"),
            models.Index(fields=["type", "tile_key"], name="component_type_tile"),
            models.Index(fields=["status", "tile_key"], name="component_status_tile"),
            models.Index(
                fields=["competent_department", "tile_key", "status", "type", "lon", "lat"],
                name="component_competent_map",
            ),
            models.Index(
                fields=[
                    "owner_department",
                    "tile_key",
                    "competent_department",
                    "status",
                    "type",
                    "lon",
                    "lat",
                ],
                name="component_owner_map",
            ),
            models.Index(
                fields=[
                    "maintainer_department",
                    "tile_key",
                    "competent_department",
                    "owner_department",
                    "status",
                    "type",
                    "lon",
                    "lat",
                ],
                name="component_maintainer_map",
            ),
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
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("component photo")
        verbose_name_plural = _("component photos")

    def __str__(self) -> str:
        return self.caption or self.image.name.rsplit("/", 1)[-1]


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

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


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
    """Component counts per zoom-18 cell, kept in step with the registry by the services, so
    low-zoom map tiles aggregate thousands of cells instead of millions of rows. Each cell has
    a row per type present, per major class present (a 2-digit key) and one for everything
    ("*"): a tile of everything, of a class or of a few types reads exactly the rows it sums.
    Removed components (status "removed") are not counted: they are no longer in the street.
    The coordinate sums place each cluster at the mean position of its components."""

    CELL_ZOOM = 18
    ALL = "*"

    cell = models.BigIntegerField()
    type_code = models.CharField(max_length=5, help_text="type code, 2-digit major class, or * for all")
    count = models.IntegerField(default=0)
    lon_sum = models.FloatField(default=0)
    lat_sum = models.FloatField(default=0)

    class Meta:
        # Key first: a tile's rows of one key are one range of this index.
        constraints = [models.UniqueConstraint(fields=["type_code", "cell"], name="unique_map_cell")]
