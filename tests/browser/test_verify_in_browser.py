"""A certificate's QR code, decoded from the rendered PDF, opens the public verification page in a real browser:
the kind, number and masked holder, and the current status (有效, then 已撤销 after the revocation).

Screenshots (phone 390x844, desk 1366x900) go to artifacts/screenshots/verify-*.png."""

import shutil
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType

from approvals.roles import SUPERVISOR
from approvals.services import (
    application_choose_commitment, application_decide, application_start, licence_revoke, signature_sign,
)
from documents.models import Document, DocumentKind, RenderStatus
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def decode_qr(pdf: bytes, tmp_path) -> list[str]:
    """Rasterise the first page with pdftoppm and read every QR code on it."""
    import zxingcpp  # pinned in requirements.txt: a missing decoder fails, it does not skip
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "doc.pdf"),
                    str(tmp_path / "page")], check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_certificate_qr_opens_the_verify_page_valid_then_revoked(live_server, settings, new_page, screenshot,
                                                                 tmp_path, applicant, matter, staff, size):
    settings.PUBLIC_BASE_URL = live_server.url  # the QR code leads to this server
    applicant.name = "张三丰"
    applicant.save(update_fields=["name"])
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    (licence,) = application_decide(application_id=application.pk, by=staff)  # renders after the commit
    certificate = Document.objects.get(kind=DocumentKind.CERTIFICATE, object_id=licence.pk,
                                       content_type=ContentType.objects.get_for_model(licence))
    assert certificate.status == RenderStatus.RENDERED, certificate.error
    with certificate.pdf.open("rb") as f:
        (url,) = decode_qr(f.read(), tmp_path)
    assert url == f"{live_server.url}/verify/{certificate.token}/"

    page = new_page(size)
    page.goto(url)
    expect(page.locator("h1")).to_have_text("文书核验")
    facts = page.locator("main dl")
    expect(facts).to_contain_text("证照")
    expect(facts).to_contain_text(certificate.number)
    expect(facts).to_contain_text("张*丰")
    expect(facts).to_contain_text(applicant.number[:4] + "**********" + applicant.number[-4:])
    expect(page.locator("[data-status]")).to_have_text("有效")
    assert applicant.number not in page.content() and "张三丰" not in page.content()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"verify-valid-{size}")

    licence_revoke(licence_id=licence.pk, by=UserFactory(role=SUPERVISOR), reason="虚假承诺")
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("已撤销")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "revoked")
    screenshot(page, f"verify-revoked-{size}")
