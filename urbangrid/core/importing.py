"""What every bulk import shares: reading GeoJSON / GeoPackage / Shapefile / CSV into features,
a report listing every problem, and the all-or-nothing rule.

An importer validates every feature first (a dry run stops there and returns the report);
only a report without problems is applied, inside one transaction. A rejected import raises
`ImportRejected`, which carries the full report and writes nothing.
"""

import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _

from .errors import Invalid


@dataclass
class Feature:
    index: int  # 1-based position in the source, so a user can find it
    geometry: shapely.Geometry | None
    properties: dict


@dataclass
class Problem:
    index: int | None
    ref: str
    code: str
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, index: int | None, ref, code: str, message) -> None:
        self.problems.append(Problem(index, str(ref or ""), code, str(message)))

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [asdict(p) for p in self.problems],
        }


class ImportRejected(Invalid):
    default_code = "import_rejected"
    default_message = _("The import was rejected: nothing was written. See the list of problems.")

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(problems=[asdict(p) for p in report.problems], total=report.total)


FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".shp": "shp",
    ".zip": "shp",
    ".csv": "csv",
}


def detect_format(name: str) -> str:
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise Invalid("unknown_format", _("Unknown file format; use GeoJSON, GeoPackage, Shapefile or CSV."))
    return fmt


def read_features(source, fmt: str | None = None, *, layer=None) -> list[Feature]:
    """Read a path, bytes or an uploaded file. Geometries come back as shapely objects in the
    file's own coordinates; the caller converts them (see urbangrid.geo.crs)."""
    name = getattr(source, "name", source if isinstance(source, str | Path) else "")
    fmt = fmt or detect_format(str(name))
    if fmt == "geojson":
        data = _read_bytes(source)
        try:
            doc = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise Invalid("bad_geojson", _("The file is not valid GeoJSON."), detail=str(exc)) from exc
        return features_from_geojson(doc)
    if fmt == "csv":
        return _read_csv(_read_bytes(source))
    return _read_ogr(source, layer)


def features_from_geojson(doc: dict) -> list[Feature]:
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise Invalid("bad_geojson", _("A GeoJSON FeatureCollection is expected."))
    features = []
    for i, f in enumerate(doc["features"], start=1):
        geom = None
        if isinstance(f, dict) and f.get("geometry"):
            try:
                geom = shapely.geometry.shape(f["geometry"])
            except (ValueError, TypeError, AttributeError, KeyError, shapely.errors.GEOSException):
                geom = None
        props = f.get("properties") if isinstance(f, dict) else None
        features.append(Feature(i, geom, dict(props or {})))
    return features


def _read_bytes(source) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    source.seek(0)
    return source.read()


def _read_csv(data: bytes) -> list[Feature]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    features = []
    for i, row in enumerate(reader, start=1):
        row = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
        geom = None
        wkt = row.pop("wkt", "") or row.pop("WKT", "")
        lon, lat = (
            row.pop("lon", "") or row.pop("longitude", ""),
            row.pop("lat", "") or row.pop("latitude", ""),
        )
        try:
            if wkt:
                geom = shapely.from_wkt(wkt)
            elif lon and lat:
                geom = shapely.Point(float(lon), float(lat))
        except (ValueError, shapely.errors.GEOSException):
            geom = None
        features.append(Feature(i, geom, row))
    return features


def _read_ogr(source, layer) -> list[Feature]:
    import pyogrio.raw

    arg = source if isinstance(source, str | Path) else _read_bytes(source)
    try:
        meta, _fids, geoms, field_data = pyogrio.raw.read(arg, layer=layer, force_2d=True)
    except Exception as exc:  # GDAL raises many kinds; all mean "unreadable file"
        raise Invalid("unreadable_file", _("The file cannot be read."), detail=str(exc)) from exc
    names = list(meta["fields"])
    shapes = (
        shapely.from_wkb(geoms) if geoms is not None else [None] * len(field_data[0] if field_data else [])
    )
    features = []
    for i, geom in enumerate(shapes):
        props = {n: _plain(col[i]) for n, col in zip(names, field_data, strict=True)}
        features.append(Feature(i + 1, geom, props))
    return features


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_features(
    path: str | Path, features: Iterable[tuple[shapely.Geometry, dict]], fmt: str, layer: str
) -> None:
    """Write (geometry, properties) pairs in WGS84 as GeoJSON, GeoPackage, Shapefile or CSV."""
    rows = list(features)
    path = Path(path)
    if fmt == "geojson":
        doc = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": shapely.geometry.mapping(g) if g is not None else None,
                    "properties": p,
                }
                for g, p in rows
            ],
        }
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return
    if fmt == "csv":
        fields = list(rows[0][1].keys()) if rows else []
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.DictWriter(fh, fieldnames=[*fields, "wkt"])
            writer.writeheader()
            for g, p in rows:
                writer.writerow({**p, "wkt": g.wkt if g is not None else ""})
        return
    import pyogrio.raw

    fields = list(rows[0][1].keys()) if rows else []
    field_data = [np.array([p.get(f) for _, p in rows], dtype=object) for f in fields]
    geoms = np.array([shapely.to_wkb(g) for g, _ in rows], dtype=object)
    geom_types = {g.geom_type for g, _ in rows}
    geometry_type = geom_types.pop() if len(geom_types) == 1 else "Unknown"
    driver = {"gpkg": "GPKG", "shp": "ESRI Shapefile"}[fmt]
    pyogrio.raw.write(
        str(path),
        geoms,
        field_data,
        fields,
        layer=layer,
        driver=driver,
        geometry_type=geometry_type,
        crs="EPSG:4326",
        encoding="UTF-8",
    )


class Progress:
    """Prints progress with rate and time left for long operations on the console."""

    def __init__(self, label: str, total: int, stream=None, every: float = 1.0) -> None:
        self.label, self.total, self.every = label, max(total, 1), every
        self.stream = stream or sys.stderr
        self.started = self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < self.every and done < self.total:
            return
        self.last = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = _duration((self.total - done) / rate) + " left" if rate > 0 else "estimating"
        self.stream.write(
            f"\r{self.label}: {done:,}/{self.total:,} ({100 * done / self.total:.0f}%), {rate:,.0f}/s, {left}   "
        )
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    return f"{seconds:,.0f} s" if seconds < 90 else f"{seconds // 60:,.0f} min {seconds % 60:02.0f} s"


ProgressFn = Callable[[int], None]


def no_progress(done: int) -> None:
    return None
