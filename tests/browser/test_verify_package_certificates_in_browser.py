"""Window staff decide a package in the browser and follow its certificates on the package page: rendered N of M,
failed K with a button to render them again, the listing (证照清单) and each person's PDF once done.

Screenshots: artifacts/screenshots/package-certificates-{progress,done}-{phone,desk}.png."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from documents.models import Document, DocumentKind, RenderStatus
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.approvals.test_packaged_commitment import create, hospital, nurses, sign  # noqa: F401

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def logged_in(new_page, size, user, base_url):
    client = Client()
    client.force_login(user)
    page = new_page(size)
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                               "url": base_url}])
    return page


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_staff_follow_the_certificates_of_a_decided_package(live_server, new_page, screenshot, hospital, staff, size):
    make_matter(code="HS-002")
    package = create(hospital, nurses(4))
    sign(package, hospital)
    page = logged_in(new_page, size, staff, live_server.url)
    page.goto(f"{live_server.url}/packages/{package.pk}/")

    page.click("#decide-submit")  # tasks in-process here: rendered before the page comes back
    progress = page.locator("#certificates-progress")
    expect(progress).to_have_attribute("data-rendered", "4")
    expect(progress).to_contain_text("已生成4/4份证照")
    expect(page.locator("#certificates-listing")).to_be_visible()
    expect(page.locator("#people .certificate[data-status=rendered] a")).to_have_count(4)
    assert page.locator("meta[http-equiv=refresh]").count() == 0

    # one failed, one still waiting: the page says so and refreshes itself
    ids = list(Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package=package)
               .order_by("pk").values_list("pk", flat=True))
    Document.objects.filter(pk=ids[0]).update(status=RenderStatus.FAILED, error="RuntimeError: font exploded")
    Document.objects.filter(pk=ids[1]).update(status=RenderStatus.PENDING)
    page.reload()
    expect(progress).to_contain_text("已生成2/4份证照")
    expect(progress).to_contain_text("1份失败")
    expect(progress).to_contain_text("1份等待生成")
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    page.locator("#certificates").scroll_into_view_if_needed()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"package-certificates-progress-{size}")

    Document.objects.filter(pk=ids[1]).update(status=RenderStatus.FAILED)
    page.reload()
    page.click("#certificates-resume")
    expect(progress).to_have_attribute("data-rendered", "4")
    expect(progress).to_have_attribute("data-failed", "0")
    with page.expect_download() as download:
        page.click("#certificates-listing")
    assert download.value.suggested_filename == f"certificates-package-{package.pk}.pdf"
    page.locator("#certificates").scroll_into_view_if_needed()
    screenshot(page, f"package-certificates-done-{size}")
