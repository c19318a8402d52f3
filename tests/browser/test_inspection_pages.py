"""Verification after issuance in headless Chromium: an inspector does a whole check on a 390-px phone (each
item, a refused 不符合 without a note, a photo, the sign-off) and the second inspector signs; a supervisor runs
and verifies a draw at a desk; the public draw page. Screenshots go to artifacts/screenshots/inspections-*.png."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from approvals.models import Matter
from inspections.models import Draw, InspectionRecord, Obligation, ObligationState, RecordPhoto
from tests.browser.conftest import SIZES
from tests.browser.test_pages_in_browser import log_in, no_horizontal_scroll

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails under REQUIRE_BROWSER=1)
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


def site_photo() -> bytes:
    """A real picture (a phone's camera would send a JPEG; the thumbnail must show)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (214, 226, 236))
    ImageDraw.Draw(image).rectangle((40, 60, 280, 200), fill=(180, 35, 42))
    out = BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phone(browser):
    """A phone: 390 px wide, touch, a mobile browser's User-Agent; one context per login."""
    contexts = []

    def make():
        context = browser.new_context(viewport=SIZES["phone"], locale="zh-CN", user_agent=IPHONE, is_mobile=True,
                                      has_touch=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_an_inspector_does_a_whole_check_on_a_phone(live_server, phone, screenshot):
    call_command("load_demo", verbosity=0)
    page = phone()
    log_in(page, live_server.url, "inspector")
    page.click("#home-checks")
    expect(page.locator("h1")).to_have_text("我的核查任务")
    expect(page.locator("#checks li")).to_have_count(2)  # the demo draw: two open checks, one concluded
    no_horizontal_scroll(page, 390)
    screenshot(page, "inspections-checks-phone")

    page.locator("#checks li").first.locator("a").click()
    page.click("#start-check")
    items = page.locator("article.item")
    expect(items.first).to_be_visible()
    count = items.count()
    assert count >= 3
    no_horizontal_scroll(page, 390)
    screenshot(page, "inspections-check-start-phone")

    # item 1 not met, without a note: refused on that item in Chinese, the choice kept
    first = items.nth(0)
    first.locator("label.result-not_met").tap()
    first.locator("button[type=submit]").first.click()
    first = page.locator("article.item").nth(0)
    expect(first.locator(".errorlist")).to_contain_text("请说明核查发现的情况")
    expect(first.locator("input[value=not_met]")).to_be_checked()
    no_horizontal_scroll(page, 390)
    screenshot(page, "inspections-check-refused-phone")
    first.locator("textarea").fill("加工区与就餐区未按承诺分隔")
    first.locator("button[type=submit]").first.click()
    expect(page.locator("article.item").nth(0).locator(".saved")).to_contain_text("不符合")

    # a photo on item 1, taken by the phone's camera (a file chooser here)
    first = page.locator("article.item").nth(0)
    first.locator("input[type=file]").set_input_files(
        {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": site_photo()})
    first.locator("form.photo-form button").click()
    expect(page.locator("article.item").nth(0).locator("ul.photos img")).to_have_count(1)
    page.wait_for_function("document.querySelector('ul.photos img').complete")
    assert page.evaluate("document.querySelector('ul.photos img').naturalWidth") == 320  # served and shown

    for i in range(1, count):
        item = page.locator("article.item").nth(i)
        item.locator("label.result-met" if i % 3 else "label.result-na").tap()
        item.locator("button[type=submit]").first.click()
        expect(page.locator("article.item").nth(i).locator(".saved")).to_be_visible()
    expect(page.locator("#conclusion")).to_contain_text("不符合")
    expect(page.locator("#missing")).to_have_count(0)
    no_horizontal_scroll(page, 390)
    screenshot(page, "inspections-check-phone")

    page.click("#sign-off")
    expect(page.locator("#waiting")).to_contain_text("核查员 钱芳")
    expect(page.locator("#sign-off")).to_have_count(0)
    no_horizontal_scroll(page, 390)
    screenshot(page, "inspections-check-waiting-phone")
    obligation_url = page.url.split("#")[0]

    second = phone()
    log_in(second, live_server.url, "inspector2")
    second.goto(obligation_url)
    expect(second.locator("#signoffs")).to_contain_text("核查员 孙磊")
    second.click("#sign-off")
    expect(second.locator("#concluded")).to_be_visible()
    expect(second.locator("#obligation-state")).to_have_text("不符合")
    no_horizontal_scroll(second, 390)
    screenshot(second, "inspections-check-concluded-phone")

    record = InspectionRecord.objects.get(photos__isnull=False)
    assert record.obligation.state == ObligationState.NON_COMPLIANT and record.signoffs.count() == 2
    photo = RecordPhoto.objects.get()
    assert second.request.get(f"{live_server.url}/checks/photos/{photo.pk}/").status == 200


def test_a_supervisor_runs_and_verifies_a_draw_at_a_desk(live_server, new_page, screenshot):
    call_command("load_demo", verbosity=0)
    page = new_page("desk")
    log_in(page, live_server.url, "supervisor")
    page.click("#nav-draws")
    expect(page.locator("#draws tbody tr")).to_have_count(1)
    screenshot(page, "inspections-draws-desk")

    page.click("#draw-new")
    page.fill("#id_draw-title", "公共场所卫生许可告知承诺核查（第二批）")
    page.locator("#draw-matters label.check").filter(has_text="公共场所卫生许可").click()
    page.fill("#id_draw-issued_from", (timezone.localdate() - timedelta(days=400)).isoformat())
    page.fill("#id_draw-seed_number", "314159")
    no_horizontal_scroll(page, 1366)
    screenshot(page, "inspections-draw-new-desk")
    page.click("#draw-submit")
    expect(page.locator("#draw-state")).to_have_text("已设定")
    page.click("#draw-run")  # the demo's hygiene licences are all drawn already: refused in place
    expect(page.locator("#run-errors")).to_contain_text("没有待核查的许可证")

    demo = Draw.objects.exclude(number=None).get()
    page.goto(f"{live_server.url}/draws/{demo.pk}/")
    page.click("#draw-verify")
    expect(page.locator("#verify-result")).to_contain_text("一致")
    expect(page.locator("#targets tbody tr")).to_have_count(len(demo.result))
    expect(page.locator("#population-hash")).to_have_text(demo.population_hash)
    no_horizontal_scroll(page, 1366)
    screenshot(page, "inspections-draw-desk")

    page.goto(f"{live_server.url}/obligations/overdue/")
    expect(page.locator("h1")).to_have_text("逾期未核查")
    page.goto(f"{live_server.url}/recusals/")
    page.select_option("#id_recusal-inspector", label="核查员 钱芳")
    page.fill("#id_recusal-subject_number", Obligation.objects.filter(draw=demo).first().licence.holder.number)
    page.click("#recusal-submit")
    expect(page.locator("#id_recusal-reason-errors")).to_contain_text("请填写回避的理由")
    expect(page.locator("#id_recusal-subject_number")).not_to_have_value("")  # what was typed is kept
    page.fill("#id_recusal-reason", "系该店经营者的近亲属")
    page.click("#recusal-submit")
    expect(page.locator("#recusals")).to_contain_text("系该店经营者的近亲属")
    screenshot(page, "inspections-recusals-desk")


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_public_draw_page(live_server, new_page, screenshot, size):
    call_command("load_demo", verbosity=0)
    draw = Draw.objects.exclude(number=None).get()
    page = new_page(size)
    page.goto(f"{live_server.url}/public/draws/")
    page.click(f"text={draw.number}")
    expect(page.locator("#public-targets tbody tr")).to_have_count(len(draw.result))
    expect(page.locator("#public-targets")).to_contain_text("符合")  # the demo's concluded check
    expect(page.locator("#public-targets")).to_contain_text("核查员 孙磊")
    body = page.locator("main").inner_text()
    for obligation in Obligation.objects.filter(draw=draw).select_related("licence__holder"):
        assert obligation.licence.number in body and obligation.licence.holder.number not in body
    assert Matter.objects.get(code="WSJK-GGCS-001").name in body
    no_horizontal_scroll(page, SIZES[size]["width"])
    screenshot(page, f"inspections-public-draw-{size}")
