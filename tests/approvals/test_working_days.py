"""Deadlines in working days follow the State Council schedule, 调休 included (2026 schedule)."""

from datetime import date

import pytest

from approvals.models import CalendarDay, CalendarYear
from approvals.services import (
    CalendarNotCovered, add_working_days, calendar_year_declare_provisional, is_working_day, working_days_between,
)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar_as_shipped]


def test_make_up_working_sunday_after_new_year_counts():
    # 2026-01-01..03 holiday; Sunday 01-04 is a make-up working day
    assert is_working_day(date(2026, 1, 4))
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_spring_festival_is_skipped_and_the_saturday_before_it_worked():
    # Sat 02-14 is worked; 02-15..02-23 is the holiday; Sat 02-28 is worked
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 6) == date(2026, 2, 28)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(date(2026, 5, 6), 0) == date(2026, 5, 6)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 5, 6), -1)


def test_long_spans_cross_several_holidays():
    # 60 working days from 2026-09-01 crosses National Day (10-01..10-07) and the 调休 Saturday 10-10
    day = add_working_days(date(2026, 9, 1), 60)
    assert working_days_between(date(2026, 9, 1), day) == 60
    assert is_working_day(date(2026, 10, 10)) and not is_working_day(date(2026, 10, 5))


def test_a_year_nobody_declared_raises_instead_of_guessing():
    with pytest.raises(CalendarNotCovered, match="2027"):
        add_working_days(date(2026, 12, 30), 5)


def test_an_administrator_override_wins_over_the_package():
    CalendarDay.objects.create(date=date(2026, 6, 1), is_working_day=False, name="地方性假日")
    assert not is_working_day(date(2026, 6, 1))
    assert add_working_days(date(2026, 5, 29), 1) == date(2026, 6, 2)


def test_a_declared_year_uses_weekends_and_the_administrators_days():
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(date=date(2027, 2, 20), is_working_day=True, name="调休上班")
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert is_working_day(date(2027, 2, 20))


def test_provisional_year_takes_statutory_holidays_and_is_marked():
    year = calendar_year_declare_provisional(year=2027)
    assert year.provisional
    assert not is_working_day(date(2027, 2, 8))  # Spring Festival 2027
    assert is_working_day(date(2027, 3, 1))
