"""Address text → places (地理编码, the gazetteer side): roads, door plates (门牌) and
landmarks, searched in memory and tolerant of the ways people write Chinese addresses
(see `addresses`).

Like the point → grid index, the index is built on first use, dropped in this process when
a service changes the gazetteer or the divisions, and rebuilt in other processes within
REFRESH_SECONDS (they compare revision counters, see `revisions`).

The same index carries a `NearbyIndex` (road intersections, door plates and landmarks in
local metres) for place descriptions (`describe`).
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _

from . import geocoding, revisions
from .addresses import (
    ROAD_SUFFIXES,
    bigram_similarity,
    door_number,
    find_syllables,
    normalize,
    split_suffix,
    strip_nearby,
    syllables,
)
from .models import Division, Place, Road
from .nearby import NearbyIndex

REFRESH_SECONDS = 10.0

# How much a way of matching is trusted, multiplied into a candidate's score.
EXACT, WITHOUT_SUFFIX, HOMOPHONE = 1.0, 0.9, 0.8
# Score of each kind of answer before that factor.
DOORPLATE_SCORE, INTERPOLATED_SCORE, ROAD_SCORE = 1.0, 0.75, 0.55
LANDMARK_SCORE, LANDMARK_PARTIAL_SCORE, LANDMARK_SIMILAR_SCORE = 0.95, 0.8, 0.7
MIN_SIMILARITY = 0.5


@dataclass
class Candidate:
    label: str
    kind: str  # doorplate | interpolated | road | landmark
    lon: float
    lat: float
    score: float
    road: str | None = None
    number: int | None = None
    note: str = ""
    location: geocoding.Location | None = None


@dataclass
class RoadEntry:
    name: str
    kind: str
    geometry: shapely.Geometry
    keys: list[str]  # name and aliases
    bases: list[str]  # the same without their road suffix
    sounds: list[str]  # toneless pinyin of each key, as " ren min lu "
    numbers: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0))
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class LandmarkEntry:
    name: str
    keys: list[str]
    lon: float
    lat: float


@dataclass
class RoadMatch:
    road: RoadEntry
    start: int
    end: int
    factor: float


def _sound(text: str) -> str:
    return " " + " ".join(syllables(text)) + " "


class GazetteerIndex:
    def __init__(self, roads: list[Road], places: list[Place], division_names: list[str]) -> None:
        self.division_names = sorted({normalize(n) for n in division_names if n}, key=len, reverse=True)
        self.roads: list[RoadEntry] = []
        by_id: dict[int, RoadEntry] = {}
        for r in roads:
            keys = list(dict.fromkeys(normalize(k) for k in [r.name, *r.aliases] if normalize(k)))
            bases = [b for b, suffix in map(split_suffix, keys) if suffix]
            entry = RoadEntry(r.name, r.kind, r.geometry, keys, bases, [_sound(k) for k in keys])
            self.roads.append(entry)
            by_id[r.pk] = entry
        self.landmarks: list[LandmarkEntry] = []
        doorplates: dict[int, list[Place]] = {}
        for p in places:
            if p.kind == Place.Kind.LANDMARK:
                keys = list(dict.fromkeys(normalize(k) for k in [p.name, *p.aliases] if normalize(k)))
                self.landmarks.append(LandmarkEntry(p.name, keys, p.lon, p.lat))
            elif p.road_id in by_id and p.number:
                doorplates.setdefault(p.road_id, []).append(p)
        self._build_lookups()
        for road_id, plates in doorplates.items():
            entry = by_id[road_id]
            plates.sort(key=lambda p: p.number)
            entry.numbers = np.array([p.number for p in plates], dtype=np.int64)
            entry.points = [(p.lon, p.lat) for p in plates]
            entry.positions = shapely.line_locate_point(
                entry.geometry, shapely.points([p.lon for p in plates], [p.lat for p in plates])
            )
        self.nearby = NearbyIndex(roads, places)

    def _build_lookups(self) -> None:
        """Entry points by first character, first syllable or bigram, so a search looks at the
        few roads, landmarks and divisions that can match, not at all of a megacity's."""
        self._roads_by_char: dict[str, list[RoadEntry]] = {}
        self._roads_by_syllable: dict[str, list[RoadEntry]] = {}
        for road in self.roads:
            for first in {k[0] for k in road.keys + road.bases}:
                self._roads_by_char.setdefault(first, []).append(road)
            for first in {sound.split()[0] for sound in road.sounds}:
                self._roads_by_syllable.setdefault(first, []).append(road)
        self._divisions_by_char: dict[str, list[str]] = {}
        for name in self.division_names:  # longest first, kept in that order
            self._divisions_by_char.setdefault(name[0], []).append(name)
        self._landmarks_by_bigram: dict[str, list[LandmarkEntry]] = {}
        for lm in self.landmarks:
            for gram in {key[i : i + 2] for key in lm.keys for i in range(max(1, len(key) - 1))}:
                self._landmarks_by_bigram.setdefault(gram, []).append(lm)

    # ------------------------------------------------------------ address search

    def search(self, text: str, limit: int = 10) -> list[Candidate]:
        q = strip_nearby(normalize(text))
        if not q:
            return []
        masked = self._division_spans(q)
        found = self._road_candidates(q, masked) + self._landmark_candidates(q, masked)
        best: dict[tuple, Candidate] = {}
        for c in found:
            key = (c.kind, c.label, round(c.lon, 6), round(c.lat, 6))
            if key not in best or best[key].score < c.score:
                best[key] = c
        return sorted(best.values(), key=lambda c: (-c.score, c.label))[:limit]

    def _division_spans(self, q: str) -> list[tuple[int, int]]:
        names = sorted(
            {n for ch in set(q) for n in self._divisions_by_char.get(ch, ())}, key=lambda n: (-len(n), n)
        )
        spans: list[tuple[int, int]] = []
        for name in names:
            start = q.find(name)
            while start >= 0:
                end = start + len(name)
                if not any(s < end and start < e for s, e in spans):
                    spans.append((start, end))
                start = q.find(name, start + 1)
        return spans

    @staticmethod
    def _inside(spans, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in spans)

    def _road_matches(self, q: str, masked) -> list[RoadMatch]:
        found: dict[str, RoadMatch] = {}
        for road in {r.name: r for ch in set(q) for r in self._roads_by_char.get(ch, ())}.values():
            match = self._match_road(road, q, masked)
            if match is not None:
                found[road.name] = match
        sound = _sound(q)
        for road in {
            r.name: r for s in set(sound.split()) for r in self._roads_by_syllable.get(s, ())
        }.values():
            if road.name not in found:
                match = self._match_sound(road, sound, q, masked)
                if match is not None:
                    found[road.name] = match
        matches = list(found.values())
        # "中山北路" also contains a match of "中山路"'s name without suffix: the longer wins.
        return [
            m
            for m in matches
            if not any(
                o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                for o in matches
            )
        ]

    def _match_road(self, road: RoadEntry, q: str, masked) -> RoadMatch | None:
        for key in road.keys:
            start = q.find(key)
            while start >= 0:
                if not self._inside(masked, start, start + len(key)):
                    return RoadMatch(road, start, start + len(key), EXACT)
                start = q.find(key, start + 1)
        for base in road.bases:
            start = q.find(base)
            while start >= 0:
                end = start + len(base)
                rest = q[end:]
                # "人民12号" is 人民路 12; "人民大道12号" is another road, so is "人民北路".
                if (
                    not self._inside(masked, start, end)
                    and not rest.startswith(ROAD_SUFFIXES)
                    and (not rest or door_number(rest) is not None)
                ):
                    return RoadMatch(road, start, end, WITHOUT_SUFFIX)
                start = q.find(base, start + 1)
        return None

    def _match_sound(self, road: RoadEntry, sound: str, q: str, masked) -> RoadMatch | None:
        haystack = sound.split()
        for key, key_sound in zip(road.keys, road.sounds, strict=True):
            if len(key) < 2 or key_sound not in sound:
                continue
            start = find_syllables(haystack, key_sound.split())
            if start >= 0 and not self._inside(masked, start, start + len(key)):
                return RoadMatch(road, start, start + len(key), HOMOPHONE)
        return None

    def _road_candidates(self, q: str, masked) -> list[Candidate]:
        out = []
        for m in self._road_matches(q, masked):
            road, number = m.road, door_number(q[m.end :])
            if number is None:
                mid = road.geometry.interpolate(0.5, normalized=True)
                out.append(Candidate(road.name, "road", mid.x, mid.y, ROAD_SCORE * m.factor, road=road.name))
                continue
            out.append(self._doorplate(road, number, m.factor))
        return out

    def _doorplate(self, road: RoadEntry, number: int, factor: float) -> Candidate:
        label = f"{road.name}{number}号"
        hit = np.flatnonzero(road.numbers == number)
        if len(hit):
            lon, lat = road.points[hit[0]]
            return Candidate(label, "doorplate", lon, lat, DOORPLATE_SCORE * factor, road.name, number)
        if not len(road.numbers):
            mid = road.geometry.interpolate(0.5, normalized=True)
            note = _("No door plates are known on this road; the middle of the road is shown.")
            return Candidate(label, "road", mid.x, mid.y, ROAD_SCORE * factor, road.name, number, note)
        # Odd numbers run along one side of a Chinese street and even numbers along the other.
        same_side = road.numbers % 2 == number % 2
        pool = np.flatnonzero(same_side) if same_side.sum() >= 1 else np.arange(len(road.numbers))
        lower = pool[road.numbers[pool] < number]
        higher = pool[road.numbers[pool] > number]
        if len(lower) and len(higher):
            lo, hi = lower[-1], higher[0]
            n_lo, n_hi = road.numbers[lo], road.numbers[hi]
            t = (number - n_lo) / (n_hi - n_lo)
            point = road.geometry.interpolate(
                road.positions[lo] + t * (road.positions[hi] - road.positions[lo])
            )
            note = _("Estimated between %(a)s and %(b)s.") % {
                "a": f"{road.name}{n_lo}号",
                "b": f"{road.name}{n_hi}号",
            }
            return Candidate(
                label, "interpolated", point.x, point.y, INTERPOLATED_SCORE * factor, road.name, number, note
            )
        nearest = lower[-1] if len(lower) else higher[0]
        lon, lat = road.points[nearest]
        note = _("The nearest existing door plate is %(plate)s.") % {
            "plate": f"{road.name}{road.numbers[nearest]}号"
        }
        return Candidate(
            label, "interpolated", lon, lat, INTERPOLATED_SCORE * factor, road.name, number, note
        )

    def _landmark_candidates(self, q: str, masked) -> list[Candidate]:
        bare = "".join(ch for i, ch in enumerate(q) if not any(s <= i < e for s, e in masked)) or q
        out = []
        grams = {text[i : i + 2] for text in (q, bare) for i in range(max(1, len(text) - 1))}
        for lm in {id(lm): lm for g in grams for lm in self._landmarks_by_bigram.get(g, ())}.values():
            score = 0.0
            for key in lm.keys:
                if key in q:
                    rest = q.replace(key, "", 1)
                    for name in self.division_names:
                        rest = rest.replace(name, "")
                    score = max(score, LANDMARK_SCORE * len(key) / (len(key) + len(rest)))
                elif len(bare) >= 2 and bare in key:
                    score = max(score, LANDMARK_PARTIAL_SCORE * len(bare) / len(key))
                else:
                    similarity = bigram_similarity(bare, key)
                    if similarity >= MIN_SIMILARITY:
                        score = max(score, LANDMARK_SIMILAR_SCORE * similarity)
            if score > 0:
                out.append(Candidate(lm.name, "landmark", lm.lon, lm.lat, score))
        return out


def _build() -> GazetteerIndex:
    return GazetteerIndex(
        list(Road.objects.all()),
        list(Place.objects.only("id", "kind", "name", "road_id", "number", "aliases", "lon", "lat")),
        list(Division.objects.values_list("name", flat=True)),
    )


_cache = revisions.CachedIndex(
    _build, lambda: revisions.current(revisions.GAZETTEER, revisions.DIVISIONS), REFRESH_SECONDS
)


def index() -> GazetteerIndex:
    return _cache.get()


def invalidate() -> None:
    _cache.invalidate()


def search(text: str, limit: int = 10) -> list[Candidate]:
    """Candidates for an address text, best first, each with its grid location (None when
    the place lies outside the jurisdiction)."""
    found = index().search(text, limit)
    if found:
        locations = geocoding.locate_many([c.lon for c in found], [c.lat for c in found])
        for c, loc in zip(found, locations, strict=True):
            c.location = loc
    return found
