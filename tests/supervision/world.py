"""A small authority built through the services, at known times, whose figures are counted by hand below.

Friday F (a working day followed by a weekend, then three working days), about four months ago:
  a1 online  [WS]      notify-and-commit, decided F 09:25            (on the spot, 25 min)
  a2 counter [WS, GH]  lenient (both deferred materials supplied and accepted), decided F 11:00 (on the spot, 60 min)
  a3 counter [WS]      lenient (material still missing), decided F 14:10 (on the spot, 10 min)
  a4 counter [GH]      standard review, decided Wednesday 10:00 (8 h Friday + Mon + Tue + 10 h = 3960 min)
  a5 online  [GH]      standard review, rejected Monday 09:45 (45 min)
  a6 online  [WS]      notify-and-commit; restricted before the decision: the decision check refuses (entitlement
                       changed), still open
  a7 counter [WS]      notify-and-commit, terminated Monday
  a8 online  [GH]      checked, no mode chosen
Then, today: a draw over WS licences; a1's check compliant, a3's non-compliant (a violation "untrue" and a
restriction); an identity case against a4's applicant graded to level 3 and revoked (key supervision), its
objection rejected, a repair filed."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import time_machine
from django.utils import timezone

from approvals.roles import INSPECTOR, SUPERVISOR
from approvals.services import (
    EntitlementChanged, application_accept_lenient, application_choose_commitment, application_choose_standard,
    application_decide, application_reject, application_start, application_terminate, calendar_covers,
    calendar_year_declare_provisional, is_working_day, signature_sign, supplement_review, supplement_supply,
)
from inspections.models import Obligation
from inspections.services import draw_define, record_item, record_open, record_sign
from sanctions.services import (
    objection_decide, objection_file, repair_file, violation_grade, violation_open_manual, violation_revoke,
)
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, png
from tests.inspections.drawing import run_draw
from tests.sanctions.factories import RestrictionFactory

WS_DEPARTMENT, GH_DEPARTMENT = "市卫生健康委员会", "市自然资源和规划局"


def friday_before(today: date) -> date:
    """A Friday at least 120 days back whose weekend is a rest and the next three days working days."""
    day = today - timedelta(days=120)
    while True:
        day -= timedelta(days=1)
        if not calendar_covers(day) or not calendar_covers(day + timedelta(days=5)):
            calendar_year_declare_provisional(year=day.year)
            calendar_year_declare_provisional(year=(day + timedelta(days=5)).year)
        pattern = [is_working_day(day + timedelta(days=i)) for i in range(6)]
        if day.weekday() == 4 and pattern == [True, False, False, True, True, True]:
            return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@dataclass
class World:
    friday: date
    apps: dict
    ws: object
    gh: object
    people: dict
    staff: object
    supervisor: object
    violations: dict
    objection: object
    repair: object


def commit(application, person):
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)


def deferred(version):
    return version.materials.get(kind="deferrable")


def build() -> World:
    friday = friday_before(timezone.localdate())
    monday, wednesday = friday + timedelta(days=3), friday + timedelta(days=5)
    with time_machine.travel(at(friday, 8), tick=False):
        ws = make_matter(code="WS-001", matter__department=WS_DEPARTMENT)
        gh = make_matter(code="GH-002", matter__department=GH_DEPARTMENT)
        staff = UserFactory(role="window_staff")
        supervisor = UserFactory(role=SUPERVISOR)
        people = {}
        for n in range(1, 7):
            people[n] = PersonFactory(user=UserFactory())
            CreditGradeFactory(subject=people[n], grade="A")
    apps = {}

    def start(n, person, codes, channel, when):
        with time_machine.travel(when, tick=False):
            by = staff if channel == "counter" else people[person].user
            apps[n] = application_start(subject_id=people[person].pk, matter_codes=codes, channel=channel, by=by)
        return apps[n]

    def travel(when):
        return time_machine.travel(when, tick=False)

    a1 = start(1, 1, ["WS-001"], "online", at(friday, 9))
    with travel(at(friday, 9, 5)):
        commit(a1, people[1])
    with travel(at(friday, 9, 25)):
        application_decide(application_id=a1.pk, by=staff)

    a2 = start(2, 2, ["WS-001", "GH-002"], "counter", at(friday, 10))
    with travel(at(friday, 10, 5)):
        commit(a2, people[2])
        supplements = application_accept_lenient(application_id=a2.pk, by=staff,
                                                 missing_material_ids=[deferred(ws).pk, deferred(gh).pk])
    with travel(at(friday, 10, 30)):
        for supplement in supplements:
            supplement_supply(supplement_id=supplement.pk, upload=png(), by=people[2].user)
            supplement_review(supplement_id=supplement.pk, by=staff, accept=True)
    with travel(at(friday, 11)):
        application_decide(application_id=a2.pk, by=staff)

    a3 = start(3, 3, ["WS-001"], "counter", at(friday, 14))
    with travel(at(friday, 14, 5)):
        commit(a3, people[3])
        application_accept_lenient(application_id=a3.pk, by=staff, missing_material_ids=[deferred(ws).pk])
    with travel(at(friday, 14, 10)):
        application_decide(application_id=a3.pk, by=staff)

    a4 = start(4, 4, ["GH-002"], "counter", at(friday, 16))
    with travel(at(friday, 16, 1)):
        application_choose_standard(application_id=a4.pk, by=staff)
    with travel(at(wednesday, 10)):
        application_decide(application_id=a4.pk, by=staff)

    a5 = start(5, 5, ["GH-002"], "online", at(monday, 9))
    with travel(at(monday, 9, 1)):
        application_choose_standard(application_id=a5.pk, by=people[5].user)
    with travel(at(monday, 9, 45)):
        application_reject(application_id=a5.pk, by=staff, reason="规划条件不符")

    a6 = start(6, 6, ["WS-001"], "online", at(monday, 10))
    with travel(at(monday, 10, 5)):
        commit(a6, people[6])
        RestrictionFactory(subject=people[6], starts_at=timezone.now() - timedelta(seconds=1),
                           ends_at=timezone.now() + timedelta(days=3650), key_supervision=False)
    with travel(at(monday, 10, 10)):
        try:
            application_decide(application_id=a6.pk, by=staff)
        except EntitlementChanged:
            pass

    a7 = start(7, 1, ["WS-001"], "counter", at(monday, 11))
    with travel(at(monday, 11, 5)):
        commit(a7, people[1])
        application_terminate(application_id=a7.pk, by=staff, reason="申请人撤回申请")

    start(8, 2, ["GH-002"], "online", at(monday, 15))

    # today: verification of the WS licences issued that Friday
    pool = [UserFactory(role=INSPECTOR) for _ in range(2)]
    draw = draw_define(by=supervisor, title="核查", matters=[ws.matter], issued_from=friday, issued_to=friday,
                       inspectors=pool, inspectors_per_target=2, seed_number="20260101")
    run_draw(draw_id=draw.pk, by=supervisor)
    for app, result in ((a1, "met"), (a3, "not_met")):
        obligation = Obligation.objects.get(licence__application_matter__application=app)
        record = record_open(obligation_id=obligation.pk, by=pool[0])
        for item in record.items.all():
            record_item(record_id=record.pk, item_id=item.pk, by=pool[0], result=result, note="现场核查")
        record_sign(record_id=record.pk, by=pool[0])
        record_sign(record_id=record.pk, by=pool[1])

    # an identity case against a4's applicant: level 3, revoked (restriction, key supervision)
    licence = a4.matters.get().licence
    case = violation_open_manual(subject=people[4], kind="identity", findings="冒用他人身份证件申请",
                                 evidence="公安机关证明", licences=[licence], application=a4, by=supervisor)
    violation_grade(violation_id=case.pk, by=supervisor)
    violation_revoke(violation_id=case.pk, by=supervisor, reason="冒用他人身份")
    objection = objection_file(violation_id=case.pk, by=people[4].user, grounds="身份证系本人")
    objection = objection_decide(objection_id=objection.pk, by=supervisor, upheld=False, reasons="证据确凿")
    repair = repair_file(violation_id=case.pk, by=people[4].user, evidence="已整改并公开承诺")
    return World(friday=friday, apps=apps, ws=ws, gh=gh, people=people, staff=staff, supervisor=supervisor,
                 violations={"identity": case}, objection=objection, repair=repair)
