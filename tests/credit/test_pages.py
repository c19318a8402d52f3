"""我的信用 on a phone (390 px) and the staff view of a subject (1280 px), in headless Chromium, from the demo
data; plus the refusals of the record form. Screenshots: artifacts/screenshots/credit-*.png."""

import pytest
from django.core.management import call_command

from approvals.models import Subject
from credit.models import Entry
from tests.browser.fixtures import CHROMIUM_ARGS, SCREENSHOTS  # noqa: F401
from tests.browser.test_pages_in_browser import log_in, no_horizontal_scroll

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_my_credit_on_a_phone_explains_every_entry_and_leads_to_the_objection_flow(live_server, browser,
                                                                                 screenshot):
    call_command("load_demo", verbosity=0)
    page = _page(browser, 390)
    log_in(page, live_server.url, "applicant")
    page.click("#nav-my-credit")
    expect(page.locator("h1")).to_have_text("我的信用")
    person = Subject.objects.get(user__username="applicant")
    expect(page.locator(f"#grade-{person.pk}")).to_have_text("A")
    lines = page.locator(".credit-line")
    expect(lines.filter(has_text="违诺（一级）")).to_contain_text("计分至")
    expect(lines.filter(has_text="导入等级")).to_contain_text("省公共信用评价")
    expect(page.locator("#appeal")).to_have_text("我要申诉")
    no_horizontal_scroll(page, 390)
    screenshot(page, "credit-my-credit-phone")
    page.click("#appeal")
    expect(page.locator("h1")).to_have_text("我的违诺案件")


def test_staff_view_shows_the_score_and_refuses_a_repair_without_evidence(live_server, browser,
                                                                         screenshot):
    call_command("load_demo", verbosity=0)
    person = Subject.objects.get(user__username="applicant")
    page = _page(browser, 1280)
    log_in(page, live_server.url, "supervisor")
    page.click("#nav-credit")
    page.fill("#id_q", person.number)
    page.click("main form button[type=submit]")
    expect(page.locator(f"#points-{person.pk}")).to_be_visible()
    page.select_option("#id_source", "volunteering")
    page.fill("#id_quantity", "8")
    page.click("#record-submit")
    expect(page.locator("#id_evidence-errors")).to_contain_text("请提供证明材料")
    assert not Entry.objects.filter(subject=person, recorded_by__isnull=False).exists()
    page.fill("#id_evidence", "志愿汇服务时长证明 ZY-2026-0418，8小时")
    page.click("#record-submit")
    expect(page.locator(".messages")).to_contain_text("信用分已重新计算")
    no_horizontal_scroll(page, 1280)
    screenshot(page, "credit-subject-staff-desk")
