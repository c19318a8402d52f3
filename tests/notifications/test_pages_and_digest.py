"""The bell, the message list and detail (read on opening), the recipient's language, the entitlement change at
decision and the staff's daily digest."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from approvals.models import Application
from approvals.roles import INSPECTOR, SUPERVISOR, WINDOW_STAFF
from approvals.services import EntitlementChanged, application_decide
from notifications.models import Message
from notifications.reminders import digest_run
from notifications.services import preference_set
from tests.approvals.factories import UserFactory
from tests.approvals.process import make_matter, matter, staff  # noqa: F401
from tests.notifications.helpers import commit, reachable, reachable_person, start  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def test_the_bell_counts_unread_and_opening_a_message_marks_it_read(
        reachable, matter, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = start(reachable)
    commit(application, reachable)  # not committed yet: its e-mail and SMS show as waiting
    client.force_login(reachable.user)
    home = client.get("/").content.decode()
    assert 'id="nav-messages"' in home and 'id="unread-count">3<' in home
    listing = client.get("/messages/").content.decode()
    first = Message.objects.filter(recipient=reachable.user).order_by("pk").first()
    assert first.title in listing and "电子邮件：已发送" in listing and "短信：已发送" in listing
    assert "短信：待发送" in listing
    detail = client.get(f"/messages/{first.pk}/").content.decode()
    assert first.body.splitlines()[0] in detail and "138****8000" in detail
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'id="unread-count">2<' in client.get("/").content.decode()
    client.post("/messages/read-all/")
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_nobody_else_sees_a_persons_messages(reachable, matter, client):
    start(reachable)
    message = Message.objects.get()
    client.force_login(reachable_person().user)
    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert message.title not in client.get("/messages/").content.decode()


@pytest.mark.parametrize("role", [WINDOW_STAFF, SUPERVISOR, INSPECTOR])
def test_every_logged_in_role_has_the_bell(role, client):
    client.force_login(UserFactory(role=role))
    assert 'id="nav-messages"' in client.get("/messages/").content.decode()


def test_messages_are_written_in_the_recipients_language(matter, staff):
    english = reachable_person(language="en")
    start(english)
    assert Message.objects.get(subject=english).title.startswith("Application #")
    preference_set(user=staff, language="en")
    RestrictionFactory(subject=english, starts_at=timezone.now() - timedelta(days=30),
                       ends_at=timezone.now() + timedelta(days=3))
    application = Application.objects.get()
    Application.objects.filter(pk=application.pk).update(decision_due_on=timezone.localdate())
    digest_run(today=timezone.localdate())
    assert Message.objects.get(event="daily_digest", recipient=staff).title.startswith("Daily digest")


def test_a_changed_entitlement_at_the_decision_is_told(reachable, matter, staff, django_capture_on_commit_callbacks):
    application = start(reachable)
    commit(application, reachable)
    RestrictionFactory(subject=reachable)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(EntitlementChanged):
        application_decide(application_id=application.pk, by=staff)
    message = Message.objects.get(event="entitlement_changed", recipient=reachable.user)
    assert "不再适用告知承诺" in message.title and "示审违诺〔2026〕1号" in message.body
    assert message.title in mail.outbox[-1].subject


def test_the_daily_digest_lists_what_is_due_once_a_day_and_only_when_something_is(reachable, matter, staff):
    quiet = UserFactory(role=SUPERVISOR)
    application = start(reachable)
    commit(application, reachable)
    Application.objects.filter(pk=application.pk).update(decision_due_on=timezone.localdate() - timedelta(days=1))
    today = timezone.localdate()
    digest_run(today=today)
    digest_run(today=today)  # a restart: not again
    (digest,) = Message.objects.filter(event="daily_digest")
    assert digest.recipient == staff and f"#{application.pk} {reachable.name}" in digest.body
    assert not Message.objects.filter(recipient=quiet).exists()
    digest_run(today=today + timedelta(days=1))
    assert Message.objects.filter(event="daily_digest", recipient=staff).count() == 2
