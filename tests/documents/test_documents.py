"""Legal documents from the product's own actions: issued once, rendered after the commit, with the Chinese
font embedded, the key fields in the text, a QR code leading to the public verification page."""

import shutil
import subprocess

import pytest
import segno
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from approvals.services import (
    application_accept_lenient, application_choose_commitment, application_decide, application_start,
    licence_revoke, signature_sign,
)
from approvals.roles import SUPERVISOR
from documents import rendering
from documents.context import qr_for, verify_url
from documents.models import Document, DocumentKind, RenderStatus, VerificationLog
from documents.services import document_issue, document_render
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, make_matter, matter, staff  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

needs_poppler = pytest.mark.skipif(not (shutil.which("pdffonts") and shutil.which("pdftotext")),
                                   reason="poppler-utils (pdffonts, pdftotext) not installed")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def person(applicant):
    applicant.name = "张三丰"
    applicant.save(update_fields=["name"])
    return applicant


def on_the_spot(person, staff, capture):
    with capture(execute=True):
        application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online",
                                        by=person.user)
    with capture(execute=True):
        application_choose_commitment(application_id=application.pk, by=person.user)
    with capture(execute=True):
        signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD,
                       ip_address="10.0.0.8", user_agent="Mobile Safari")
    with capture(execute=True):
        (licence,) = application_decide(application_id=application.pk, by=staff)
    return application, licence


def doc(kind, obj) -> Document:
    return Document.objects.get(kind=kind, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def pdf_bytes(document: Document) -> bytes:
    with document.pdf.open("rb") as f:
        return f.read()


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_on_the_spot_path_produces_certificate_notice_and_letter(person, matter, staff,
                                                                 django_capture_on_commit_callbacks):
    application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    signature = application.letter.active_signature()
    certificate = doc(DocumentKind.CERTIFICATE, licence)
    notice = doc(DocumentKind.NOTICE, application)
    letter = doc(DocumentKind.COMMITMENT_LETTER, signature)
    for document in (certificate, notice, letter):
        assert document.status == RenderStatus.RENDERED, document.error
        assert document.holder == person and document.application == application
        assert pdf_bytes(document).startswith(b"%PDF") and len(document.sha256) == 64
    assert certificate.number.startswith("ZS-") and notice.number.startswith("GZ-")


@needs_poppler
def test_certificate_embeds_a_chinese_font_and_carries_the_key_fields(person, matter, staff,
                                                                      django_capture_on_commit_callbacks):
    application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    data = pdf_bytes(doc(DocumentKind.CERTIFICATE, licence))
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the emb column
    assert any("WenQuanYi" in row or "CID" in row for row in rows), fonts
    text = pdftotext(data)
    for field in (licence.number, matter.matter.name, person.name, person.number, "示范市行政审批服务局"):
        assert field in text, field


@needs_poppler
def test_letter_text_and_signature_evidence(person, matter, staff, django_capture_on_commit_callbacks):
    application, _licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    signature = application.letter.active_signature()
    text = pdftotext(pdf_bytes(doc(DocumentKind.COMMITMENT_LETTER, signature)))
    flat = "".join(text.split())
    assert signature.text_sha256 in flat
    for item in matter.commitment_items.all():
        assert "".join(item.text.split()) in flat
    assert "健康合格证明" in flat  # the replaced proof
    for line in application.letter.text.splitlines():  # every line of the signed text, in its words
        assert "".join(line.split()) in flat, line


def test_the_qr_code_leads_to_the_verify_page(person, matter, staff, tmp_path, django_capture_on_commit_callbacks):
    _application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    certificate = doc(DocumentKind.CERTIFICATE, licence)
    url = verify_url(certificate)
    assert url.startswith("http://") and url.endswith(reverse("documents:verify", args=[certificate.token]))
    assert qr_for(url).matrix == segno.make(url, error="m").matrix
    import zxingcpp  # pinned in requirements.txt: a missing decoder fails, it does not skip
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed")
    from PIL import Image

    (tmp_path / "c.pdf").write_bytes(pdf_bytes(certificate))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "c.pdf"), str(tmp_path / "c")],
                   check=True)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "c.png"))]
    assert decoded == [url]


def test_verify_page_shows_the_current_status_masked(person, matter, staff, client,
                                                     django_capture_on_commit_callbacks):
    _application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    certificate = doc(DocumentKind.CERTIFICATE, licence)
    url = reverse("documents:verify", args=[certificate.token])
    page = client.get(url).content.decode()
    assert 'data-status="valid"' in page and certificate.number in page
    assert "张*丰" in page and person.name not in page and person.number not in page
    assert person.number[:4] in page and person.number[-4:] in page
    licence_revoke(licence_id=licence.pk, by=UserFactory(role=SUPERVISOR), reason="虚假承诺")
    page = client.get(url).content.decode()
    assert 'data-status="revoked"' in page and person.number not in page
    assert VerificationLog.objects.filter(token=certificate.token).count() == 2
    assert client.get(reverse("documents:verify", args=["not-a-token"])).status_code == 404
    by_code = client.get(reverse("documents:verify_code"), {"code": certificate.short_code.lower()})
    assert by_code.status_code == 302 and by_code["Location"] == url


def test_issuing_twice_gives_one_document_and_the_same_pdf(person, matter, staff,
                                                           django_capture_on_commit_callbacks):
    _application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    first = doc(DocumentKind.CERTIFICATE, licence)
    with django_capture_on_commit_callbacks(execute=True):
        again = document_issue(DocumentKind.CERTIFICATE, licence)
    assert again.pk == first.pk
    rerendered = document_render(first.pk)
    assert rerendered.sha256 == first.sha256 and pdf_bytes(rerendered) == pdf_bytes(first)
    assert Document.objects.filter(kind=DocumentKind.CERTIFICATE).count() == 1


def test_kept_fonts_and_stylesheets_give_the_pdf_of_a_plain_weasyprint_render(person, matter, staff,
                                                                              django_capture_on_commit_callbacks):
    """render_pdf keeps a FontConfiguration and the parsed stylesheets per process and thread: each document, in
    whatever order and thread, is still byte for byte what WeasyPrint makes of the page with its <style> inline."""
    import threading

    from django.conf import settings
    from django.utils import translation
    from weasyprint import HTML

    from documents.context import BUILDERS

    application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    documents = [doc(DocumentKind.CERTIFICATE, licence), doc(DocumentKind.NOTICE, application),
                 doc(DocumentKind.COMMITMENT_LETTER, application.letter.active_signature())]
    pages = []
    for document in documents:
        template, build = BUILDERS[document.kind]
        with translation.override(document.holder.language):
            context = build(document)
            pages.append((template, context, rendering.render_html(template, context)))
    assert all(rendering._split_style(html) for _t, _c, html in pages)  # the kept path is the one taken
    plain = [HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf() for _t, _c, html in pages]
    assert [pdf_bytes(d) for d in documents] == plain  # as stored by document_render
    for _ in range(2):  # again, interleaved, with the kept configuration and stylesheets
        assert [rendering.render_pdf(t, c) for t, c, _html in pages] == plain
    in_thread = []
    thread = threading.Thread(target=lambda: in_thread.extend(rendering.render_pdf(t, c) for t, c, _h in pages))
    thread.start()
    thread.join()
    assert in_thread == plain
    folder = rendering._kept.font_config._folder  # the CJK font's copy, removed with the kept configuration
    assert folder.is_dir()
    rendering.forget_kept()  # at exit, or when a Celery pool process ends (documents.tasks)
    assert not folder.exists() and [rendering.render_pdf(t, c) for t, c, _html in pages] == plain
    with_attribute = pages[0][2].replace("<body>", '<body style="color: red">')
    assert rendering._split_style(with_attribute) is None  # anything less plain is rendered as it is


def test_a_failing_render_is_recorded_not_raised(person, matter, staff, monkeypatch,
                                                 django_capture_on_commit_callbacks):
    def broken(template, context):
        raise RuntimeError("font exploded")

    monkeypatch.setattr(rendering, "render_pdf", broken)
    _application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)  # no exception
    certificate = doc(DocumentKind.CERTIFICATE, licence)
    assert certificate.status == RenderStatus.FAILED and "font exploded" in certificate.error
    assert certificate.attempts >= 1 and not certificate.pdf


def test_supplement_notice_lists_each_material_and_deadline(person, matter, staff,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="counter", by=staff)
        application_choose_commitment(application_id=application.pk, by=person.user)
        signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                                   missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    notice = doc(DocumentKind.SUPPLEMENT_NOTICE, application)
    assert notice.status == RenderStatus.RENDERED, notice.error
    if shutil.which("pdftotext"):
        flat = "".join(pdftotext(pdf_bytes(notice)).split())
        assert supplement.material.name in flat
        assert f"{supplement.deadline.year}年{supplement.deadline.month}月{supplement.deadline.day}日" in flat


def test_download_for_the_holder_and_staff_only(person, matter, staff, client, django_capture_on_commit_callbacks):
    _application, licence = on_the_spot(person, staff, django_capture_on_commit_callbacks)
    url = reverse("documents:download", args=[doc(DocumentKind.CERTIFICATE, licence).pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for user in (person.user, staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_signing_again_after_a_withdrawal_supersedes_the_first_letter_document(person, staff, matter,
                                                                                django_capture_on_commit_callbacks):
    from approvals.services import signature_withdraw

    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online",
                                        by=person.user)
        application_choose_commitment(application_id=application.pk, by=person.user)
        first = signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
        signature_withdraw(application_id=application.pk, user=person.user, reason="需要核对")
        application_choose_commitment(application_id=application.pk, by=person.user)
        second = signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    old, new = doc(DocumentKind.COMMITMENT_LETTER, first), doc(DocumentKind.COMMITMENT_LETTER, second)
    assert old.pk != new.pk and old.number != new.number
    assert old.superseded_by == new and new.superseded_by is None
