"""The county is drawn in metres on a local transverse Mercator plane centred on the town and
converted to WGS84 only at the end, vertex by vertex, so shared edges stay shared."""

import numpy as np
import shapely
from pyproj import Transformer


class LocalFrame:
    def __init__(self, lon0: float, lat0: float) -> None:
        self.lon0, self.lat0 = lon0, lat0
        proj = f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"
        self._to_wgs = Transformer.from_crs(proj, "EPSG:4326", always_xy=True)
        self._to_local = Transformer.from_crs("EPSG:4326", proj, always_xy=True)

    def lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        return self._to_wgs.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))

    def xy(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        return self._to_local.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))

    def to_wgs84(self, geom):
        """A geometry (or an array of them) from metres to WGS84 longitude/latitude."""
        return shapely.transform(geom, self._transform_coords)

    def _transform_coords(self, coords: np.ndarray) -> np.ndarray:
        lon, lat = self._to_wgs.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])
