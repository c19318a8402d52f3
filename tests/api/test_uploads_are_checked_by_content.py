"""Uploads are PDF, JPEG or PNG by content, whatever the file name says; a refusal names the file field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import ApplicationMaterial
from tests.approvals.process import PDF, applicant, matter  # noqa: F401
from tests.api.helpers import apply, client_for

pytestmark = pytest.mark.django_db


def upload(client, application_id, material, name, data):
    return client.post(f"/api/applications/{application_id}/materials/",
                       {"material_id": material.pk, "file": SimpleUploadedFile(name, data)}, format="multipart")


def test_a_text_file_named_pdf_is_refused_naming_the_file_field(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    response = upload(me, application_id, matter.materials.first(), "licence.pdf", b"just text, not a PDF")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["file"] and response.json()["code"] == "type"
    assert not ApplicationMaterial.objects.exists()


def test_a_pdf_is_stored_with_its_hash(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    response = upload(me, application_id, matter.materials.first(), "licence.pdf", PDF)
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "application/pdf"
    assert ApplicationMaterial.objects.get().sha256 == response.json()["sha256"]


def test_a_missing_file_is_a_400_naming_the_file_field(applicant, matter):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    response = me.post(f"/api/applications/{application_id}/materials/", {"material_id": matter.materials.first().pk},
                       format="multipart")
    assert response.status_code == 400 and "file" in response.json()["fields"]
