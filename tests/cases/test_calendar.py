"""Deadlines on the county's working calendar: 08:30–12:00 and 13:30–17:30 (7.5 working hours a
day), Saturday and Sunday off, 1 工作日 = 8 工作时, warning at 80 %, with the State Council's
2025 and 2026 holidays and make-up working days.

Weekdays used below: 2026-11-26 is a Thursday, 11-27 Friday, 11-28/29 the weekend, 11-30 Monday.
2026 国庆节 is Thu 10-01 … Wed 10-07 off, with Sat 10-10 a make-up working day; 2026 春节 is
Sun 02-15 … Mon 02-23 off, with Sat 02-14 and Sat 02-28 make-up working days.
"""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbangrid.cases import calendar as cal_module
from urbangrid.cases.calendar import (
    Calendar,
    Light,
    calendar_for,
    default_calendar,
    holiday_schedule,
    load_holidays,
)
from urbangrid.cases.models import CalendarDay, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600
DAY = 7.5 * HOUR  # working time of one working day on the county calendar


def at(y, mo, d, h=0, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=SHANGHAI)


def county_row(**fields) -> WorkCalendar:
    values = dict(
        code="county",
        name="县数字城管工作日历",
        morning_start=time(8, 30),
        morning_end=time(12, 0),
        afternoon_start=time(13, 30),
        afternoon_end=time(17, 30),
        weekend=[6, 7],
        workday_hours=Decimal("8"),
        warning_ratio=Decimal("0.80"),
        is_default=False,
    )
    values.update(fields)
    return WorkCalendar(**values)


# Built without the database, so hypothesis can call it freely; `test_database_calendar_is_the_same`
# ties it to the rows load_holidays writes.
PURE = Calendar.build(county_row(), [CalendarDay(**day) for day in holiday_schedule()])


@pytest.fixture(autouse=True)
def _fresh_cache():
    # A test's rows are rolled back without post_delete signals: neither take a cached calendar
    # from the test before nor leave one to the test after.
    cal_module.invalidate()
    yield
    cal_module.invalidate()


@pytest.fixture
def county(db) -> WorkCalendar:
    WorkCalendar.objects.update(is_default=False)  # the county calendar is the one default
    row = county_row(is_default=True)
    row.save()
    load_holidays(row)
    return row


@pytest.fixture
def cal(county) -> Calendar:
    return calendar_for(county)


# -- the official schedule ---------------------------------------------------------------------


def test_fixture_names_its_notice_and_verification():
    data = json.loads(cal_module.HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert sorted(data["years"]) == ["2025", "2026"]  # 2027: no official notice found yet
    for year, entry in data["years"].items():
        assert f"{year}年部分节假日安排的通知" in entry["notice"]
        assert entry["verified"] is True


def test_every_make_up_day_is_a_weekend_day_and_every_holiday_counts():
    days = holiday_schedule()
    workdays = [d["date"] for d in days if d["kind"] == "workday"]
    assert all(d.isoweekday() in (6, 7) for d in workdays)
    holidays = {
        year: [d for d in days if d["kind"] == "holiday" and d["date"].year == year] for year in (2025, 2026)
    }
    # 2025: 元旦 1 + 春节 8 + 清明 3 + 劳动 5 + 端午 3 + 国庆中秋 8 = 28 days off in the notice.
    assert len(holidays[2025]) == 28
    # 2026: 元旦 3 + 春节 9 + 清明 3 + 劳动 5 + 端午 3 + 中秋 3 + 国庆 7 = 33.
    assert len(holidays[2026]) == 33
    assert sorted(workdays[5:]) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_2026_spring_festival_is_the_notice_s_nine_days():
    spring = [d["date"] for d in holiday_schedule([2026]) if d["name"] == "春节" and d["kind"] == "holiday"]
    assert spring == [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]


def test_asking_for_a_year_without_a_notice_is_refused_and_writes_nothing(db):
    row = county_row()
    row.save()
    with pytest.raises(ValueError, match="2027"):
        load_holidays(row, years=[2026, 2027])
    assert not CalendarDay.objects.filter(calendar=row).exists()


def test_loading_twice_keeps_one_row_per_date_and_restores_edited_days(county):
    assert CalendarDay.objects.filter(calendar=county).count() == 28 + 5 + 33 + 6
    CalendarDay.objects.filter(calendar=county, date=date(2026, 10, 1)).update(kind="workday", name="改错")
    local = CalendarDay.objects.create(calendar=county, date=date(2026, 12, 7), kind="holiday", name="县庆")
    assert load_holidays(county, years=[2026]) == 39
    assert CalendarDay.objects.filter(calendar=county).count() == 28 + 5 + 33 + 6 + 1
    restored = CalendarDay.objects.get(calendar=county, date=date(2026, 10, 1))
    assert (restored.kind, restored.name) == ("holiday", "国庆节")
    assert CalendarDay.objects.filter(pk=local.pk).exists()  # a local day on another date stays


def test_the_shipped_default_calendar_carries_the_official_schedule(db):
    # The data migration creates it through load_holidays with historical models.
    shipped = default_calendar()
    assert shipped.holidays == PURE.holidays and shipped.workdays == PURE.workdays
    assert shipped.deadline(at(2026, 9, 30, 16), 8, "work_hours") == at(2026, 10, 8, 16, 30)


def test_database_calendar_is_the_same(cal):
    assert (cal.holidays, cal.workdays, cal.periods, cal.weekend) == (
        PURE.holidays,
        PURE.workdays,
        PURE.periods,
        PURE.weekend,
    )


# -- days --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (date(2026, 11, 26), True),  # an ordinary Thursday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 10, 1), False),  # 国庆节, a Thursday
        (date(2026, 10, 10), True),  # make-up Saturday
        (date(2026, 9, 20), True),  # make-up Sunday
        (date(2027, 10, 1), True),  # 2027 holidays are not loaded: a plain Friday works
    ],
)
def test_working_days(cal, day, works):
    assert cal.is_working_day(day) is works


def test_working_periods_are_aware_local_times(cal):
    assert cal.working_periods(date(2026, 10, 10)) == [
        (at(2026, 10, 10, 8, 30), at(2026, 10, 10, 12)),
        (at(2026, 10, 10, 13, 30), at(2026, 10, 10, 17, 30)),
    ]
    assert cal.working_periods(date(2026, 10, 1)) == []


# -- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected", "why"),
    [
        (at(2026, 11, 26, 10), 1, at(2026, 11, 26, 11), "within the morning"),
        (at(2026, 11, 26, 10), 2, at(2026, 11, 26, 12), "ends at noon, not after lunch"),
        (at(2026, 11, 26, 11), 2, at(2026, 11, 26, 14, 30), "1 h before lunch, 1 h after 13:30"),
        (at(2026, 11, 26, 8, 30), 7.5, at(2026, 11, 26, 17, 30), "a full day ends at 17:30 that day"),
        (at(2026, 11, 27, 16), 4, at(2026, 11, 30, 11), "Fri 1.5 h, weekend, Mon 08:30 + 2.5 h"),
        (at(2026, 9, 30, 16), 8, at(2026, 10, 8, 16, 30), "Wed 1.5 h, 国庆 off, Thu 10-08 3.5 h + 3 h"),
        (at(2026, 10, 9, 16), 4, at(2026, 10, 10, 11), "Fri 1.5 h, make-up Sat 10-10 08:30 + 2.5 h"),
        (at(2026, 2, 13, 16), 4, at(2026, 2, 14, 11), "Fri 1.5 h, make-up Sat 02-14 + 2.5 h"),
        (at(2026, 2, 14, 16), 4, at(2026, 2, 24, 11), "Sat 1.5 h, 春节 02-15…02-23 off, Tue + 2.5 h"),
        (at(2026, 11, 26, 20), 1, at(2026, 11, 27, 9, 30), "evening start counts from 08:30"),
        (at(2026, 11, 26, 7), 1, at(2026, 11, 26, 9, 30), "early start counts from 08:30"),
        (at(2026, 11, 26, 12, 30), 1, at(2026, 11, 26, 14, 30), "lunch start counts from 13:30"),
        (at(2026, 11, 29, 10), 1, at(2026, 11, 30, 9, 30), "Sunday start counts from Monday"),
        (at(2026, 10, 3, 10), 1, at(2026, 10, 8, 9, 30), "holiday start counts from Thu 10-08"),
        (at(2026, 11, 26, 10, 59, 59), 1, at(2026, 11, 26, 11, 59, 59), "to the second"),
        (at(2026, 11, 26, 11, 59, 59), 1, at(2026, 11, 26, 14, 29, 59), "1 s before lunch"),
        (at(2026, 11, 26, 10), 0.01, at(2026, 11, 26, 10, 0, 36), "0.01 h is 36 s"),
        (at(2026, 11, 26, 10), Fraction(5, 7200), at(2026, 11, 26, 10, 0, 3), "2.5 s round up to 3 s"),
        (at(2026, 11, 26, 10), 0, at(2026, 11, 26, 10), "no limit, no time"),
    ],
)
def test_work_hour_deadlines(cal, start, hours, expected, why):
    assert cal.deadline(start, hours, "work_hours") == expected, why


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        # 16 h: Thu 10:00–12:00 and 13:30–17:30 (6 h), Fri 7.5 h, Mon 08:30 + 2.5 h.
        (at(2026, 11, 26, 10), 2, at(2026, 11, 30, 11), "two 工作日"),
        # 4 h: 10:00–12:00, then 13:30 + 2 h.
        (at(2026, 11, 26, 10), Decimal("0.5"), at(2026, 11, 26, 15, 30), "half a 工作日"),
        # 8 h, but the county's day has 7.5 working hours: the last half hour falls on Friday.
        (at(2026, 11, 26, 8, 30), 1, at(2026, 11, 27, 9), "one 工作日 is 8 h, longer than a day"),
        # 1/3 工作日 = 8/3 h = 2 h 40 min: 10:00–12:00, then 13:30 + 40 min.
        (at(2026, 11, 26, 10), Fraction(1, 3), at(2026, 11, 26, 14, 10), "fractions are exact"),
    ],
)
def test_work_day_deadlines(cal, start, days, expected, why):
    assert cal.deadline(start, days, "work_days") == expected, why


def test_natural_hours_ignore_nights_and_holidays(cal):
    # 国庆节 eve 22:00 + 24 h is 22:00 on the holiday itself.
    assert cal.deadline(at(2026, 9, 30, 22), 24, "natural_hours") == at(2026, 10, 1, 22)
    assert cal.deadline(at(2026, 11, 28, 23, 30), 0.5, "natural_hours") == at(2026, 11, 29)
    assert cal.natural_seconds(at(2026, 9, 30, 22), at(2026, 10, 1, 22)) == 24 * HOUR


def test_workday_hours_come_from_the_calendar(db):
    row = county_row(workday_hours=Decimal("7.5"))
    row.save()
    # With 1 工作日 = 7.5 h a day's limit started at 08:30 ends at 17:30 the same day.
    assert calendar_for(row).deadline(at(2026, 11, 26, 8, 30), 1, "work_days") == at(2026, 11, 26, 17, 30)


def test_deadlines_return_the_calendar_time_zone_for_any_input_zone(cal):
    start_utc = at(2026, 11, 26, 10).astimezone(ZoneInfo("UTC"))
    result = cal.deadline(start_utc, 1, "work_hours")
    assert result == at(2026, 11, 26, 11)
    assert result.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.deadline(datetime(2026, 11, 26, 10), 1, "work_hours"), "aware"),
        (lambda c: c.deadline(at(2026, 11, 26, 10), 1, "fortnights"), "fortnights"),
        (lambda c: c.deadline(at(2026, 11, 26, 10), -1, "work_hours"), "negative"),
        (lambda c: c.working_seconds(at(2026, 11, 26), datetime(2026, 11, 27)), "aware"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(PURE)


# -- working time ------------------------------------------------------------------------------


def test_working_seconds(cal):
    assert cal.working_seconds(at(2026, 11, 26, 10), at(2026, 11, 27, 10)) == DAY  # 24 h, one day
    assert cal.working_seconds(at(2026, 11, 27, 10), at(2026, 11, 26, 10)) == 0  # reversed
    assert cal.working_seconds(at(2026, 11, 28, 9), at(2026, 11, 29, 17)) == 0  # the weekend
    # Wed 09-30 16:00 to Thu 10-08 09:00: 1.5 h on Wednesday, 0.5 h on Thursday, the holiday between.
    assert cal.working_seconds(at(2026, 9, 30, 16), at(2026, 10, 8, 9)) == 2 * HOUR


def test_a_whole_year_is_its_working_days(cal):
    # 2026: 261 weekdays, 19 of them off (元旦 2, 春节 6, 清明 1, 劳动 3, 端午 1, 中秋 1, 国庆 5)
    # and 6 make-up weekend days: 248 working days.
    assert cal.working_seconds(at(2026, 1, 1), at(2027, 1, 1)) == 248 * DAY
    # 2025: 261 weekdays, 18 off (元旦 1, 春节 6, 清明 1, 劳动 3, 端午 1, 国庆中秋 6), 5 make-up days.
    assert cal.working_seconds(at(2025, 1, 1), at(2026, 1, 1)) == 248 * DAY


def slow_working_seconds(calendar: Calendar, a: datetime, b: datetime) -> float:
    """A day-by-day reference: the overlap of [a, b] with each day's working periods."""
    total = timedelta(0)
    day = a.astimezone(SHANGHAI).date()
    while day <= b.astimezone(SHANGHAI).date():
        for start, end in calendar.working_periods(day):
            total += max(min(end, b) - max(start, a), timedelta(0))
        day += timedelta(days=1)
    return total.total_seconds()


instants = st.datetimes(
    min_value=datetime(2024, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)
limits = st.integers(min_value=0, max_value=int(60 * DAY))  # up to about three months of work


@settings(max_examples=200, deadline=None)
@given(a=instants, span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))
def test_working_seconds_match_the_day_by_day_sum(a, span):
    assert PURE.working_seconds(a, a + span) == pytest.approx(
        slow_working_seconds(PURE, a, a + span), abs=1e-6
    )


@settings(max_examples=200, deadline=None)
@given(start=instants, seconds=limits)
def test_working_time_to_the_deadline_is_the_limit(start, seconds):
    end = PURE.deadline(start, Fraction(seconds, HOUR), "work_hours")
    assert PURE.working_seconds(start, end) == seconds
    if seconds:
        # The deadline is the first moment the limit is used up: a second earlier, it was not.
        assert PURE.working_seconds(start, end - timedelta(seconds=1)) < seconds
        local = end.astimezone(SHANGHAI)
        assert any(a < local <= b for a, b in PURE.working_periods(local.date()))


@settings(max_examples=200, deadline=None)
@given(a=instants, b=instants, seconds=limits, more=limits)
def test_deadlines_are_monotonic(a, b, seconds, more):
    early, late = sorted((a, b))
    assert PURE.deadline(early, seconds / HOUR, "work_hours") <= PURE.deadline(
        late, seconds / HOUR, "work_hours"
    )
    assert PURE.deadline(a, seconds / HOUR, "work_hours") <= PURE.deadline(
        a, (seconds + more) / HOUR, "work_hours"
    )


# -- lights, pauses, extensions ----------------------------------------------------------------

# A 10-hour limit from Thu 08:30: Thursday's 7.5 h, then Friday 08:30 + 2.5 h = Fri 11:00. 80 % of
# it, 8 h, is used at Fri 09:00.
START, DEADLINE = at(2026, 11, 26, 8, 30), at(2026, 11, 27, 11)


def test_ten_hours_from_thursday_morning(cal):
    assert cal.deadline(START, 10, "work_hours") == DEADLINE


@pytest.mark.parametrize(
    ("now", "light", "share"),
    [
        (at(2026, 11, 26, 8, 0), Light.GREEN, 0),  # before the clock starts
        (at(2026, 11, 26, 17, 30), Light.GREEN, 0.75),  # 7.5 h of 10
        (at(2026, 11, 27, 8, 59, 59), Light.GREEN, (8 * HOUR - 1) / (10 * HOUR)),
        (at(2026, 11, 27, 9), Light.YELLOW, 0.8),  # exactly the warning ratio
        (at(2026, 11, 27, 10, 59, 59), Light.YELLOW, (10 * HOUR - 1) / (10 * HOUR)),
        (at(2026, 11, 27, 11), Light.RED, 1.0),  # the deadline itself
        (at(2026, 11, 28, 12), Light.RED, 1.5),  # Saturday: Fri 11:00–12:00 and 13:30–17:30, 5 h over
    ],
)
def test_lights(cal, now, light, share):
    assert cal.light(START, DEADLINE, now, "work_hours") == light
    assert cal.progress(START, DEADLINE, now, "work_hours") == pytest.approx(share)


def test_lights_in_natural_hours(cal):
    # An urgent 2-hour limit from 22:00: 80 % at 23:36, overdue at midnight, holiday or not.
    start, end = at(2026, 9, 30, 22), at(2026, 10, 1, 0)
    assert cal.light(start, end, at(2026, 9, 30, 23, 35), "natural_hours") == Light.GREEN
    assert cal.light(start, end, at(2026, 9, 30, 23, 36), "natural_hours") == Light.YELLOW
    assert cal.light(start, end, at(2026, 10, 1, 0), "natural_hours") == Light.RED


def test_the_warning_ratio_comes_from_the_calendar(county):
    county.warning_ratio = Decimal("0.50")
    county.save()
    # 5 of 10 hours are used at Thu 13:30 + 1.5 h = 15:00.
    assert calendar_for(county).light(START, DEADLINE, at(2026, 11, 26, 15), "work_hours") == Light.YELLOW


def test_a_pause_moves_the_deadline_by_the_working_time_paused(cal):
    # 挂账 from Thu 16:00 to Fri 10:00: 1.5 h on Thursday + 1.5 h on Friday = 3 h of working time.
    paused_at, resumed_at = at(2026, 11, 26, 16), at(2026, 11, 27, 10)
    paused = cal.elapsed(paused_at, resumed_at, "work_hours")
    assert paused == 3 * HOUR
    # Fri 11:00 + 3 h: 11:00–12:00, then 13:30 + 2 h.
    moved = cal.after_pause(DEADLINE, paused_at, resumed_at, "work_hours")
    assert moved == at(2026, 11, 27, 15, 30) == cal.shift(DEADLINE, paused, "work_hours")
    # The share used does not jump while the clock stands still: 6 h of 10 before and after.
    before = cal.progress(START, DEADLINE, paused_at, "work_hours")
    after = cal.progress(START, moved, resumed_at, "work_hours", paused_seconds=paused)
    assert before == after == 0.6


def test_a_pause_over_a_weekend_costs_no_working_time_in_natural_hours_it_does(cal):
    saturday, sunday = at(2026, 11, 28, 9), at(2026, 11, 29, 9)
    assert cal.after_pause(DEADLINE, saturday, sunday, "work_hours") == DEADLINE
    urgent = at(2026, 11, 28, 10)
    assert cal.after_pause(urgent, saturday, sunday, "natural_hours") == at(2026, 11, 29, 10)


def test_an_extension_adds_a_limit_to_the_current_deadline(cal):
    # 延期 by 1 工作日 (8 h) from Fri 11:00: Friday 1 h + 4 h, Monday 08:30 + 3 h = 11:30.
    assert cal.deadline(DEADLINE, 1, "work_days") == at(2026, 11, 30, 11, 30)


def test_time_left_and_time_overdue(cal):
    # Thu 10:00 to Fri 11:00: 2 h + 4 h + 2.5 h.
    assert cal.remaining_seconds(at(2026, 11, 26, 10), DEADLINE, "work_hours") == 8.5 * HOUR
    # Mon 09:30 is Fri 11:00–12:00, 13:30–17:30 and Mon 08:30–09:30 past it.
    assert cal.remaining_seconds(at(2026, 11, 30, 9, 30), DEADLINE, "work_hours") == -6 * HOUR
    assert cal.remaining_seconds(at(2026, 11, 27, 12), DEADLINE, "natural_hours") == -HOUR


# -- other shapes of calendar ------------------------------------------------------------------


def test_a_six_day_week_with_one_period(db):
    row = county_row(
        code="six",
        morning_start=time(9),
        morning_end=time(17),
        afternoon_start=time(17),
        afternoon_end=time(17),
        weekend=[7],
        is_default=False,
    )
    row.save()
    six = calendar_for(row)
    assert six.working_periods(date(2026, 11, 28)) == [(at(2026, 11, 28, 9), at(2026, 11, 28, 17))]
    # Sat 16:00 + 2 h: 1 h on Saturday, Sunday off, Monday 09:00 + 1 h.
    assert six.deadline(at(2026, 11, 28, 16), 2, "work_hours") == at(2026, 11, 30, 10)


def test_an_unsaved_calendar_with_the_model_defaults_builds():
    # Until the row is saved and read back its defaults are the strings "08:30" … and the float 0.8.
    plain = Calendar.build(WorkCalendar(code="x", name="x", weekend=[6, 7]), [])
    assert plain.working_seconds(at(2026, 11, 26), at(2026, 11, 27)) == DAY
    # 80 % of 10 h is used at Fri 09:00: yellow exactly there, not a hair later.
    assert plain.light(START, DEADLINE, at(2026, 11, 27, 9), "work_hours") == Light.YELLOW


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"afternoon_start": time(11), "afternoon_end": time(14)}, "overlaps"),
        ({"morning_start": time(12), "morning_end": time(8)}, "ends before it starts"),
        ({"weekend": [1, 2, 3, 4, 5, 6, 7]}, "every weekday"),
        ({"weekend": [0, 6]}, "ISO weekdays"),
        ({"workday_hours": Decimal("0")}, "positive"),
        ({"workday_hours": Decimal("7.123")}, "to the second"),  # 25,642.8 s
        ({"warning_ratio": Decimal("0")}, "warning ratio"),
        ({"warning_ratio": Decimal("1.2")}, "warning ratio"),
        (
            {
                "morning_start": time(9),
                "morning_end": time(9),
                "afternoon_start": time(14),
                "afternoon_end": time(14),
            },
            "no working time",
        ),
    ],
)
def test_calendars_that_cannot_give_a_deadline_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        Calendar.build(county_row(**fields), [])


# -- cache -------------------------------------------------------------------------------------


def test_the_default_calendar_follows_admin_changes(county):
    monday = date(2026, 12, 7)
    before = default_calendar()
    assert before.is_working_day(monday)
    assert default_calendar() is before  # cached

    day = CalendarDay.objects.create(calendar=county, date=monday, kind="holiday", name="县庆")
    after = default_calendar()
    assert not after.is_working_day(monday)
    assert after.deadline(at(2026, 12, 4, 17), 1, "work_hours") == at(2026, 12, 8, 9)  # Fri → Tue
    assert before.is_working_day(monday)  # a Calendar already handed out does not change

    day.delete()
    assert default_calendar().is_working_day(monday)


def test_moving_the_default_flag_moves_the_default_calendar(county):
    assert default_calendar().code == "county"
    other = county_row(code="city", name="市级工作日历", is_default=False)
    other.save()
    WorkCalendar.objects.filter(pk=county.pk).update(is_default=False)  # no signal: bulk update
    other.is_default = True
    other.save()  # the signal clears the cache
    assert default_calendar().code == "city"


def test_no_default_calendar_is_an_error(db):
    WorkCalendar.objects.update(is_default=False)
    with pytest.raises(WorkCalendar.DoesNotExist):
        default_calendar()


def test_changes_made_by_another_process_are_seen_after_the_refresh_interval(county, monkeypatch):
    monday = date(2026, 12, 7)
    assert default_calendar().is_working_day(monday)
    # Another process's insert sends no signal here; bulk_create sends none either.
    CalendarDay.objects.bulk_create([CalendarDay(calendar=county, date=monday, kind="holiday", name="县庆")])
    assert default_calendar().is_working_day(monday)  # still the cached calendar
    monkeypatch.setattr(cal_module, "REFRESH_SECONDS", 0.0)
    assert not default_calendar().is_working_day(monday)
