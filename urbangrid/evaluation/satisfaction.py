"""Public satisfaction (公众满意率) from the follow-ups (回访) done in a period, per disposal
department (the case's department) and per street or community (where the case lies).

Formula [I] (the standard names the rate, not its population):
    satisfaction_rate = (satisfied + basically satisfied) / rated,
where `rated` counts the follow-ups done (done_at) in [start, end) with a rating: satisfied,
basically satisfied or unsatisfied. A citizen who could not be reached gave no rating and is
left out of the denominator; so is a follow-up not yet done. A case followed up twice counts
twice (each answer is a citizen's rating)."""

from datetime import datetime

from django.db.models import Count, Q

from urbangrid.cases.models import Case
from urbangrid.intake.models import FollowUp

from .indicators import check_period, rate

RATED = (FollowUp.Result.SATISFIED, FollowUp.Result.BASICALLY, FollowUp.Result.UNSATISFIED)
CONTENT = (FollowUp.Result.SATISFIED, FollowUp.Result.BASICALLY)
GROUPS = {
    "department": "case__department_id",
    "street": "case__street_code",
    "community": "case__community_code",
}
FIELDS = {"department": "department_id", "street": "street_code", "community": "community_code"}
EMPTY = {"rated": 0, "satisfied": 0, "satisfaction_rate": None}
# Counts of cases: the cases whose follow-ups were rated / rated content.
COUNTS = frozenset({"rated", "satisfied"})
BEHIND = {"rated": "rated", "satisfied": "satisfied", "satisfaction_rate": "rated"}


def _rated(start: datetime, end: datetime):
    return FollowUp.objects.filter(done_at__gte=start, done_at__lt=end, result__in=RATED)


def satisfaction(kind: str, start: datetime, end: datetime) -> dict:
    """{department id or area code: {rated, satisfied, satisfaction_rate}}."""
    check_period(start, end)
    group = GROUPS[kind]
    rows = (
        _rated(start, end)
        .exclude(**{f"{group}__isnull": True})
        .values(group)
        .annotate(n=Count("id"), n_content=Count("id", filter=Q(result__in=CONTENT)))
    )
    return {
        r[group]: {
            "rated": r["n"],
            "satisfied": r["n_content"],
            "satisfaction_rate": rate(r["n_content"], r["n"]),
        }
        for r in rows
    }


def cases(kind: str, subject, count: str, start: datetime, end: datetime):
    """The cases behind `rated` or `satisfied` of one department or area."""
    check_period(start, end)
    found = _rated(start, end)
    if count == "satisfied":
        found = found.filter(result__in=CONTENT)
    elif count != "rated":
        raise KeyError(count)
    return Case.objects.filter(**{FIELDS[kind]: subject}, pk__in=found.values("case_id"))
