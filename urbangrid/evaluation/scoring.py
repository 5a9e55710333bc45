"""score(subject_kind, indicators) → (score, grade): the weighted mean of the indicator scores
under the subject kind's `Scheme`, and the grade band it falls in (§5.7)."""

from decimal import Decimal

from .defaults import BANDS, DEFAULTS, LABELS, LOWER_IS_BETTER, SCORED_COUNTS
from .indicators import round2
from .models import Scheme


def scheme_for(subject_kind: str) -> dict:
    row = Scheme.objects.filter(subject_kind=subject_kind).values("weights", "bands", "labels").first()
    if row is None:
        if subject_kind not in DEFAULTS:
            raise KeyError(f"unknown subject kind {subject_kind!r}")
        return {"weights": DEFAULTS[subject_kind]["weights"], "bands": BANDS, "labels": LABELS}
    return row


def indicator_score(name: str, value) -> Decimal:
    """A rate (0–100) scores itself; a lower-is-better rate scores 100 − rate; a count scored by
    bands (受理数, 派遣数) scores the band it reaches, 0 below the lowest."""
    if name in SCORED_COUNTS:
        for lowest, points in SCORED_COUNTS[name]:
            if value >= lowest:
                return Decimal(points)
        return Decimal(0)
    value = min(max(Decimal(str(value)), Decimal(0)), Decimal(100))
    return 100 - value if name in LOWER_IS_BETTER else value


def grade_of(score: float | None, bands) -> str:
    if score is None:
        return ""
    for grade, lowest in bands:
        if score >= lowest:
            return grade
    return bands[-1][0] if bands else ""


def score(subject_kind: str, indicators: dict, scheme: dict | None = None) -> tuple[float | None, str]:
    """Score 0–100 (two decimals) and grade. Indicators that are None (no cases to rate) or have
    weight 0 are left out of the mean; with none left the score is None and the grade empty. A
    count scored by bands is only scored beside at least one rate: a post with nothing to rate
    has no score, rather than 0 for its empty count."""
    scheme = scheme or scheme_for(subject_kind)
    total = weighted = Decimal(0)
    rated = any(
        indicators.get(name) is not None and weight and name not in SCORED_COUNTS
        for name, weight in scheme["weights"].items()
    )
    if not rated:
        return None, ""
    for name, weight in scheme["weights"].items():
        value = indicators.get(name)
        if value is None or not weight:
            continue
        total += Decimal(str(weight))
        weighted += Decimal(str(weight)) * indicator_score(name, value)
    if not total:
        return None, ""
    result = round2(weighted / total)
    return result, grade_of(result, scheme["bands"])
