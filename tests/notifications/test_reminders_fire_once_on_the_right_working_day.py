"""Reminders are counted in working days (chinese-calendar, National Day 2026: 1-7 October off, Saturday
10 October worked) and sent by the scheduler once each: never twice after a restart, never for a deadline met."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from approvals.models import Supplement
from approvals.roles import SUPERVISOR
from approvals.services import application_accept_lenient, supplement_review, supplement_supply
from notifications.models import Message
from notifications.reminders import reminders_run
from sanctions.models import Violation
from sanctions.services import violation_grade, violation_open_manual, violation_order_rectification
from tests.approvals.factories import UserFactory
from tests.approvals.process import make_matter, matter, png, staff  # noqa: F401
from tests.notifications.helpers import commit, reachable, reachable_person, start  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db

DEADLINE = date(2026, 10, 9)  # Friday after the National Day week


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def lenient(person, matter, staff) -> Supplement:
    application = start(person)
    commit(application, person)
    (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    # issued a month before, due on DEADLINE
    Supplement.objects.filter(pk=supplement.pk).update(deadline=DEADLINE,
                                                       created_at=timezone.now().replace(year=2026, month=9, day=1))
    supplement.refresh_from_db()
    return supplement


def sent_on(event: str, start: date, end: date, **filters) -> dict[date, list[str]]:
    """Run the scheduler each day (twice, as after a restart) and note what each day sent."""
    seen: dict[date, list[str]] = {}
    for day in days(start, end):
        before = set(Message.objects.filter(event=event, **filters).values_list("pk", flat=True))
        reminders_run(today=day, now=timezone.make_aware(datetime.combine(day, datetime.min.time())) +
                      timedelta(hours=9))
        reminders_run(today=day, now=timezone.make_aware(datetime.combine(day, datetime.min.time())) +
                      timedelta(hours=10))
        new = Message.objects.filter(event=event, **filters).exclude(pk__in=before)
        if new:
            seen[day] = list(new.values_list("title", flat=True))
    return seen


def test_supplement_reminders_fire_once_3_and_1_working_days_before_across_the_holiday(
        reachable, matter, staff):
    supplement = lenient(reachable, matter, staff)
    due = sent_on("supplement_due", date(2026, 9, 15), DEADLINE, recipient=reachable.user)
    # 3 working days before 9 October: 29 Sep (30 Sep, 8 Oct, 9 Oct), the holiday week not counted
    assert due == {date(2026, 9, 29): ["提醒：补正材料还剩3个工作日到期"],
                   date(2026, 10, 8): ["提醒：补正材料还剩1个工作日到期"]}
    assert sent_on("supplement_overdue", DEADLINE, DEADLINE + timedelta(days=5)) == {
        date(2026, 10, 10): [f"补正材料逾期：申请#{supplement.application_id}"]}
    message = Message.objects.filter(event="supplement_due").first()
    assert "卫生检测报告" in message.body and "2026-10-09" in message.body and message.deliveries.count() == 2


def test_no_reminder_once_the_supplement_is_supplied_or_accepted(reachable, matter, staff):
    supplement = lenient(reachable, matter, staff)
    assert sent_on("supplement_due", date(2026, 9, 29), date(2026, 9, 29))  # the first one went out
    Supplement.objects.filter(pk=supplement.pk).update(deadline=date(2099, 1, 1))  # let the upload through
    supplement_supply(supplement_id=supplement.pk, upload=png(), by=reachable.user)
    supplement_review(supplement_id=supplement.pk, by=staff, accept=True)
    Supplement.objects.filter(pk=supplement.pk).update(deadline=DEADLINE)
    assert sent_on("supplement_due", date(2026, 9, 30), DEADLINE) == {}
    assert sent_on("supplement_overdue", DEADLINE, DEADLINE + timedelta(days=3)) == {}


def test_rectification_reminders_use_working_days_too(reachable, matter, staff):
    supervisor = UserFactory(role=SUPERVISOR)
    case = violation_open_manual(subject=reachable, kind="untrue", findings="经营场所面积与承诺不符",
                                 evidence="现场核查记录", by=supervisor)
    violation_grade(violation_id=case.pk, by=supervisor)
    violation_order_rectification(violation_id=case.pk, by=supervisor)
    order = Message.objects.get(event="rectification_ordered", recipient=reachable.user)
    assert case.number in order.title
    Violation.objects.filter(pk=case.pk).update(rectification_deadline=date(2026, 10, 12))  # a Monday
    due = sent_on("rectification_due", date(2026, 9, 25), date(2026, 10, 12))
    # 3 working days before Monday 12 Oct: Thursday 8 Oct (9 Oct, the worked Saturday 10 Oct, 12 Oct)
    assert due == {date(2026, 10, 8): ["提醒：整改期限还剩3个工作日"],
                   date(2026, 10, 10): ["提醒：整改期限还剩1个工作日"]}


def test_a_restriction_is_announced_7_days_before_it_ends_and_when_it_has_ended(reachable):
    now = timezone.now()
    ending = RestrictionFactory(subject=reachable, starts_at=now - timedelta(days=170), ends_at=now + timedelta(days=5))
    ended = RestrictionFactory(subject=reachable, starts_at=now - timedelta(days=190), ends_at=now - timedelta(days=2))
    later = RestrictionFactory(subject=reachable, starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=60))
    for _run in range(2):
        reminders_run(today=timezone.localdate(), now=now)
    assert list(Message.objects.filter(event="restriction_ending").values_list("object_id", flat=True)) == [ending.pk]
    assert list(Message.objects.filter(event="restriction_ended").values_list("object_id", flat=True)) == [ended.pk]
    assert not Message.objects.filter(object_id=later.pk, object_type="sanctions.restriction").exists()
    assert "5" in Message.objects.get(event="restriction_ending").body
