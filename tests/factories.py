"""Test data builders. They go through the services where services exist, so tests exercise
the same doorway as users."""

import itertools
import json

import shapely
from django.test import Client

from urbangrid.accounts import services as accounts
from urbangrid.accounts.models import Department
from urbangrid.core import clock
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
# 2×2 grids of 0.0025° × 0.0025° (about 240 m × 280 m). 16 grids, no gaps, no overlaps.
SMALL_COUNTY = {"district": "990101", "lon0": 120.0, "lat0": 30.0, "cell": 0.0025}


def _box(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


def build_small_county():
    c = SMALL_COUNTY
    lon0, lat0, cell = c["lon0"], c["lat0"], c["cell"]
    district = _division(
        c["district"],
        "测试县",
        Division.Level.DISTRICT,
        None,
        _box(lon0, lat0, lon0 + 8 * cell, lat0 + 4 * cell),
    )
    streets, communities, grids = [], [], []
    for s_idx, s_name in enumerate(["城西街道", "城东街道"]):
        sx = lon0 + s_idx * 4 * cell
        street = _division(
            f"{c['district']}{s_idx + 1:03d}",
            s_name,
            Division.Level.STREET,
            district,
            _box(sx, lat0, sx + 4 * cell, lat0 + 4 * cell),
        )
        streets.append(street)
        for c_idx, c_name in enumerate(["北社区", "南社区"]):
            cy1 = lat0 + 4 * cell - c_idx * 2 * cell
            community = _division(
                f"{street.code}{c_idx + 1:03d}",
                f"{s_name[:2]}{c_name}",
                Division.Level.COMMUNITY,
                street,
                _box(sx, cy1 - 2 * cell, sx + 4 * cell, cy1),
            )
            communities.append(community)
            serial = 1
            for row in range(2):  # north → south
                for col in range(4):  # west → east
                    x0 = sx + col * cell
                    y1 = cy1 - row * cell
                    grids.append(
                        _grid(
                            f"{community.code}{serial:03d}",
                            community,
                            street,
                            district,
                            _box(x0, y1 - cell, x0 + cell, y1),
                        )
                    )
                    serial += 1
    _refresh_geocoder()
    return {"district": district, "streets": streets, "communities": communities, "grids": grids}


def _area_m2(geom) -> float:
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0])


def _division(code, name, level, parent, geom):
    d = Division(code=code, name=name, level=level, parent=parent, area_m2=_area_m2(geom))
    d.set_geometry(geom)
    d.save()
    return d


def _grid(code, community, street, district, geom):
    g = UnitGrid(
        code=code,
        community=community,
        street=street,
        district=district,
        area_m2=_area_m2(geom),
        centroid_lon=geom.centroid.x,
        centroid_lat=geom.centroid.y,
        valid_from=clock.now(),
    )
    g.set_geometry(geom)
    g.save()
    return g


def _refresh_geocoder():
    try:
        from urbangrid.geo import geocoding
    except ImportError:  # the geocoder arrives with the geo services
        return
    geocoding.invalidate()
