"""Twenty-odd hostile files (polyglots, zip bombs, scripts named .pdf, HTML named .png, SVG with script, huge
images, truncated files, an executable, PDFs with JavaScript, launch actions or attachments) are all refused
cleanly: a 400/Refused naming the file field, a reason in Chinese, no row and no file stored. Real scans and
photos still pass."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from approvals.models import ApplicationMaterial
from approvals.services import Refused, application_start, application_upload_material
from approvals.services.uploads import read_upload
from tests.api.helpers import client_for
from tests.approvals.process import PDF, applicant, matter  # noqa: F401
from tests.security.malicious import MALICIOUS

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def application(applicant, matter):
    return application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online", by=applicant.user)


def test_there_are_at_least_twenty_distinct_hostile_files():
    assert len(MALICIOUS) >= 20 and len({data for _name, data, _why in MALICIOUS}) == len(MALICIOUS)


@pytest.mark.parametrize("name,data,why", MALICIOUS, ids=[why for _n, _d, why in MALICIOUS])
def test_the_service_refuses_it_and_stores_nothing(application, applicant, matter, media, name, data, why):
    material = matter.materials.get(kind="required")
    with pytest.raises(Refused) as raised:
        application_upload_material(application_id=application.pk, material_id=material.pk,
                                    upload=SimpleUploadedFile(name, data), by=applicant.user)
    message = raised.value.message_dict["file"][0]
    assert CHINESE.search(message), message
    assert raised.value.code in {"type", "active", "damaged", "dimensions", "empty", "size"}
    assert not ApplicationMaterial.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name,data,why", MALICIOUS, ids=[why for _n, _d, why in MALICIOUS])
def test_the_api_answers_400_in_chinese(application, applicant, matter, media, name, data, why):
    me = client_for(applicant.user)
    response = me.post(f"/api/applications/{application.pk}/materials/",
                       {"material_id": matter.materials.get(kind="required").pk,
                        "file": SimpleUploadedFile(name, data)}, format="multipart")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert list(body["fields"]) == ["file"] and CHINESE.search(body["fields"]["file"][0])
    assert not ApplicationMaterial.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def _photo(fmt, size=(1200, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,content_type", [
    ("scan.pdf", PDF, "application/pdf"),
    ("photo.jpg", _photo("JPEG"), "image/jpeg"),
    ("photo.png", _photo("PNG"), "image/png"),
])
def test_real_files_still_pass(application, applicant, matter, media, name, data, content_type):
    stored = application_upload_material(application_id=application.pk,
                                         material_id=matter.materials.get(kind="required").pk,
                                         upload=SimpleUploadedFile(name, data), by=applicant.user)
    assert stored.content_type == content_type


def test_a_real_pdf_made_by_weasyprint_passes():
    from weasyprint import HTML

    data = HTML(string="<h1>营业执照</h1><p>扫描件</p>").write_pdf()
    assert read_upload(SimpleUploadedFile("licence.pdf", data)) == (data, "application/pdf")


def test_an_image_over_the_pixel_limit_is_refused_naming_its_size(settings):
    settings.UPLOAD_MAX_PIXELS = 1000 * 1000
    with pytest.raises(Refused) as raised:
        read_upload(SimpleUploadedFile("big.png", _photo("PNG", (1200, 900))))
    assert raised.value.code == "dimensions" and "1200 × 900" in raised.value.message_dict["file"][0]


def test_inspection_photos_must_be_images():
    """An inspector's site photo is an image: a PDF is refused for it (it is still fine as a material)."""
    with pytest.raises(Refused) as raised:
        read_upload(SimpleUploadedFile("photo.pdf", PDF), field="photo", images_only=True)
    assert raised.value.code == "type" and list(raised.value.message_dict) == ["photo"]
    assert read_upload(SimpleUploadedFile("site.jpg", _photo("JPEG")), field="photo", images_only=True)[1] == "image/jpeg"


def test_a_cut_off_photo_is_refused_even_once_weasyprint_is_loaded():
    """WeasyPrint sets PIL's LOAD_TRUNCATED_IMAGES for the whole process when imported (documents do): the
    check must not depend on Pillow's default."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    whole = _photo("JPEG", (800, 600))
    assert read_upload(SimpleUploadedFile("whole.jpg", whole))[1] == "image/jpeg"
    with pytest.raises(Refused) as raised:
        read_upload(SimpleUploadedFile("cut.jpg", whole[: len(whole) * 2 // 3]))
    assert raised.value.code == "damaged"
