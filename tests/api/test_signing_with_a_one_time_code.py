"""Signing with a one-time code: the logged-in user requests it (POST /api/otp/), then signs with it."""

import pytest
from django.test import override_settings

from approvals.otp import MemorySender
from tests.approvals.process import applicant, matter  # noqa: F401
from tests.api.helpers import apply, client_for

pytestmark = pytest.mark.django_db


@override_settings(OTP_SENDER="approvals.otp.MemorySender")
def test_request_a_code_and_sign_with_it(applicant, matter, django_capture_on_commit_callbacks):
    MemorySender.outbox.clear()
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    me.post(f"/api/applications/{application_id}/choose-commitment/")
    with django_capture_on_commit_callbacks(execute=True):
        requested = me.post("/api/otp/")
    assert requested.status_code == 201 and requested.json()["expires_at"]
    ((username, code, _purpose),) = MemorySender.outbox
    assert username == applicant.user.username
    signed = me.post(f"/api/applications/{application_id}/sign/",
                     {"method": "otp", "secret": code, "channel": "counter_pad"}, format="json",
                     headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148"})
    assert signed.status_code == 200, signed.json()
    # the channel comes from the request, not from what the client claims
    assert (signed.json()["reauth_method"], signed.json()["channel"]) == ("otp", "mobile")
    withdrawn = me.post(f"/api/applications/{application_id}/withdraw-signature/", {"reason": "想再看看"},
                        format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "checked"
