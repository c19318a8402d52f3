"""容缺受理 through the API: staff accept with a deferrable material missing, the applicant supplies it,
staff return it once and then accept it (case 12 Delingha, case 17 Tibet)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.approvals.process import PDF, PNG, applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for, commit

pytestmark = pytest.mark.django_db


def supply(client, supplement_id, name, data):
    return client.post(f"/api/supplements/{supplement_id}/supply/", {"file": SimpleUploadedFile(name, data)},
                       format="multipart")


def test_deferred_material_supplied_returned_and_accepted(applicant, matter, staff):
    me, desk = client_for(applicant.user), client_for(staff)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    deferred = matter.materials.get(kind="deferrable")

    accepted = desk.post(f"/api/applications/{application_id}/accept-lenient/", {"material_ids": [deferred.pk]},
                         format="json")
    assert accepted.status_code == 200, accepted.json()
    (supplement,) = accepted.json()["supplements"]
    assert supplement["state"] == "pending" and supplement["material_id"] == deferred.pk

    supplied = supply(me, supplement["id"], "report.png", PNG)
    assert supplied.status_code == 200 and supplied.json()["state"] == "supplied"
    returned = desk.post(f"/api/supplements/{supplement['id']}/review/", {"accept": False, "reason": "扫描件不清晰"},
                         format="json")
    assert returned.json()["state"] == "returned" and returned.json()["return_reason"] == "扫描件不清晰"
    assert supply(me, supplement["id"], "report.pdf", PDF).json()["upload"]["content_type"] == "application/pdf"
    reviewed = desk.post(f"/api/supplements/{supplement['id']}/review/", {"accept": True}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "accepted"

    detail = me.get(f"/api/applications/{application_id}/").json()
    assert detail["state"] == "awaiting_supplements" and detail["supplements"][0]["state"] == "accepted"
    assert desk.post(f"/api/applications/{application_id}/decide/").status_code == 200


def test_a_non_deferrable_material_cannot_be_deferred(applicant, matter, staff):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    required = matter.materials.get(kind="required")
    response = client_for(staff).post(f"/api/applications/{application_id}/accept-lenient/",
                                      {"material_ids": [required.pk]}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["material_ids"]


def test_an_applicant_cannot_review_their_own_supplement(applicant, matter, staff):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    deferred = matter.materials.get(kind="deferrable")
    (supplement,) = client_for(staff).post(f"/api/applications/{application_id}/accept-lenient/",
                                           {"material_ids": [deferred.pk]}, format="json").json()["supplements"]
    assert me.post(f"/api/supplements/{supplement['id']}/review/", {"accept": True},
                   format="json").status_code == 403
