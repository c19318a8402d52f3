"""Sanctions and verification events reach the subject, the supervisors and the inspectors."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import VerificationMethod
from approvals.roles import INSPECTOR, SUPERVISOR
from approvals.services import application_decide
from inspections.models import Assignment
from inspections.services import draw_apply, draw_define, draw_run
from notifications.models import Message
from sanctions.services import (
    objection_decide, objection_file, repair_decide, repair_file, restriction_impose_manual,
    restriction_lift_by_supervisor, violation_grade, violation_open_manual, violation_revoke,
)
from tests.approvals.factories import UserFactory
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.notifications.helpers import commit, reachable, sms_log, sms_sent, start  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR, email="supervisor@authority.gov.cn")


def licensed(person, staff):
    application = start(person)
    commit(application, person)
    (licence,) = application_decide(application_id=application.pk, by=staff)
    return licence


def test_a_draw_tells_each_inspector_and_the_licensee_when_the_method_is_announced(
        reachable, staff, supervisor, django_capture_on_commit_callbacks, sms_log):
    version = make_matter(verification_method=VerificationMethod.DOCUMENTS)
    licence = licensed(reachable, staff)
    pool = [UserFactory(role=INSPECTOR, email=f"inspector{i}@authority.gov.cn") for i in range(3)]
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="2026年第四季度核查", matters=[version.matter],
                       issued_from=today - timedelta(days=30), issued_to=today, inspectors=pool,
                       seed_number="738291")
    with django_capture_on_commit_callbacks(execute=True):
        draw = draw_run(draw_id=draw.pk, by=supervisor)
    assigned = set(Assignment.objects.filter(draw=draw).values_list("inspector", flat=True))
    assert assigned and set(Message.objects.filter(event="inspection_assigned")
                            .values_list("recipient", flat=True)) == assigned
    message = Message.objects.filter(event="inspection_assigned").first()
    assert licence.number in message.title and draw.number in message.body
    assert {m.to[0] for m in mail.outbox if "核查任务" in m.subject} == {
        u.email for u in pool if u.pk in assigned}
    scheduled = Message.objects.get(event="inspection_scheduled", recipient=reachable.user)
    assert "书面核查" in scheduled.body or "document" in scheduled.body
    assert any(licence.number in line for line in sms_sent(sms_log))


def test_an_unannounced_on_site_check_is_not_told_to_the_licensee(reachable, staff, supervisor):
    """With the task lost (no commit here, so it never ran), the scheduler's catch-up tells the inspectors."""
    version = make_matter()  # on-site by default
    licensed(reachable, staff)
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="现场核查", matters=[version.matter], issued_from=today - timedelta(days=3),
                       issued_to=today, inspectors=[UserFactory(role=INSPECTOR) for _ in range(2)],
                       seed_number="12")
    draw_run(draw_id=draw.pk, by=supervisor)
    draw_apply(draw.pk)  # as the outbox relay would (its message sent again); the notification's task is lost
    assert not Message.objects.filter(event="inspection_assigned").exists()  # told after the commit
    from notifications.reminders import reminders_run

    reminders_run(now=timezone.now() + timedelta(minutes=10))
    reminders_run(now=timezone.now() + timedelta(minutes=20))
    assert Message.objects.filter(event="inspection_assigned").count() == Assignment.objects.count() == 2
    assert not Message.objects.filter(event="inspection_scheduled").exists()


def test_revocation_restriction_objection_and_repair_are_each_told(
        reachable, staff, supervisor, django_capture_on_commit_callbacks):
    make_matter()
    licence = licensed(reachable, staff)
    case = violation_open_manual(subject=reachable, kind="false_materials", findings="租赁合同系伪造",
                                 evidence="出租方证明", licences=[licence], by=supervisor)
    violation_grade(violation_id=case.pk, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        violation_revoke(violation_id=case.pk, by=supervisor, reason="提供虚假材料取得许可")
    revoked = Message.objects.get(event="licence_revoked", recipient=reachable.user)
    assert licence.number in revoked.body and case.number in revoked.title
    imposed = Message.objects.get(event="restriction_imposed", recipient=reachable.user)
    assert "违诺制约名单" in imposed.title

    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_file(violation_id=case.pk, by=reachable.user, grounds="合同真实，出租方证明有误")
    assert Message.objects.get(event="objection_received", recipient=reachable.user)
    staff_copy = Message.objects.get(event="objection_received", recipient=supervisor)
    assert reachable.name in staff_copy.body and "supervisor@authority.gov.cn" in [m.to[0] for m in mail.outbox]

    objection_decide(objection_id=objection.pk, by=supervisor, upheld=False, reasons="出租方证明经核实无误")
    decided = Message.objects.get(event="objection_decided", recipient=reachable.user)
    assert "不成立" in decided.body and "出租方证明经核实无误" in decided.body

    repair = repair_file(violation_id=case.pk, by=reachable.user, evidence="已补办真实租赁合同")
    repair_decide(repair_id=repair.pk, by=supervisor, approved=True, reasons="整改到位")
    assert "已获准" in Message.objects.get(event="repair_decided", recipient=reachable.user).body
    ended = Message.objects.get(event="restriction_ended", recipient=reachable.user)
    assert "整改到位" in ended.body


def test_a_manual_restriction_lifted_early_is_told_once(reachable, supervisor):
    now = timezone.now()
    restriction = restriction_impose_manual(subject=reachable, reason="拒不配合核查", legal_basis="示范市告知承诺办法第十条",
                                            starts_at=now, ends_at=now + timedelta(days=90), by=supervisor)
    restriction_lift_by_supervisor(restriction_id=restriction.pk, by=supervisor, reason="已配合完成核查")
    from notifications.reminders import reminders_run

    reminders_run(today=timezone.localdate(), now=now + timedelta(days=100))  # the scan would see it too
    assert list(Message.objects.filter(recipient=reachable.user).values_list("event", flat=True).order_by("pk")) == [
        "restriction_imposed", "restriction_ended"]


def test_each_holder_of_a_packaged_licence_is_told_after_the_decision(staff, django_capture_on_commit_callbacks):
    from approvals.models import Licence
    from approvals.services import package_create, package_decide, package_sign
    from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory
    from tests.approvals.process import PASSWORD
    from tests.notifications.helpers import reachable_person

    make_matter(code="HS-002")
    director = reachable_person()
    hospital = OrganisationFactory(legal_representative=director)
    CreditGradeFactory(subject=hospital, grade="A")
    nurses = [reachable_person(), PersonFactory()]  # one with contacts, one with none
    CreditGradeFactory(subject=nurses[1], grade="A")
    package = package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[n.pk for n in nurses],
                             title="护士执业注册", by=director.user)
    package_sign(package_id=package.pk, user=director.user, method="password", secret=PASSWORD)
    assert not Message.objects.filter(subject__in=nurses).exists()  # the organisation signs for them: no chatter
    with django_capture_on_commit_callbacks(execute=True):
        package_decide(package_id=package.pk, by=staff)
    for nurse in nurses:
        licence = Licence.objects.get(holder=nurse)
        message = Message.objects.get(event="licence_issued", subject=nurse)
        assert licence.number in message.title
    assert Message.objects.get(subject=nurses[0]).deliveries.count() == 2
    assert not Message.objects.get(subject=nurses[1]).deliveries.exists()


def test_without_a_broker_a_large_draw_is_told_by_the_scheduler_not_in_the_request(
        reachable, staff, supervisor, settings, django_capture_on_commit_callbacks):
    from notifications.reminders import reminders_run

    settings.NOTIFICATIONS_INLINE_LIMIT = 1
    version = make_matter()
    licensed(reachable, staff)
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="大批抽查", matters=[version.matter], issued_from=today - timedelta(days=3),
                       issued_to=today, inspectors=[UserFactory(role=INSPECTOR) for _ in range(2)], seed_number="7")
    with django_capture_on_commit_callbacks(execute=True):
        draw_run(draw_id=draw.pk, by=supervisor)
    assert not Message.objects.filter(event="inspection_assigned").exists()
    reminders_run(now=timezone.now() + timedelta(minutes=10))
    assert Message.objects.filter(event="inspection_assigned").count() == 2
