"""The main pages driven in headless Chromium at phone (390x844) and desk (1366x900) size.

Screenshots go to artifacts/screenshots/ for a human to look at."""

import re

import pytest
from django.core.management import call_command

from approvals.demo.matters import MATTERS

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-2026"
REGISTER_LINK = "main a[href='/subjects/new/']"

# username -> (header text "full name（role label）", a selector only that role's home page has, its text)
ROLES = {
    "window": ("窗口 刘芳（窗口工作人员）", REGISTER_LINK, "登记申请人"),
    "applicant": ("申请人 张伟（申请人）", "main .card:has(h2:text-is('我可代为办理的申请人（主体）')) a", "张伟"),
    "inspector": ("核查员 孙磊（核查人员）", "main .card h2", "事后核查"),
    "supervisor": ("监管员 周敏（监管人员）", "main a[href='/sanctions/restrictions/']", "违诺制约名单"),
    "admin": ("管理员 吴军（系统管理员）", "main a[href='/admin/auth/user/']", "用户与角色"),
}


def log_in(page, base_url: str, username: str):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def no_horizontal_scroll(page, width: int):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: scrollWidth {scroll_width} > {width}"


@pytest.mark.parametrize("size", ["phone", "desk"])
@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_logs_in_and_sees_its_home(live_server, new_page, screenshot, username, size):
    call_command("load_demo", verbosity=0)
    header_text, own_selector, own_text = ROLES[username]
    page = new_page(size)

    log_in(page, live_server.url, username)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header.top nav > span")).to_have_text(header_text)
    own = page.locator(own_selector).filter(has_text=own_text)
    expect(own.first).to_be_visible()
    if username != "window":
        expect(page.locator(REGISTER_LINK)).to_have_count(0)
    if size == "phone":
        no_horizontal_scroll(page, 390)
    screenshot(page, f"{username}-{size}")


def test_matter_catalog_and_detail_on_a_phone(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    page = new_page("phone")

    page.goto(f"{live_server.url}/matters/")
    expect(page.locator("h1")).to_have_text("事项清单")
    for spec in MATTERS:
        expect(page.get_by_role("link", name=spec["name"], exact=True)).to_be_visible()
    no_horizontal_scroll(page, 390)
    screenshot(page, "matter-list-phone")

    food = next(spec for spec in MATTERS if spec["code"] == "SCJG-SPJY-001")
    page.get_by_role("link", name=food["name"], exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/matters/{food['code']}/")
    expect(page.locator("h1")).to_have_text(food["name"])
    materials = page.locator("ul.materials > li strong")
    expect(materials).to_have_count(len(food["materials"]))
    expect(materials.first).to_have_text(food["materials"][0]["name"])
    no_horizontal_scroll(page, 390)
    screenshot(page, "matter-detail-phone")


def test_window_staff_fixes_a_bad_id_card_number_without_retyping(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    page = new_page("phone")
    log_in(page, live_server.url, "window")
    expect(page).to_have_url(f"{live_server.url}/")

    page.click(REGISTER_LINK)
    expect(page).to_have_url(f"{live_server.url}/subjects/new/")
    page.fill("#id_name", "陈静")
    page.fill("#id_number", "110105194912310021")  # check digit should be X
    page.fill("#id_phone", "13912345678")
    page.click("main form button[type=submit]")

    errors = page.locator("#id_number_errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("身份证号码")
    expect(errors).to_contain_text("校验")
    expect(page.locator("#id_name")).to_have_value("陈静")
    expect(page.locator("#id_phone")).to_have_value("13912345678")
    expect(page.locator("#id_number")).to_have_value("110105194912310021")
    no_horizontal_scroll(page, 390)
    screenshot(page, "subject-error-phone")

    page.fill("#id_number", "11010519491231002X")
    page.click("main form button[type=submit]")

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/subjects/\d+/$"))
    expect(page.locator("h1")).to_have_text("陈静")
    expect(page.locator("main")).to_contain_text("11010519491231002X")
    screenshot(page, "subject-registered-phone")


def test_anonymous_visitor_is_sent_to_log_in_first(live_server, new_page):
    call_command("load_demo", verbosity=0)
    page = new_page("phone")

    page.goto(f"{live_server.url}/subjects/new/")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/subjects/new/")
    expect(page.locator("h1")).to_have_text("登录")
    expect(page.locator("#id_name")).to_have_count(0)

    page.fill("#id_username", "window")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/subjects/new/")
    expect(page.locator("#id_number")).to_be_visible()
