"""Working time from intake to decision on the approvals working-day calendar, and the nearest-rank percentiles."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings as hsettings, strategies as st

from approvals.services import working_days_between
from supervision.selectors import percentile
from supervision.services import WorkingCalendar, bucket

pytestmark = pytest.mark.django_db


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def test_rest_days_are_not_counted():
    calendar = WorkingCalendar()
    friday, wednesday = date(2026, 3, 13), date(2026, 3, 18)
    # 8 h of Friday, Monday and Tuesday whole, 10 h of Wednesday
    assert calendar.minutes_between(local(friday, 16), local(wednesday, 10)) == 8 * 60 + 2 * 1440 + 10 * 60
    assert calendar.minutes_between(local(friday, 9), local(friday, 9, 25)) == 25
    saturday = date(2026, 3, 14)
    assert calendar.minutes_between(local(saturday, 10), local(saturday, 11)) == 0  # online on a rest day
    assert calendar.minutes_between(local(saturday, 10), local(date(2026, 3, 16), 9, 30)) == 9 * 60 + 30
    # National Day 2026: 1-7 October off (chinese-calendar), so 30 September 17:00 to 8 October 09:00 is 7 h + 9 h
    assert calendar.minutes_between(local(date(2026, 9, 30), 17), local(date(2026, 10, 8), 9)) == 7 * 60 + 9 * 60
    assert calendar.days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


@hsettings(max_examples=40, deadline=None)
@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)), length=st.integers(0, 60))
def test_working_days_agree_with_the_approvals_calendar(start, length):
    end = start + timedelta(days=length)
    assert WorkingCalendar().days_between(start, end) == working_days_between(start, end)


def test_days_the_calendar_does_not_cover_give_no_working_time():
    calendar = WorkingCalendar()
    assert calendar.days_between(date(2099, 1, 1), date(2099, 1, 5)) is None  # not declared: not guessed
    assert calendar.minutes_between(local(date(2099, 1, 2), 9), local(date(2099, 1, 5), 9)) is None


def test_nearest_rank_percentiles_and_buckets():
    assert percentile([(10, 1), (25, 1), (45, 1), (60, 1), (3960, 1)], 0.5) == 45
    assert percentile([(10, 1), (25, 1), (45, 1), (60, 1), (3960, 1)], 0.9) == 3960
    assert percentile([(5, 9), (100, 1)], 0.9) == 5 and percentile([(5, 9), (100, 1)], 0.91) == 100
    assert percentile([], 0.5) is None
    assert bucket(479) == 479 and bucket(481) == 480 and bucket(3999) == 3960
