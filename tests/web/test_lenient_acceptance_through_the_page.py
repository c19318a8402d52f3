"""Lenient acceptance at the window: staff pick the missing deferrable materials; the applicant supplies
them; staff return one (a reason is required) and accept the next."""

import pytest

from approvals.models import ApplicationState, Supplement, SupplementState
from tests.approvals.process import applicant, matter, png, staff  # noqa: F401
from tests.web.flows import committed, element, has_element, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_supplements_round_trip(client, staff, applicant, matter):
    application = committed(applicant, by=staff, channel="counter")
    deferrable = matter.materials.get(kind="deferrable")
    client.force_login(staff)
    html = client.get(page_url(application)).content.decode()
    assert f'name="lenient-materials" value="{deferrable.pk}"' in html and deferrable.name in element(html, "lenient")

    client.post(f"{page_url(application)}accept-lenient/", {"lenient-materials": [deferrable.pk]})
    supplement = Supplement.objects.get()
    application.refresh_from_db()
    assert application.state == ApplicationState.AWAITING_SUPPLEMENTS
    base = f"{page_url(application)}supplements/{supplement.pk}/"

    client.force_login(applicant.user)
    assert client.post(f"{base}supply/", {f"s{supplement.pk}-file": png()}).status_code == 302

    client.force_login(staff)
    refused = client.post(f"{base}review/", {"decision": "return", f"r{supplement.pk}-reason": ""})
    assert has_element(refused.content.decode(), f"review-r{supplement.pk}-reason-errors")
    client.post(f"{base}review/", {"decision": "return", f"r{supplement.pk}-reason": "扫描件不清晰"})
    supplement.refresh_from_db()
    assert supplement.state == SupplementState.RETURNED

    client.force_login(applicant.user)
    html = client.get(page_url(application)).content.decode()
    assert "扫描件不清晰" in element(html, f"supplement-{supplement.pk}")
    client.post(f"{base}supply/", {f"s{supplement.pk}-file": png("again.png")})

    client.force_login(staff)
    client.post(f"{base}review/", {"decision": "accept", f"r{supplement.pk}-reason": ""})
    supplement.refresh_from_db()
    assert supplement.state == SupplementState.ACCEPTED


def test_no_material_picked_is_refused(client, staff, applicant, matter):
    application = committed(applicant)
    client.force_login(staff)
    response = client.post(f"{page_url(application)}accept-lenient/", {})
    assert has_element(response.content.decode(), "lenient-materials-errors")
    assert not Supplement.objects.exists()
