"""Working days per the Chinese calendar, including 调休 make-up working weekends.

chinese-calendar knows the State Council schedules it shipped with; an administrator adds the rest
(CalendarYear + CalendarDay) when each year's schedule is published. A date nobody knows raises."""

from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from ..models import CalendarDay, CalendarYear


class CalendarNotCovered(Exception):
    """The working-day calendar does not cover this date; counting weekends only would be wrong."""

    def __init__(self, day: date):
        self.day = day
        super().__init__(
            _(
                "The working-day calendar does not cover %(year)d yet. An administrator must enter that "
                "year's holiday schedule (Admin → Calendar years) before deadlines can be computed."
            )
            % {"year": day.year}
        )


class _Calendar:
    """Answers for a span of dates with one query for the administrator's rulings."""

    def __init__(self, start: date, end: date):
        self.end = end
        self.overrides = dict(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
        )
        self.declared_years = set(
            CalendarYear.objects.filter(year__gte=start.year, year__lte=end.year).values_list("year", flat=True)
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.declared_years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarNotCovered(day) from None


def is_working_day(day: date) -> bool:
    return _Calendar(day, day).is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (start itself not counted); n=0 gives start.

    The one function every deadline in working days goes through."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    span = timedelta(days=n * 2 + 30)  # covers a Spring Festival or National Day break; extended if not
    calendar = _Calendar(start, start + span)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day > calendar.end:
            calendar = _Calendar(day, day + span)
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    calendar = _Calendar(start, end)
    return sum(1 for i in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=i)))


def calendar_year_declare_provisional(*, year: int, by=None) -> CalendarYear:
    """Declare a year chinese-calendar does not know yet, with the statutory holidays the `holidays`
    package computes (no 调休 make-up days). Marked provisional: an administrator replaces it with the
    State Council's schedule when that is published. Does nothing to a year already declared."""
    import holidays

    from django.db import transaction

    with transaction.atomic():
        declared, created = CalendarYear.objects.get_or_create(
            year=year,
            defaults={"source": _("Provisional: statutory holidays computed by the holidays package; "
                                  "replace with the State Council schedule"), "provisional": True, "declared_by": by},
        )
        if created:
            for day, name in sorted(holidays.China(years=year, language="zh_CN").items()):
                CalendarDay.objects.get_or_create(date=day, defaults={"is_working_day": False, "name": name})
    return declared


def calendar_covers(day: date) -> bool:
    try:
        is_working_day(day)
    except CalendarNotCovered:
        return False
    return True
