"""Divisions (区县/街道/社区), unit grids (单元网格), responsibility grids (责任网格) and the
gazetteer of roads, door plates and landmarks.

Geometries are WGS84 and stored as WKB in plain binary columns, with a bounding box in
indexed float columns, so the same code runs on SQLite and PostgreSQL without extensions.
"""

import shapely
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GeometryMixin(models.Model):
    geom_wkb = models.BinaryField(_("geometry (WKB, WGS84)"))
    min_lon = models.FloatField(db_index=True)
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        abstract = True

    @property
    def geometry(self) -> shapely.Geometry:
        cached = self.__dict__.get("_geometry")
        if cached is None:
            cached = shapely.from_wkb(bytes(self.geom_wkb))
            self.__dict__["_geometry"] = cached
        return cached

    def set_geometry(self, geom: shapely.Geometry) -> None:
        self.geom_wkb = shapely.to_wkb(geom)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geom.bounds
        self.__dict__["_geometry"] = geom


class Division(GeometryMixin):
    """An administrative division: 区县 (6-digit GB/T 2260 code), 街道/乡镇 (9), 社区/村 (12)."""

    class Level(models.IntegerChoices):
        DISTRICT = 1, _("District / county")
        STREET = 2, _("Street / town")
        COMMUNITY = 3, _("Community / village")

    CODE_LENGTH = {Level.DISTRICT: 6, Level.STREET: 9, Level.COMMUNITY: 12}

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area_m2 = models.FloatField(_("area (m²)"), default=0)

    class Meta:
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitGrid(GeometryMixin):
    """A 万米单元网格. Re-drawing a grid closes the old row (valid_to) and opens a new one, so
    history is never overwritten; at most one row per code is current."""

    class LandUse(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("Commercial")
        PUBLIC = "public", _("Public facilities")
        INDUSTRIAL = "industrial", _("Industrial")
        ROAD = "road", _("Roads and squares")
        GREEN = "green", _("Green space")
        WATER = "water", _("Water")
        OTHER = "other", _("Other")

    class ManagementLevel(models.TextChoices):
        KEY = "key", _("Key area")
        ORDINARY = "ordinary", _("Ordinary area")
        GENERAL = "general", _("General area")

    code = models.CharField(_("grid code"), max_length=15, db_index=True)
    community = models.ForeignKey(
        Division, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grids"
    )
    street = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="+")
    area_m2 = models.FloatField(_("area (m²)"))
    centroid_lon = models.FloatField()
    centroid_lat = models.FloatField()
    land_use = models.CharField(
        _("land-use class"), max_length=16, choices=LandUse.choices, default=LandUse.OTHER
    )
    management_level = models.CharField(
        _("management level"),
        max_length=16,
        choices=ManagementLevel.choices,
        default=ManagementLevel.ORDINARY,
    )
    responsible_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_grids",
        help_text=_("Empty: the street governing the grid is responsible (territorial fallback)."),
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit grid")
        verbose_name_plural = _("unit grids")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="one_current_grid_per_code"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ResponsibilityGrid(models.Model):
    """A named set of unit grids assigned to field supervisors (责任网格)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    grid_codes = models.JSONField(_("unit grid codes"), default=list)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisors"),
        blank=True,
        related_name="responsibility_grids",
    )

    class Meta:
        verbose_name = _("responsibility grid")
        verbose_name_plural = _("responsibility grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Road(GeometryMixin):
    """A named road of the gazetteer; its line feeds place descriptions and address search."""

    class Kind(models.TextChoices):
        ARTERIAL = "arterial", _("Arterial road")
        SECONDARY = "secondary", _("Secondary road")
        BRANCH = "branch", _("Branch road")
        LANE = "lane", _("Lane")

    name = models.CharField(_("name"), max_length=50, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BRANCH)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        verbose_name = _("road")
        verbose_name_plural = _("roads")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A door plate (门牌) on a road, or a landmark (地标: schools, hospitals, markets…)."""

    class Kind(models.TextChoices):
        DOORPLATE = "doorplate", _("Door plate")
        LANDMARK = "landmark", _("Landmark")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    road = models.ForeignKey(Road, verbose_name=_("road"), on_delete=models.CASCADE, null=True, blank=True)
    number = models.PositiveIntegerField(_("door number"), null=True, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [models.Index(fields=["road", "number"])]

    def __str__(self) -> str:
        return self.name


class Revision(models.Model):
    """A counter per kind of geographic data, raised in the transaction of every change, so
    each process can tell cheaply whether its in-memory indexes are stale."""

    key = models.CharField(max_length=32, unique=True)
    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} #{self.number}"
