"""How big a synthetic jurisdiction to draw.

`county` is the demo: a county town like the seed's (a county of about a million people whose
built-up area of about 20 km² has 258,000 residents). `tiny` is the same county in miniature
for tests. `city` is a megacity-size dataset for benchmarks: the same generator with more
districts, streets and communities, and denser street furniture (≥ 40,000 grids, ≥ 10 million
components).

The codes are fictional on purpose. GB/T 2260 has no prefecture 99 in Henan (41), so 419921
(澄河县, "county 21 of prefecture 99") and the city's 4198xx districts can never collide with
a real division. The town sits at plausible coordinates in the Huang-Huai plain of eastern Henan.
"""

from dataclasses import dataclass, replace

from .names import CITY_DISTRICTS


@dataclass(frozen=True)
class Scale:
    name: str
    place_name: str  # the county or city
    district_codes: tuple[str, ...]
    district_names: tuple[str, ...]
    lon0: float
    lat0: float
    area_km2: float
    aspect: float  # east-west stretch of the outline
    arterial_spacing: float  # metres between arterial roads
    river_width: float
    meander: float  # amplitude of the river's bends, metres
    old_town_radius: float  # fraction of the town's radius
    streets: int
    communities: int
    responsibility_grids: int
    component_density: float  # street furniture per metre of road and per grid, relative to the county
    diagonals: int  # radial avenues (迎宾大道) running out of the centre
    industrial_sectors: int  # wedges of industrial park at the edge of town
    # Target unit-grid area by zone (m²): smaller in the dense old town, larger at the edges.
    grid_target_old: float = 7000.0
    grid_target_new: float = 10400.0
    grid_target_industrial: float = 14000.0
    grid_target_riverside: float = 11500.0
    # Case history the simulator drives through the services before the demo opens (none: 0 days).
    history_days: int = 0
    reports_per_day: float = 0.0

    @property
    def multi_district(self) -> bool:
        return len(self.district_codes) > 1

    def reduced(self, fraction: float) -> "Scale":
        """The same kind of place on a fraction of the area, with as many fewer districts,
        streets and communities: a quick run that shows the full build's rates."""
        if not 0 < fraction <= 1:
            raise ValueError("fraction must be in (0, 1]")
        if fraction == 1:
            return self
        districts = max(1, round(len(self.district_codes) * fraction))
        streets = max(districts, round(self.streets * fraction))
        return replace(
            self,
            name=f"{self.name}@{fraction:g}",
            district_codes=self.district_codes[:districts],
            district_names=self.district_names[:districts],
            area_km2=self.area_km2 * fraction,
            streets=streets,
            communities=max(streets, round(self.communities * fraction)),
            responsibility_grids=max(streets, round(self.responsibility_grids * fraction)),
            diagonals=max(1, round(self.diagonals * fraction)) if self.diagonals else 0,
        )


COUNTY_CODE = "419921"
COUNTY_NAME = "澄河县"

SCALES = {
    "tiny": Scale(
        name="tiny",
        place_name=COUNTY_NAME,
        district_codes=(COUNTY_CODE,),
        district_names=(COUNTY_NAME,),
        lon0=115.12,
        lat0=33.93,
        area_km2=0.6,
        aspect=1.3,
        arterial_spacing=600.0,
        river_width=40.0,
        meander=40.0,
        old_town_radius=0.45,
        streets=2,
        communities=4,
        responsibility_grids=3,
        component_density=0.3,
        diagonals=0,
        industrial_sectors=1,
        history_days=2,
        reports_per_day=24,
    ),
    "county": Scale(
        name="county",
        place_name=COUNTY_NAME,
        district_codes=(COUNTY_CODE,),
        district_names=(COUNTY_NAME,),
        lon0=115.12,
        lat0=33.93,
        area_km2=20.0,
        aspect=1.35,
        arterial_spacing=1100.0,
        river_width=70.0,
        meander=120.0,
        old_town_radius=0.4,
        streets=8,
        communities=60,
        responsibility_grids=50,
        component_density=1.0,
        diagonals=1,
        industrial_sectors=1,
        history_days=182,
        reports_per_day=22,
    ),
    "city": Scale(
        name="city",
        place_name="澄州市",
        district_codes=tuple(f"4198{n:02d}" for n in range(2, 14)),
        district_names=CITY_DISTRICTS[:12],
        lon0=114.95,
        lat0=34.45,
        area_km2=480.0,
        aspect=1.3,
        arterial_spacing=1200.0,
        river_width=160.0,
        meander=350.0,
        old_town_radius=0.14,
        streets=130,
        communities=1300,
        responsibility_grids=1000,
        component_density=4.0,
        diagonals=4,
        industrial_sectors=2,
    ),
}


def scale_named(name: str) -> Scale:
    """A scale by the name it records in the build log: "county", or "city@0.1" for a reduced one."""
    base, _, fraction = name.partition("@")
    return SCALES[base].reduced(float(fraction)) if fraction else SCALES[base]
