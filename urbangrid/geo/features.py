"""Reading the attributes and geometries of imported features into typed rows, noting every
problem in the import report instead of stopping at the first.

Files come from GIS desktops, spreadsheets and other systems, so values arrive as text,
integers or floats, Shapefile column names are cut to 10 characters, and enumerations may be
written as codes or as their Chinese or English names.
"""

import re

import numpy as np
import shapely
from django.utils import translation
from django.utils.translation import gettext as _

from urbangrid.core.importing import Feature, ImportReport

from . import crs as crs_mod

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
SHAPEFILE_FIELD_LENGTH = 10
_ALIAS_SPLIT = re.compile(r"[,，;；、|/]")


def prop(props: dict, name: str):
    """A property by its name, accepting other letter cases and the Shapefile-truncated name."""
    if name in props:
        return props[name]
    wanted = {name.lower(), name[:SHAPEFILE_FIELD_LENGTH].lower()}
    for key, value in props.items():
        if str(key).lower() in wanted:
            return value
    return None


def text(value) -> str:
    """A property value as clean text; whole floats lose their '.0' (spreadsheets turn codes
    into numbers)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: an empty cell
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def aliases(value) -> list[str]:
    """Aliases from a list, or from text separated by commas, semicolons or 、 (file formats
    without list columns)."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else _ALIAS_SPLIT.split(str(value))
    seen: dict[str, None] = {}
    for item in items:
        item = str(item).strip()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def choice_table(choices) -> dict[str, str]:
    """Every accepted spelling of a TextChoices value: the value itself and its label in
    Chinese and English, case-insensitively."""
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                table[str(label).lower()] = value
    return table


def geometries(
    features: list[Feature], crs, report: ImportReport, kinds: tuple[str, ...], ref_key: str = "code"
) -> np.ndarray:
    """The WGS84 geometry of each feature, or None where it is missing, of the wrong kind or
    invalid (each noted in the report)."""
    crs = crs_mod.parse(crs)
    result = np.full(len(features), None, dtype=object)
    raw = np.array([f.geometry for f in features], dtype=object)
    present = np.array([g is not None and not shapely.is_empty(g) for g in raw], dtype=bool)
    for i in np.flatnonzero(~present):
        f = features[i]
        report.add(
            f.index, text(prop(f.properties, ref_key)), "missing_geometry", _("The geometry is missing.")
        )
    for i in np.flatnonzero(present):
        f = features[i]
        if raw[i].geom_type not in kinds:
            report.add(
                f.index,
                text(prop(f.properties, ref_key)),
                "bad_geometry_type",
                _("A %(expected)s is expected, not a %(found)s.")
                % {"expected": " / ".join(kinds), "found": raw[i].geom_type},
            )
            present[i] = False
    idx = np.flatnonzero(present)
    if not len(idx):
        return result
    converted = crs_mod.geometry_to_wgs84(raw[idx], crs)
    valid = shapely.is_valid(converted)
    for j in np.flatnonzero(~valid):
        f = features[idx[j]]
        report.add(
            f.index,
            text(prop(f.properties, ref_key)),
            "invalid_geometry",
            _("The geometry is not valid: %(reason)s.") % {"reason": shapely.is_valid_reason(converted[j])},
        )
    result[idx[valid]] = converted[valid]
    return result


def digit_code(value, lengths: tuple[int, ...]) -> str | None:
    code = text(value)
    if code.isascii() and code.isdigit() and len(code) in lengths:
        return code
    return None


def first_seen(codes: list[str | None], features: list[Feature], report: ImportReport) -> list[bool]:
    """Mark each feature whose code appeared earlier in the file; the first stays usable."""
    seen: dict[str, int] = {}
    keep = []
    for code, f in zip(codes, features, strict=True):
        if code is None:
            keep.append(False)
            continue
        if code in seen:
            report.add(
                f.index,
                code,
                "duplicate_code",
                _("The code %(code)s appears more than once in the file (first at feature %(first)s).")
                % {"code": code, "first": seen[code]},
            )
            keep.append(False)
            continue
        seen[code] = f.index
        keep.append(True)
    return keep
