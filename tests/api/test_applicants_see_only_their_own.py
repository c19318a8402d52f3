"""An applicant sees and acts on their own applications only: another's is 404; deciding is staff's (403)."""

import pytest
from rest_framework.test import APIClient

from approvals.models import ApplicationState
from approvals.roles import APPLICANT
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for, commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    person = PersonFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=person, grade="A")
    return person


def test_another_applicants_application_is_not_found(applicant, stranger, matter):
    theirs = apply(client_for(stranger.user), stranger).json()["id"]
    me = client_for(applicant.user)
    assert me.get(f"/api/applications/{theirs}/").status_code == 404
    assert me.get(f"/api/applications/{theirs}/credit-checks/").status_code == 404
    assert me.post(f"/api/applications/{theirs}/choose-commitment/").status_code == 404
    assert me.get("/api/applications/").json()["count"] == 0


def test_applying_for_another_person_is_not_found(applicant, stranger, matter):
    assert apply(client_for(applicant.user), stranger).status_code == 404


def test_an_applicant_cannot_decide_their_own_application(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    response = me.post(f"/api/applications/{application_id}/decide/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert response.json()["detail"][0]
    assert me.get(f"/api/applications/{application_id}/").json()["state"] == ApplicationState.COMMITTED


def test_a_licence_is_visible_to_its_holder_and_staff_only(applicant, stranger, matter, staff):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    (licence,) = client_for(staff).post(f"/api/applications/{application_id}/decide/").json()["licences"]
    url = f"/api/licences/{licence['number']}/"
    assert me.get(url).status_code == client_for(staff).get(url).status_code == 200
    assert client_for(stranger.user).get(url).status_code == 404


def test_anonymous_users_read_the_catalog_but_nothing_else(matter):
    anonymous = APIClient()
    assert anonymous.get("/api/matters/WS-001/").status_code == 200
    assert anonymous.get("/api/applications/").status_code in (401, 403)
