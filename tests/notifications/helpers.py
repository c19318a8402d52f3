"""Shared set-up for the notification tests: applicants with and without contact details, and reading what
was sent (locmem e-mail outbox, the logging SMS backend's log lines)."""

import logging

import pytest
from django.core import mail

from approvals.roles import APPLICANT
from approvals.services import application_choose_commitment, application_start, signature_sign
from notifications.models import Message
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD


def reachable_person(**kwargs):
    person = PersonFactory(user=UserFactory(role=APPLICANT, email=""), phone="13800138000",
                           email="zhang@example.cn", **kwargs)
    CreditGradeFactory(subject=person, grade="A")
    return person


@pytest.fixture
def reachable():
    return reachable_person()


@pytest.fixture
def sms_log(caplog):
    caplog.set_level(logging.INFO, logger="notifications.sms")
    return caplog


def sms_sent(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "notifications.sms"]


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def events_for(**filters) -> list[str]:
    return list(Message.objects.filter(**filters).order_by("pk").values_list("event", flat=True))


def start(person, by=None, channel="online"):
    return application_start(subject_id=person.pk, matter_codes=["WS-001"], channel=channel,
                             by=by or person.user)


def commit(application, person):
    application_choose_commitment(application_id=application.pk, by=person.user)
    return signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD,
                          ip_address="10.0.0.8", user_agent="Mobile Safari")
