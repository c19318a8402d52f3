"""A refusal by the process comes back as 409 (state, decision, entitlement) or 400 (bad input), with the
service's message in the user's language."""

import pytest

from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for, commit

pytestmark = pytest.mark.django_db


def test_deciding_before_signing_is_a_409_conflict(applicant, matter, staff):
    application_id = apply(client_for(applicant.user), applicant).json()["id"]
    response = client_for(staff).post(f"/api/applications/{application_id}/decide/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "state" and body["detail"] and all(body["detail"])
    assert "fields" not in body


def test_deciding_twice_is_a_409_naming_the_earlier_decision(applicant, matter, staff):
    me, desk = client_for(applicant.user), client_for(staff)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    assert desk.post(f"/api/applications/{application_id}/decide/").status_code == 200
    again = desk.post(f"/api/applications/{application_id}/decide/")
    assert again.status_code == 409 and again.json()["code"] == "decided"


def test_a_missing_reason_is_a_400_naming_the_field(applicant, matter, staff):
    application_id = apply(client_for(applicant.user), applicant).json()["id"]
    response = client_for(staff).post(f"/api/applications/{application_id}/terminate/", {}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["reason"]


def test_a_wrong_password_is_a_400_and_signs_nothing(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    me.post(f"/api/applications/{application_id}/choose-commitment/")
    response = me.post(f"/api/applications/{application_id}/sign/", {"method": "password", "secret": "nope"},
                       format="json")
    assert response.status_code == 400 and response.json()["code"] == "reauth"
    assert list(response.json()["fields"]) == ["secret"]
    assert me.get(f"/api/applications/{application_id}/").json()["state"] == "notified"


def test_an_unknown_matter_is_a_400_naming_matter_codes(applicant, matter):
    response = apply(client_for(applicant.user), applicant, codes=["WS-001", "NOPE-9"])
    assert response.status_code == 400 and list(response.json()["fields"]) == ["matter_codes"]
    assert "NOPE-9" in response.json()["detail"][0]


@pytest.mark.parametrize("payload", [{}, {"subject_id": "x", "matter_codes": "WS-001", "channel": "fax"},
                                     {"subject_id": 10**9, "matter_codes": ["WS-001"], "channel": "online"}])
def test_bad_input_is_never_a_500(applicant, matter, payload):
    response = client_for(applicant.user).post("/api/applications/", payload, format="json")
    assert response.status_code in (400, 404) and response.json()["detail"]
