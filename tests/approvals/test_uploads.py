"""Materials are checked by content, not by name: only PDF, JPEG and PNG, within the size limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import ApplicationMaterial
from approvals.services import Refused, application_start, application_upload_material
from tests.approvals.process import PDF, applicant, matter, png, staff  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(applicant, matter):
    return application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online", by=applicant.user)


def upload(application, applicant, matter, file):
    material = matter.materials.get(kind="required")
    return application_upload_material(application_id=application.pk, material_id=material.pk, upload=file,
                                       by=applicant.user)


def test_a_pdf_and_a_png_are_stored_with_their_hash(application, applicant, matter):
    stored = upload(application, applicant, matter, SimpleUploadedFile("执照.pdf", PDF))
    assert stored.content_type == "application/pdf" and len(stored.sha256) == 64
    assert upload(application, applicant, matter, png()).content_type == "image/png"


def test_an_executable_named_pdf_is_refused(application, applicant, matter):
    with pytest.raises(Refused) as raised:
        upload(application, applicant, matter, SimpleUploadedFile("执照.pdf", b"MZ\x90\x00 not a pdf"))
    assert raised.value.code == "type"
    assert not ApplicationMaterial.objects.exists()


def test_an_oversized_file_is_refused(application, applicant, matter, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(Refused) as raised:
        upload(application, applicant, matter, SimpleUploadedFile("big.pdf", PDF + b"0" * 2000))
    assert raised.value.code == "size"
