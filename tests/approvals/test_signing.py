"""Signing: only the applicant, after re-authentication; idempotent; withdrawable until the decision;
the signature binds the exact text."""

import pytest
from django.test import override_settings

from approvals.models import ApplicationState, Signature
from approvals.otp import MemorySender
from approvals.services import (
    Refused, application_choose_commitment, application_decide, application_start, otp_request, signature_sign,
    signature_withdraw,
)
from approvals.services.texts import sha256_text
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    return application


def sign(application, user, secret=PASSWORD, method="password"):
    return signature_sign(application_id=application.pk, user=user, method=method, secret=secret)


def test_the_signature_binds_the_hash_of_the_exact_text(notified, applicant):
    signature = sign(notified, applicant.user)
    assert signature.text_sha256 == sha256_text(notified.letter.text)
    assert signature.reauth_method == "password" and signature.signer_subject == applicant


def test_a_wrong_password_signs_nothing(notified, applicant):
    with pytest.raises(Refused):
        sign(notified, applicant.user, secret="wrong")
    assert not Signature.objects.exists()
    notified.refresh_from_db()
    assert notified.state == ApplicationState.NOTIFIED


def test_signing_twice_returns_the_same_signature(notified, applicant):
    assert sign(notified, applicant.user).pk == sign(notified, applicant.user).pk
    assert Signature.objects.count() == 1


def test_a_one_time_code_through_the_pluggable_sender(notified, applicant, django_capture_on_commit_callbacks):
    MemorySender.outbox.clear()
    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        with django_capture_on_commit_callbacks(execute=True):
            otp_request(user=applicant.user)
    ((username, code, purpose),) = MemorySender.outbox
    assert (username, purpose) == (applicant.user.username, "sign")
    with pytest.raises(Refused):
        sign(notified, applicant.user, secret=f"{(int(code) + 1) % 10**6:06d}", method="otp")
    signature = sign(notified, applicant.user, secret=code, method="otp")
    assert signature.reauth_method == "otp"
    from approvals.services.signing import reauthenticate

    with pytest.raises(Refused):  # a code works once
        reauthenticate(applicant.user, "otp", code)


def test_withdraw_then_sign_again_keeps_both_records(notified, applicant):
    first = sign(notified, applicant.user)
    signature_withdraw(application_id=notified.pk, user=applicant.user, reason="需要核对")
    notified.refresh_from_db()
    assert notified.state == ApplicationState.CHECKED
    application_choose_commitment(application_id=notified.pk, by=applicant.user)
    second = sign(notified, applicant.user)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawal_reason == "需要核对"
    assert second.pk != first.pk and second.withdrawn_at is None


def test_no_withdrawal_or_signing_after_the_decision(notified, applicant, staff):
    sign(notified, applicant.user)
    application_decide(application_id=notified.pk, by=staff)
    with pytest.raises(Refused):
        signature_withdraw(application_id=notified.pk, user=applicant.user)
    assert sign(notified, applicant.user).withdrawn_at is None  # idempotent answer, nothing new
    assert Signature.objects.count() == 1


def test_a_withdrawn_commitment_cannot_be_signed_until_notified_again(notified, applicant):
    sign(notified, applicant.user)
    signature_withdraw(application_id=notified.pk, user=applicant.user, reason="改主意")
    with pytest.raises(Refused) as raised:
        sign(notified, applicant.user)
    assert raised.value.code == "state"
    assert Signature.objects.filter(withdrawn_at__isnull=True).count() == 0


def test_wrong_codes_count_and_lock_the_code(notified, applicant, django_capture_on_commit_callbacks):
    from approvals.models import OneTimeCode

    MemorySender.outbox.clear()
    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        with django_capture_on_commit_callbacks(execute=True):
            otp_request(user=applicant.user)
    code = MemorySender.outbox[-1][1]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(Refused):
            sign(notified, applicant.user, secret=wrong, method="otp")
    assert OneTimeCode.objects.get().attempts == 5
    with pytest.raises(Refused, match="请重新获取|request a new one"):
        sign(notified, applicant.user, secret=code, method="otp")  # even the right code is now refused
    assert not Signature.objects.exists()


def test_the_listeners_of_a_signature_see_it_without_reading_it_back(notified, applicant):
    """The letter keeps the signature it was just given: documents, notifications and the credit feed, which
    each ask for it in the signature's transaction, read it from there (none of the SELECTs is on signatures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        signature = sign(notified, applicant.user)
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")
                and 'FROM "approvals_signature"' in q["sql"]]
    signature_withdraw(application_id=notified.pk, user=applicant.user, reason="改为一般程序")
    notified.refresh_from_db()
    letter = notified.letter
    assert letter.active_signature() is None  # a letter read afresh sees the withdrawal
    signature.refresh_from_db()
    assert signature.withdrawn_at is not None
