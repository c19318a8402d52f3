"""Each application event tells the right person on the right channels: in the product, by e-mail (locmem)
and by SMS (the logging backend), after the event's transaction commits."""

import pytest
from django.core import mail

from approvals.services import (
    application_accept_lenient, application_choose_standard, application_decide, application_reject,
    application_terminate, supplement_review, supplement_supply,
)
from notifications.models import Delivery, DeliveryStatus, Message
from tests.approvals.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import make_matter, matter, png, staff  # noqa: F401
from tests.notifications.helpers import (
    commit, events_for, mails_to, reachable, reachable_person, sms_log, sms_sent, start,  # noqa: F401
)

pytestmark = pytest.mark.django_db


def test_the_notify_and_commit_path_tells_the_applicant_at_each_step(
        reachable, matter, staff, sms_log, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = start(reachable)
    assert events_for(recipient=reachable.user) == ["application_received"]
    (received,) = mails_to("zhang@example.cn")
    assert f"#{application.pk}" in received.subject and "已受理" in received.subject  # Chinese by default
    assert any("13800138000" in line and f"#{application.pk}" in line for line in sms_sent(sms_log))

    with django_capture_on_commit_callbacks(execute=True):
        signature = commit(application, reachable)
    receipt = Message.objects.get(event="commitment_signed", recipient=reachable.user)
    assert signature.text_sha256 in receipt.body and signature.text_sha256 in mails_to("zhang@example.cn")[-1].body
    assert events_for(recipient=reachable.user) == ["application_received", "notice_ready", "commitment_signed"]

    deferred = matter.materials.get(kind="deferrable")
    with django_capture_on_commit_callbacks(execute=True):
        (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                                   missing_material_ids=[deferred.pk])
    notice = Message.objects.get(event="supplement_notice", recipient=reachable.user)
    assert deferred.name in notice.body and supplement.deadline.isoformat() in notice.body

    supplement_supply(supplement_id=supplement.pk, upload=png(), by=reachable.user)
    supplement_review(supplement_id=supplement.pk, by=staff, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        (licence,) = application_decide(application_id=application.pk, by=staff)
    issued = Message.objects.get(event="licence_issued", recipient=reachable.user)
    assert licence.number in issued.title and "/documents/" in issued.body and "/pdf/" in issued.body
    assert issued.link == f"/licences/{licence.number}/"

    # every outward delivery went out once; nothing is left pending
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()
    assert len(mails_to("zhang@example.cn")) == Message.objects.filter(recipient=reachable.user).count() == 5
    assert not Message.objects.exclude(subject=reachable).exists()  # no one else was told


def test_standard_review_rejection_and_termination_carry_the_reason(
        reachable, matter, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = start(reachable)
        application_choose_standard(application_id=application.pk, by=reachable.user)
        application_reject(application_id=application.pk, by=staff, reason="经营场所不符合卫生要求")
    review = Message.objects.get(event="standard_review")
    application.refresh_from_db()
    assert f"{application.decision_due_on.year}年{application.decision_due_on.month}月" in review.body
    rejected = Message.objects.get(event="application_rejected")
    assert "经营场所不符合卫生要求" in rejected.body and "经营场所不符合卫生要求" in mail.outbox[-1].body

    other = start(reachable)
    with django_capture_on_commit_callbacks(execute=True):
        application_terminate(application_id=other.pk, by=staff, reason="申请人主动撤回申请")
    assert "申请人主动撤回申请" in Message.objects.get(event="application_terminated").body


def test_an_organisation_is_told_through_its_own_contacts_and_its_legal_representative(
        matter, staff, django_capture_on_commit_callbacks):
    representative = reachable_person()
    agent = PersonFactory(user=UserFactory(), email="", phone="")
    company = OrganisationFactory(legal_representative=representative, email="office@company.cn", phone="")
    company.agents.add(agent)
    with django_capture_on_commit_callbacks(execute=True):
        start(company, by=staff, channel="counter")
    assert set(Message.objects.values_list("subject__name", flat=True)) == {company.name, representative.name,
                                                                             agent.name}
    assert {m.to[0] for m in mail.outbox} == {"office@company.cn", "zhang@example.cn"}
    assert Message.objects.get(subject=agent).recipient == agent.user  # in the product only
    assert not Delivery.objects.filter(message__subject=agent).exists()


def test_a_subject_without_phone_or_email_still_gets_in_product_messages(
        matter, staff, sms_log, django_capture_on_commit_callbacks, client):
    person = reachable_person()
    person.phone = person.email = ""
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        application = start(person)
    (message,) = Message.objects.filter(recipient=person.user)
    assert message.event == "application_received" and not message.deliveries.exists()
    assert mail.outbox == [] and sms_sent(sms_log) == []

    client.force_login(person.user)
    assert message.title in client.get("/messages/").content.decode()

    client.force_login(staff)  # the window sees that nothing but the product reaches them
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'id="reachability"' in page and "无法通过短信或电子邮件联系" in page


def test_a_reachable_subject_shows_no_warning_to_the_window(reachable, matter, staff, client):
    application = start(reachable)
    client.force_login(staff)
    assert 'id="reachability"' not in client.get(f"/applications/{application.pk}/").content.decode()
