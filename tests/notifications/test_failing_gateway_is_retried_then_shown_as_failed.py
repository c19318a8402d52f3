"""A failing gateway is retried with backoff, then shown on the failed-deliveries page with a retry button;
a broker outage loses nothing (the relay sends what the task never did); nothing is sent twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.checks import Error
from django.utils import timezone
from kombu.exceptions import OperationalError

from approvals.roles import APPLICANT, WINDOW_STAFF
from notifications.checks import event_templates_render
from notifications.models import Delivery, DeliveryStatus, Message
from notifications.services import deliveries_relay, delivery_send, for_subject, notify
from notifications.sms import BaseSMSBackend, SMSError
from tests.approvals.factories import UserFactory
from tests.approvals.process import make_matter, matter, staff  # noqa: F401
from tests.notifications.helpers import reachable, sms_log, sms_sent, start  # noqa: F401

pytestmark = pytest.mark.django_db


class DownGateway(BaseSMSBackend):
    calls = 0

    def send(self, *, phone, text):
        DownGateway.calls += 1
        raise SMSError("gateway timeout (HTTP 504)")


def test_a_failing_gateway_is_retried_with_backoff_then_shown_and_retried_by_staff(
        reachable, matter, staff, settings, client, sms_log, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SMS_BACKEND = "tests.notifications.test_failing_gateway_is_retried_then_shown_as_failed.DownGateway"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    DownGateway.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        application = start(reachable)
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == DeliveryStatus.PENDING and sms.attempts == 1 and "504" in sms.last_error
    assert Delivery.objects.get(channel="email").status == DeliveryStatus.SENT  # the e-mail is not held up

    first_retry = sms.next_attempt_at
    assert deliveries_relay(now=first_retry - timedelta(seconds=1)) == 0  # not before its backoff
    waits = []
    now = first_retry
    while Delivery.objects.get(pk=sms.pk).status == DeliveryStatus.PENDING:
        deliveries_relay(now=now)
        sms.refresh_from_db()
        if sms.next_attempt_at:
            waits.append(sms.next_attempt_at - now)
            now = sms.next_attempt_at
    assert waits == [timedelta(minutes=2), timedelta(minutes=4)]  # 1, 2, 4 minutes: exponential
    assert sms.status == DeliveryStatus.FAILED and sms.attempts == 4 and DownGateway.calls == 4
    assert deliveries_relay(now=now + timedelta(days=1)) == 0  # failed ones wait for a person

    client.force_login(staff)
    page = client.get("/messages/failed/").content.decode()
    assert f'id="delivery-{sms.pk}"' in page and "gateway timeout" in page and reachable.name in page

    applicant = UserFactory(role=APPLICANT)
    client.force_login(applicant)
    assert client.get("/messages/failed/").status_code == 403
    assert client.post(f"/messages/failed/{sms.pk}/retry/").status_code == 403

    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.sms.LoggingSMSBackend"  # the gateway is back
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messages/failed/{sms.pk}/retry/")
    assert response.status_code == 302
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT and "13800138000" in sms_sent(sms_log)[-1]
    assert f"#{application.pk}" in sms_sent(sms_log)[-1]
    assert f'id="delivery-{sms.pk}"' not in client.get("/messages/failed/").content.decode()


def test_with_the_broker_down_the_rows_wait_and_the_relay_sends_them(
        reachable, matter, django_capture_on_commit_callbacks):
    with mock.patch("notifications.tasks.deliveries_send.delay", side_effect=OperationalError("connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            start(reachable)  # the application itself is not affected
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2 and mail.outbox == []
    assert deliveries_relay(now=timezone.now() + timedelta(seconds=1)) == 2
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 2 and len(mail.outbox) == 1


def test_the_same_event_is_told_once_and_a_sent_delivery_is_not_sent_again(
        reachable, matter, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = start(reachable)
        again = notify(event="application_received", obj=application, recipients=for_subject(reachable),
                       context={"application_id": application.pk}, link="/")
    assert again == [] and Message.objects.count() == 1 and len(mail.outbox) == 1
    email = Delivery.objects.get(channel="email")
    assert delivery_send(delivery_id=email.pk) == "" and len(mail.outbox) == 1  # a redelivered task: no-op


def test_a_broken_template_fails_the_start_up_check(settings, tmp_path):
    assert event_templates_render() == []
    broken = tmp_path / "notifications" / "events"
    broken.mkdir(parents=True)
    (broken / "notice_ready.txt").write_text("{% load i18n %}{% block title %}{% if %}{% endblock %}")
    (broken / "licence_issued.txt").write_text("{% block title %}{% endblock %}{% block body %}x{% endblock %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    errors = event_templates_render()
    assert {e.id for e in errors} == {"notifications.E001", "notifications.E002"}
    assert all(isinstance(e, Error) for e in errors)
    assert any("notice_ready" in e.msg for e in errors) and any("licence_issued" in e.msg for e in errors)
