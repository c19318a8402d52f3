"""Materials are uploaded per material on the application page; a file that is not PDF/JPEG/PNG is
refused next to that material."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.approvals.process import PNG, applicant, matter, png, staff  # noqa: F401
from tests.web.flows import element, has_element, page_url, started

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_fake_png_is_refused_in_place_then_a_real_one_is_listed(client, applicant, matter):
    application = started(applicant)
    material = matter.materials.get(name="营业执照")
    client.force_login(applicant.user)
    url = f"{page_url(application)}materials/{material.pk}/"

    fake = SimpleUploadedFile("licence.png", b"just text, not an image", content_type="image/png")
    refused = client.post(url, {f"m{material.pk}-file": fake})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert has_element(html, f"material-m{material.pk}-file-errors")
    assert not application.uploads.exists()

    done = client.post(url, {f"m{material.pk}-file": png("licence.png")})
    assert done.status_code == 302 and done.url.endswith(f"#material-{material.pk}")
    upload = application.uploads.get()
    html = client.get(page_url(application)).content.decode()
    assert "licence.png" in element(html, f"material-{material.pk}")

    download = client.get(f"{page_url(application)}uploads/{upload.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_a_material_of_another_matter_is_not_found(client, applicant, matter):
    from tests.approvals.process import make_matter

    other = make_matter(code="WS-002")
    application = started(applicant)
    client.force_login(applicant.user)
    response = client.post(f"{page_url(application)}materials/{other.materials.first().pk}/", {})
    assert response.status_code == 404
