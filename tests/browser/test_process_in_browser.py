"""The application process driven in headless Chromium: the applicant applies and signs on a 390-px phone;
window staff take an application at the counter and decide at a desk (1366x900).

Screenshots go to artifacts/screenshots/process-*.png for a human to look at."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from approvals.models import Application, Licence, Signature, Subject
from approvals.services import application_choose_commitment, application_start, signature_sign
from tests.browser.conftest import SIZES
from tests.browser.test_pages_in_browser import PASSWORD, log_in, no_horizontal_scroll

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESTAURANT = "德州市示范小餐饮有限公司"
FOOD = "SCJG-SPJY-001"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture
def phone(browser):
    """A phone: 390 px wide, touch, a mobile browser's User-Agent (the signature records the channel)."""
    context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN", user_agent=IPHONE, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def application_url(base_url: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(base_url)}/applications/(\d+)/(#.*)?$")


def test_applicant_applies_and_signs_on_a_phone(live_server, phone, screenshot):
    call_command("load_demo", verbosity=0)
    page = phone
    log_in(page, live_server.url, "applicant")
    page.click("#home-apply")
    expect(page).to_have_url(f"{live_server.url}/apply/")
    page.locator("#subject-choices label.check").filter(has_text=RESTAURANT).click()
    page.locator(f"input[name=matters][value='{FOOD}']").check()
    no_horizontal_scroll(page, 390)
    screenshot(page, "process-apply-phone")

    page.click("#apply-submit")
    expect(page).to_have_url(application_url(live_server.url))
    expect(page.locator("#application-state")).to_have_attribute("data-state", "checked")
    expect(page.locator("#choose-standard")).to_be_visible()  # the voluntary alternative is offered plainly
    no_horizontal_scroll(page, 390)
    screenshot(page, "process-choose-phone")

    page.click("#choose-commitment")
    expect(page.locator("#application-state")).to_have_attribute("data-state", "notified")
    application = Application.objects.get(pk=application_url(live_server.url).match(page.url).group(1))
    expect(page.locator("#notice-text")).to_be_visible()
    expect(page.locator("#letter-text")).to_have_text(application.letter.text)
    expect(page.locator("#letter-sha256")).to_have_text(application.letter.sha256)
    no_horizontal_scroll(page, 390)
    screenshot(page, "process-notice-phone")

    page.fill("#id_sign-password", "not-my-password")
    page.check("#id_sign-confirm")
    page.click("#sign-submit")
    expect(page.locator("#sign-password-errors")).to_be_visible()
    expect(page.locator("#id_sign-confirm")).to_be_checked()
    assert not Signature.objects.filter(letter__application=application).exists()
    no_horizontal_scroll(page, 390)
    page.locator("#sign").screenshot(path=str(screenshot(page, "process-sign-error-phone")))

    page.fill("#id_sign-password", PASSWORD)
    page.click("#sign-submit")
    expect(page.locator("#signature")).to_be_visible()
    expect(page.locator("#application-state")).to_have_attribute("data-state", "committed")
    expect(page.locator("#signature-channel")).to_have_attribute("data-channel", "mobile")
    expect(page.locator("#signature-sha256")).to_have_text(application.letter.sha256)
    assert Signature.objects.get(letter__application=application).channel == "mobile"
    no_horizontal_scroll(page, 390)
    screenshot(page, "process-receipt-phone")

    page.click(".crumbs a")  # follow the status: the applicant's own list, one card per application
    expect(page).to_have_url(f"{live_server.url}/applications/")
    expect(page.locator(f"tr[data-application='{application.pk}'] .state-committed")).to_be_visible()
    no_horizontal_scroll(page, 390)
    screenshot(page, "process-my-applications-phone")


def test_window_staff_decide_at_the_desk(live_server, new_page, browser, screenshot):
    call_command("load_demo", verbosity=0)
    restaurant = Subject.objects.get(name=RESTAURANT)
    zhang = restaurant.legal_representative
    application = application_start(subject_id=restaurant.pk, matter_codes=[FOOD], channel="online", by=zhang.user)
    application_choose_commitment(application_id=application.pk, by=zhang.user)
    signature_sign(application_id=application.pk, user=zhang.user, method="password", secret=PASSWORD)
    late = application_start(subject_id=zhang.pk, matter_codes=[FOOD], channel="online", by=zhang.user)
    application_choose_commitment(application_id=late.pk, by=zhang.user)
    Application.objects.filter(pk=late.pk).update(decision_due_on=timezone.localdate() - timedelta(days=2))
    page = new_page("desk")
    log_in(page, live_server.url, "window")

    page.click("#home-inbox")
    expect(page).to_have_url(f"{live_server.url}/applications/")
    row = page.locator(f"tr[data-application='{application.pk}']")
    expect(row).to_be_visible()
    expect(page.locator(f"tr.overdue[data-application='{late.pk}']")).to_be_visible()
    expect(page.locator(f"tr.overdue[data-application='{application.pk}']")).to_have_count(0)
    screenshot(page, "process-inbox-desk")

    row.locator("a").first.click()
    expect(page).to_have_url(f"{live_server.url}/applications/{application.pk}/")
    expect(page.locator("#subject-number")).to_have_text(restaurant.number)  # staff see the full number
    expect(page.locator("#credit .fact")).to_have_count(2)  # the company and its legal representative
    expect(page.locator("#signature")).to_be_visible()
    no_horizontal_scroll(page, 1366)
    screenshot(page, "process-application-desk")

    page.click("#decide-submit")
    licence = Licence.objects.get(application_matter__application=application)
    expect(page.locator("#licences .licence-number")).to_have_text(licence.number)
    expect(page.locator("#application-state")).to_have_attribute("data-state", "decided")
    screenshot(page, "process-decided-desk")

    tablet = browser.new_context(viewport={"width": 820, "height": 1180}, locale="zh-CN",
                                 storage_state=page.context.storage_state())
    try:
        tablet_page = tablet.new_page()
        tablet_page.goto(f"{live_server.url}/applications/{application.pk}/")
        no_horizontal_scroll(tablet_page, 820)
        screenshot(tablet_page, "process-decided-tablet")
    finally:
        tablet.close()

    page.click(f"#licences a[href='/licences/{licence.number}/']")
    expect(page.locator("#licence-number")).to_have_text(licence.number)
    expect(page.locator("#licence-holder")).not_to_contain_text(restaurant.number)
    screenshot(page, "process-licence-desk")


def test_window_staff_take_an_application_at_the_counter(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    zhao = Subject.objects.get(name="赵敏")  # on the seriously dishonest list in the demo data
    page = new_page("desk")
    log_in(page, live_server.url, "window")

    page.click("#home-intake")
    page.fill("#number", zhao.number.lower())
    page.click("#find-subject button[type=submit]")
    expect(page.locator("#found-subject")).to_contain_text(zhao.number)
    page.locator(f"input[name=matters][value='{FOOD}']").check()
    screenshot(page, "process-intake-desk")

    page.click("#intake-submit")
    expect(page).to_have_url(application_url(live_server.url))
    application = Application.objects.get(pk=application_url(live_server.url).match(page.url).group(1))
    assert application.subject == zhao and application.channel == "counter"
    reasons = application.credit_checks.get().entitlements[str(application.matters.get().matter_version_id)]["reasons"]
    assert reasons
    for reason in reasons:
        expect(page.locator("#entitlements")).to_contain_text(reason)
    expect(page.locator("#commitment-blocked")).to_be_visible()
    expect(page.locator("#choose-commitment")).to_have_count(0)
    no_horizontal_scroll(page, 1366)
    screenshot(page, "process-intake-result-desk")
