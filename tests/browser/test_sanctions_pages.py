"""The sanctions pages in headless Chromium at phone (390x844) and desk (1366x900) size: the supervisor's case
page and restriction list, and the public lists. Screenshots go to artifacts/screenshots/sanctions-*.png."""

import pytest
from django.core.management import call_command

from sanctions.models import Violation
from tests.browser.test_pages_in_browser import log_in, no_horizontal_scroll

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = ["phone", "desk"]


def _width(size: str) -> int:
    return 390 if size == "phone" else 1366


@pytest.mark.parametrize("size", SIZES)
def test_supervisor_case_page_and_restriction_list(live_server, new_page, screenshot, size):
    call_command("load_demo", verbosity=0)
    page = new_page(size)
    log_in(page, live_server.url, "supervisor")

    page.click("#nav-violations")
    expect(page.locator("h1")).to_have_text("违诺案件")
    expect(page.locator("#cases tbody tr")).to_have_count(4)
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-cases-{size}")

    fraud = Violation.objects.get(source_key="demo:fraud")
    page.goto(f"{live_server.url}/sanctions/{fraud.pk}/")
    expect(page.locator("#case-state")).to_have_attribute("data-state", "closed")
    expect(page.locator("#timeline")).to_contain_text("提供虚假材料取得许可")
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-case-closed-{size}")

    rectify = Violation.objects.get(source_key="demo:rectification")
    page.goto(f"{live_server.url}/sanctions/{rectify.pk}/")
    expect(page.locator("#rectified")).to_be_visible()
    expect(page.locator("#grade")).to_have_count(0)
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-case-{size}")

    page.click("#nav-restrictions")
    expect(page.locator("h1")).to_have_text("违诺制约名单")
    expect(page.locator("#restrictions")).to_contain_text("陈刚")
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-restrictions-{size}")

    page.click("#restriction-new")
    expect(page.locator("#restriction-form")).to_be_visible()
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-restriction-new-{size}")

    page.goto(f"{live_server.url}/sanctions/new/")
    page.fill("#find-number", "91371402MA3C00001A")
    page.click("#find-submit")
    expect(page.locator("#case-licences label.check")).to_have_count(1)
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-case-new-{size}")


def test_supervisor_records_not_rectified_then_revokes_at_a_desk(live_server, new_page):
    call_command("load_demo", verbosity=0)
    rectify = Violation.objects.get(source_key="demo:rectification")
    page = new_page("desk")
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/sanctions/{rectify.pk}/")

    page.fill("#id_not_rectified-reason", "逾期未完成分隔改造")
    page.click("#not_rectified-submit")
    expect(page.locator("#case-state")).to_have_attribute("data-state", "not_rectified")
    expect(page.locator("#revoke h3")).to_have_text("撤销许可决定")

    page.click("#revoke-submit")  # no reasons: refused in place, in Chinese
    expect(page.locator("#id_revoke-reason-errors")).to_contain_text("请填写撤销的理由")
    page.fill("#id_revoke-reason", "拒不整改，依二级违诺撤销许可决定")
    page.click("#revoke-submit")
    expect(page.locator("#case-state")).to_have_attribute("data-state", "closed")
    expect(page.locator("#licences")).to_contain_text("已撤销")


@pytest.mark.parametrize("size", SIZES)
def test_public_lists_mask_names(live_server, new_page, screenshot, size):
    call_command("load_demo", verbosity=0)
    page = new_page(size)

    page.goto(f"{live_server.url}/")
    page.click("#nav-publicity")
    expect(page.locator("#public-restrictions")).to_contain_text("陈*")
    expect(page.locator("main")).not_to_contain_text("陈刚")
    expect(page.locator("main")).not_to_contain_text("371402199709090059")
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-public-restrictions-{size}")

    page.goto(f"{live_server.url}/public/violations/")
    expect(page.locator("#public-violations tbody tr")).to_have_count(2)
    expect(page.locator("#public-violations")).not_to_contain_text("张伟")  # under objection: frozen
    no_horizontal_scroll(page, _width(size))
    screenshot(page, f"sanctions-public-violations-{size}")


def test_applicant_sees_own_cases_and_objects_on_a_phone(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    rectify = Violation.objects.get(source_key="demo:rectification")
    page = new_page("phone")
    log_in(page, live_server.url, "applicant")

    page.click("#nav-my-cases")
    expect(page.locator("h1")).to_have_text("我的违诺案件")
    expect(page.locator("section.my-case")).to_have_count(3)  # 张伟, his restaurant, the hospital he acts for
    no_horizontal_scroll(page, 390)
    screenshot(page, "sanctions-my-cases-phone")

    page.locator(f"#object-{rectify.pk} summary").click()
    page.fill(f"#id_objection{rectify.pk}-grounds", "分隔已于核查次日完成，附照片")
    page.locator(f"#object-{rectify.pk} button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("异议已提交")
    expect(page.locator(f"#object-{rectify.pk}")).to_have_count(0)
    expect(page.locator(f"#case-{rectify.pk}")).to_contain_text("分隔已于核查次日完成")
