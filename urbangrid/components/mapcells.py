"""MapCell counts: the per-cell aggregate that low-zoom map tiles read instead of the registry.

Each zoom-18 cell has a row per type present, per major class present and one for all
components ("*"), so a tile of everything, of a major class or of a few types reads exactly
the rows it sums. Every service that adds, removes (status "removed" and back) or moves a
component calls `apply` in its own transaction, so the counts never drift from the registry;
`rebuild` recomputes them from scratch (after a restore, or to check).
"""

from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Sum

from urbangrid.geo import tiles

from .models import Component, MapCell, Status

SHIFT = 2 * (tiles.KEY_ZOOM - MapCell.CELL_ZOOM)
BATCH = 500


def cell_of(tile_key: int) -> int:
    return tile_key >> SHIFT


def keys_of(type_code: str) -> tuple[str, str, str]:
    """The MapCell rows a component of this type counts in: its type, its class, everything."""
    return type_code, type_code[:2], MapCell.ALL


class Deltas:
    """Changes to MapCell rows, summed per (cell, key) before they are written."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])

    def _add(self, cell: int, type_code: str, n: int, lon_sum: float, lat_sum: float) -> None:
        for key in keys_of(type_code):
            row = self.rows[(cell, key)]
            row[0] += n
            row[1] += lon_sum
            row[2] += lat_sum

    def add(self, tile_key: int, type_code: str, lon: float, lat: float, sign: int = 1) -> None:
        self._add(cell_of(tile_key), type_code, sign, sign * lon, sign * lat)

    def add_many(
        self, tile_keys: np.ndarray, type_codes: np.ndarray, lons: np.ndarray, lats: np.ndarray
    ) -> None:
        """Vectorised add for imports: group by (cell, type) with numpy, not row by row."""
        if not len(tile_keys):
            return
        cells = np.asarray(tile_keys, dtype=np.int64) >> SHIFT
        type_values, type_idx = np.unique(np.asarray(type_codes), return_inverse=True)
        width = len(type_values)
        groups, inverse = np.unique(cells * width + type_idx, return_inverse=True)
        counts = np.bincount(inverse)
        lon_sums = np.bincount(inverse, weights=lons)
        lat_sums = np.bincount(inverse, weights=lats)
        for g, n, lo, la in zip(
            groups.tolist(), counts.tolist(), lon_sums.tolist(), lat_sums.tolist(), strict=True
        ):
            self._add(g // width, str(type_values[g % width]), n, lo, la)

    def write(self) -> None:
        rows = [(cell, key, n, lo, la) for (cell, key), (n, lo, la) in self.rows.items() if n]
        if not rows:
            return
        table = connection.ops.quote_name(MapCell._meta.db_table)
        sql = (
            f"INSERT INTO {table} (cell, type_code, count, lon_sum, lat_sum) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT (type_code, cell) DO UPDATE SET count = {table}.count + excluded.count, "
            f"lon_sum = {table}.lon_sum + excluded.lon_sum, lat_sum = {table}.lat_sum + excluded.lat_sum"
        )
        with connection.cursor() as cur:
            for i in range(0, len(rows), BATCH):
                cur.executemany(sql, rows[i : i + BATCH])
        self.rows.clear()


def on_map(status: str) -> bool:
    return status != Status.REMOVED


def apply(component: Component, sign: int) -> None:
    """Count a component in (+1) or out (-1) of its cell."""
    deltas = Deltas()
    deltas.add(component.tile_key, component.type.code, component.lon, component.lat, sign)
    deltas.write()


def rebuild_rows(component_model, cell_model) -> int:
    """Recompute every MapCell row from the registry; returns the number of rows. Takes the
    models so the migrations that change MapCell can run it on their historical models."""
    cell_model.objects.all().delete()
    per_type = (
        component_model.objects.exclude(status=Status.REMOVED)
        .annotate(cell=F("tile_key") / (1 << SHIFT))
        .values("cell", "type__code")
        .annotate(n=Count("id"), lon_sum=Sum("lon"), lat_sum=Sum("lat"))
        .order_by()
    )
    sums: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for r in per_type.iterator(chunk_size=5000):
        for key in keys_of(r["type__code"]):
            row = sums[(r["cell"], key)]
            row[0] += r["n"]
            row[1] += r["lon_sum"]
            row[2] += r["lat_sum"]
    cell_model.objects.bulk_create(
        (
            cell_model(cell=cell, type_code=key, count=n, lon_sum=lo, lat_sum=la)
            for (cell, key), (n, lo, la) in sums.items()
        ),
        batch_size=2000,
    )
    return len(sums)


@transaction.atomic
def rebuild() -> int:
    return rebuild_rows(Component, MapCell)
