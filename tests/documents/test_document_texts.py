"""Each kind of document, as the recipient reads it: pdftotext has its key fields exactly (authority, name,
number, matter, dates, commitment items, materials) and pdffonts shows every font embedded."""

import shutil
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import formats, timezone, translation

from approvals.services import (
    application_accept_lenient, application_choose_commitment, application_decide, application_start,
    signature_sign,
)
from documents.models import Document, DocumentKind, RenderStatus
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401

pytestmark = [
    pytest.mark.django_db, pytest.mark.usefixtures("celery_eager"),
    pytest.mark.skipif(not (shutil.which("pdffonts") and shutil.which("pdftotext")),
                       reason="poppler-utils (pdffonts, pdftotext) not installed"),
]

AUTHORITY = "示范市行政审批服务局"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issued(applicant, matter, staff, django_capture_on_commit_callbacks):
    """One application through the lenient path: notice, letter, supplement notice, then the certificate."""
    applicant.name = "欧阳小明"
    applicant.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                        by=applicant.user)
        application_choose_commitment(application_id=application.pk, by=applicant.user)
        signature = signature_sign(application_id=application.pk, user=applicant.user, method="password",
                                   secret=PASSWORD, ip_address="10.0.0.8")
    with django_capture_on_commit_callbacks(execute=True):
        supplements = application_accept_lenient(application_id=application.pk, by=staff,
                                                 missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    with django_capture_on_commit_callbacks(execute=True):
        (licence,) = application_decide(application_id=application.pk, by=staff)
    return {"application": application, "signature": signature, "licence": licence, "supplements": supplements,
            "person": applicant, "matter": matter}


def document(kind, obj) -> Document:
    found = Document.objects.get(kind=kind, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    assert found.status == RenderStatus.RENDERED, found.error
    return found


def pdf(doc: Document) -> bytes:
    with doc.pdf.open("rb") as f:
        return f.read()


def flat_text(data: bytes) -> str:
    """The text without white space: a line break inside Chinese text is not a character of it."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return "".join(out.decode().split())


def chinese_date(value) -> str:
    with translation.override("zh-hans"):
        return formats.date_format(timezone.localdate(value) if hasattr(value, "hour") else value, "DATE_FORMAT")


def assert_fonts_embedded(data: bytes):
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:  # name type encoding emb sub uni object-id: emb is the 5th column from the end
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def common(doc: Document, text: str, ctx):
    for field in (AUTHORITY, doc.number, ctx["person"].name, ctx["matter"].matter.name, chinese_date(doc.issued_at),
                  doc.short_code):
        assert "".join(field.split()) in text, field


def test_certificate(issued):
    licence = issued["licence"]
    doc = document(DocumentKind.CERTIFICATE, licence)
    data = pdf(doc)
    assert_fonts_embedded(data)
    text = flat_text(data)
    common(doc, text, issued)
    for field in (licence.number, issued["person"].number, chinese_date(licence.valid_from),
                  chinese_date(licence.issued_at), issued["matter"].matter.code, issued["matter"].legal_basis):
        assert "".join(str(field).split()) in text, field
    assert (chinese_date(licence.valid_to) if licence.valid_to else "长期有效") in text


def test_notice(issued):
    application = issued["application"]
    doc = document(DocumentKind.NOTICE, application)
    data = pdf(doc)
    assert_fonts_embedded(data)
    text = flat_text(data)
    common(doc, text, issued)
    for line in application.notice.text.splitlines():  # the notice as issued, every line
        assert "".join(line.split()) in text, line
    for item in issued["matter"].commitment_items.all():
        assert "".join(item.text.split()) in text, item.text


def test_commitment_letter(issued):
    signature = issued["signature"]
    doc = document(DocumentKind.COMMITMENT_LETTER, signature)
    data = pdf(doc)
    assert_fonts_embedded(data)
    text = flat_text(data)
    common(doc, text, issued)
    for item in issued["matter"].commitment_items.all():
        assert "".join(item.text.split()) in text, item.text
    assert "健康合格证明" in text  # the proof replaced by the commitment
    assert signature.text_sha256 in text
    assert timezone.localtime(signature.signed_at).strftime("%Y-%m-%d%H:%M:%S") in text


def test_supplement_notice(issued):
    application = issued["application"]
    doc = document(DocumentKind.SUPPLEMENT_NOTICE, application)
    data = pdf(doc)
    assert_fonts_embedded(data)
    text = flat_text(data)
    common(doc, text, issued)
    for supplement in issued["supplements"]:
        assert supplement.material.name in text
        assert chinese_date(supplement.deadline) in text
    assert "视为形式审查不通过" in text and "容缺不补" in text
