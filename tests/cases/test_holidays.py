"""A case walked across the National Day holiday and a weekend with its 调休 Saturday, through the
services, on the 2026 schedule shipped in cases/fixtures/cn_holidays.json (国庆节 1–7 October
off, Saturday 10 October a make-up working day)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cases.conftest import photo
from tests.cases.test_lifecycle import report, to_disposing
from urbangrid.cases import services
from urbangrid.cases.models import CaseStep, Step
from urbangrid.catalog.models import CatalogType, TimeLimit

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def two_working_days(org):
    # 暴露垃圾: 2 working days (15 working hours of 08:30–12:00, 13:30–17:30) to clear.
    bins = CatalogType.objects.get(kind="matter", code="06010")
    TimeLimit.objects.filter(type=bins).delete()
    TimeLimit.objects.create(type=bins, value=2, unit=TimeLimit.Unit.WORK_DAYS)
    return org


def test_disposal_deadline_skips_the_national_day_holiday(two_working_days, clock):
    o = two_working_days
    clock.freeze(at(30, 16, month=9))  # Wednesday 30 September, 16:00
    case = to_disposing(o, report(o))
    # Wed 16:00–17:30 is 1.5 h; 1–7 October are off; Thu 8th gives 7.5 h (9 h); Friday 9th
    # 08:30–12:00 and 13:30–16:00 give the last 6 h.
    assert case.disposal_due_at == at(9, 16)
    clock.freeze(at(5, 12))  # in the middle of the holiday nothing is overdue
    assert services.tick()["overdue"] == 0
    clock.freeze(at(9, 15, 59))
    assert services.tick()["overdue"] == 0
    clock.freeze(at(9, 16, 1))
    assert services.tick()["overdue"] == 1


def test_make_up_saturday_counts_and_sunday_does_not(two_working_days, clock):
    o = two_working_days
    clock.freeze(at(9, 16))  # Friday 9 October, 16:00
    case = to_disposing(o, report(o))
    # Fri 16:00–17:30 is 1.5 h; Saturday 10th is a 调休 working day (7.5 h, 9 h); Sunday 11th is
    # off; Monday 12th 08:30–16:00 gives the last 6 h.
    assert case.disposal_due_at == at(12, 16)
    clock.freeze(at(11, 10))  # feedback on Sunday: done early, on time
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    assert CaseStep.objects.get(case=case, step=Step.DISPOSE).on_time is True


def test_feedback_after_the_deadline_is_late_even_out_of_hours(two_working_days, clock):
    o = two_working_days
    clock.freeze(at(9, 16))
    case = to_disposing(o, report(o))
    clock.freeze(at(12, 16) + timedelta(hours=3))  # Monday 19:00
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    assert CaseStep.objects.get(case=case, step=Step.DISPOSE).on_time is False
