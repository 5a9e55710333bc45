"""Test data builders. They go through the services where services exist, so tests exercise
the same doorway as users."""

import itertools
import json

import shapely
from django.test import Client

from urbangrid.accounts import services as accounts
from urbangrid.accounts.models import Department
from urbangrid.core.importing import Feature
from urbangrid.geo import gazetteer, geocoding
from urbangrid.geo import services as geo
from urbangrid.geo.models import Division, UnitGrid

PASSWORD = "pass-1234"
_seq = itertools.count(1)


def make_department(code=None, name=None, kind=Department.Kind.FUNCTIONAL, **fields) -> Department:
    n = next(_seq)
    return accounts.save_department(
        None, code=code or f"dept{n}", name=name or f"部门{n}", kind=kind, **fields
    )


def make_user(*roles, username=None, department=None, areas=(), password=PASSWORD, **fields):
    n = next(_seq)
    return accounts.save_user(
        None,
        username=username or f"user{n}",
        password=password,
        roles=roles,
        department=department,
        areas=list(areas),
        full_name=fields.pop("full_name", f"用户{n}"),
        **fields,
    )


class ApiClient:
    """A Django test client speaking to /api/v1/ with a bearer token."""

    def __init__(self, user=None, password=PASSWORD):
        self.client = Client()
        self.headers = {}
        if user is not None:
            resp = self.client.post(
                "/api/v1/auth/token",
                data=json.dumps({"username": user.username, "password": password}),
                content_type="application/json",
            )
            assert resp.status_code == 200, resp.content
            self.headers["Authorization"] = f"Bearer {resp.json()['token']}"

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body=None, **headers):
        return self.client.post(
            path,
            data=json.dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def patch(self, path, body=None, **headers):
        return self.client.patch(
            path,
            data=json.dumps(body or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post_files(self, path, data, **headers):
        return self.client.post(path, data=data, headers={**self.headers, **headers})


# A small county for unit tests: district 990101 at (120.00..120.02, 30.00..30.01),
# 2 streets (west, east), each with 2 communities (north, south), each community cut into
# 4×2 grids (west→east, north→south) of 0.0025° × 0.0025° (about 240 m × 280 m): 32 grids,
# no gaps, no overlaps.
SMALL_COUNTY = {"district": "990101", "lon0": 120.0, "lat0": 30.0, "cell": 0.0025}


def small_county_features() -> tuple[list[Feature], list[Feature]]:
    """The small county as the division and grid files a GIS department would send."""
    c = SMALL_COUNTY
    lon0, lat0, cell = c["lon0"], c["lat0"], c["cell"]
    divisions = [_feature(c["district"], "测试县", shapely.box(lon0, lat0, lon0 + 8 * cell, lat0 + 4 * cell))]
    grids = []
    for s_idx, s_name in enumerate(["城西街道", "城东街道"]):
        sx = lon0 + s_idx * 4 * cell
        street_code = f"{c['district']}{s_idx + 1:03d}"
        divisions.append(_feature(street_code, s_name, shapely.box(sx, lat0, sx + 4 * cell, lat0 + 4 * cell)))
        for c_idx, c_name in enumerate(["北社区", "南社区"]):
            cy1 = lat0 + 4 * cell - c_idx * 2 * cell
            community_code = f"{street_code}{c_idx + 1:03d}"
            divisions.append(
                _feature(
                    community_code,
                    f"{s_name[:2]}{c_name}",
                    shapely.box(sx, cy1 - 2 * cell, sx + 4 * cell, cy1),
                )
            )
            serial = 1
            for row in range(2):  # north → south
                for col in range(4):  # west → east
                    x0, y1 = sx + col * cell, cy1 - row * cell
                    grids.append(
                        _feature(
                            f"{community_code}{serial:03d}", None, shapely.box(x0, y1 - cell, x0 + cell, y1)
                        )
                    )
                    serial += 1
    return _numbered(divisions), _numbered(grids)


def _feature(code, name, geom) -> Feature:
    props = {"code": code} if name is None else {"code": code, "name": name}
    return Feature(0, geom, props)


def build_small_county():
    divisions, grids = small_county_features()
    geo.import_divisions(None, divisions)
    geo.import_grids(None, grids)
    # The test's transaction never commits, so the import's on-commit refresh never runs.
    geocoding.invalidate()
    gazetteer.invalidate()
    by_level = {
        level: list(Division.objects.filter(level=level).order_by("code")) for level in Division.Level
    }
    return {
        "district": by_level[Division.Level.DISTRICT][0],
        "streets": by_level[Division.Level.STREET],
        "communities": by_level[Division.Level.COMMUNITY],
        "grids": list(UnitGrid.objects.filter(valid_to__isnull=True).order_by("code")),
    }


def _numbered(features: list[Feature]) -> list[Feature]:
    return [Feature(i, f.geometry, f.properties) for i, f in enumerate(features, start=1)]
