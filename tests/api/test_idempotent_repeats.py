"""A retry with the same Idempotency-Key returns the first response without doing the operation again;
the same key for another request is refused with 422."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Application, CheckStage, CreditCheck, IdempotencyKey, Licence
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for, commit
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    return application_id


def test_deciding_twice_with_one_key_issues_one_licence(committed, staff):
    desk = client_for(staff)
    first = desk.post(f"/api/applications/{committed}/decide/", headers={"Idempotency-Key": "decide-1"})
    again = desk.post(f"/api/applications/{committed}/decide/", headers={"Idempotency-Key": "decide-1"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Licence.objects.count() == 1
    assert CreditCheck.objects.filter(stage=CheckStage.DECISION).count() == 1  # the service ran once


def test_applying_twice_with_one_key_creates_one_application(applicant, matter):
    me = client_for(applicant.user)
    first = apply(me, applicant, **{"Idempotency-Key": "intake-7f3a"})
    again = apply(me, applicant, **{"Idempotency-Key": "intake-7f3a"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


def test_the_same_key_with_another_body_or_path_is_422(applicant, matter):
    me = client_for(applicant.user)
    assert apply(me, applicant, **{"Idempotency-Key": "k1"}).status_code == 201
    other_body = apply(me, applicant, channel="counter", **{"Idempotency-Key": "k1"})
    assert other_body.status_code == 422 and other_body.json()["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other_body.json()["detail"][0]
    other_path = me.post("/api/otp/", headers={"Idempotency-Key": "k1"})
    assert other_path.status_code == 422
    assert Application.objects.count() == 1


def test_keys_belong_to_one_user_and_expire_after_a_day(applicant, matter, staff):
    me = client_for(applicant.user)
    apply(me, applicant, **{"Idempotency-Key": "shared"})
    assert apply(client_for(staff), applicant, channel="counter", **{"Idempotency-Key": "shared"}).status_code == 201
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert apply(me, applicant, **{"Idempotency-Key": "shared"}).status_code == 201
    assert Application.objects.count() == 3


def test_a_stored_refusal_keeps_its_evidence(committed, applicant, staff):
    """The decision-time credit check that refuses is evidence; it is committed with the stored 409."""
    RestrictionFactory(subject=applicant, starts_at=timezone.now() - timedelta(seconds=1))
    desk = client_for(staff)
    first = desk.post(f"/api/applications/{committed}/decide/", headers={"Idempotency-Key": "d-2"})
    again = desk.post(f"/api/applications/{committed}/decide/", headers={"Idempotency-Key": "d-2"})
    assert first.status_code == again.status_code == 409 and first.json()["code"] == "entitlement"
    assert again.json() == first.json()
    assert CreditCheck.objects.filter(stage=CheckStage.DECISION, restricted=True).count() == 1
    assert not Licence.objects.exists()


def test_a_403_is_not_stored_so_the_key_works_once_allowed(committed, applicant):
    me = client_for(applicant.user)
    refused = me.post(f"/api/applications/{committed}/decide/", headers={"Idempotency-Key": "d-3"})
    assert refused.status_code == 403 and not IdempotencyKey.objects.exists()
