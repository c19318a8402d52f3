"""The inspection pages: an inspector does a whole check through the pages (a refused item keeps the others),
a supervisor defines, runs and verifies a draw, and the public draw page masks names and shows no ID numbers."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.roles import APPLICANT, INSPECTOR, SUPERVISOR, WINDOW_STAFF
from approvals.services import application_decide
from inspections.models import (
    Draw, DrawState, InspectionRecord, ItemCheck, Obligation, ObligationState, RecordPhoto, RecordState,
)
from inspections.services import draw_define
from tests.approvals.factories import CommitmentItemFactory, CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import make_matter, png, staff  # noqa: F401
from tests.inspections.drawing import run_draw
from tests.web.flows import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    version = make_matter()
    CommitmentItemFactory(version=version, text="从业人员持有效健康证明上岗")
    CommitmentItemFactory(version=version, text="设置符合要求的消毒保洁设施")
    return version


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR, first_name="监管员 周敏")


@pytest.fixture
def inspectors():
    return [UserFactory(role=INSPECTOR, first_name="核查员 孙磊"), UserFactory(role=INSPECTOR, first_name="核查员 钱芳")]


def licensed(staff, name="张三明"):  # noqa: F811
    holder = PersonFactory(name=name, user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=holder, grade="A")
    (licence,) = application_decide(application_id=committed(holder).pk, by=staff)
    return licence


def drawn(supervisor, pool, version):
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="食品经营许可告知承诺核查", matters=[version.matter],
                       issued_from=today - timedelta(days=30), issued_to=today, inspectors=pool, seed_number="738291")
    return run_draw(draw_id=draw.pk, by=supervisor)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def section(response, element_id: str, raw: bool = False) -> str:
    """The text of the element with this id, nested elements of the same tag included."""
    html = response.content.decode()
    start = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', html)
    assert start, f"no #{element_id} on the page"
    tag, depth, position = start.group(1), 0, start.start()
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[position:]):
        depth += -1 if match.group(1) else 1
        if depth == 0 and raw:
            return html[position:position + match.end()]
        if depth == 0:
            return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[position:position + match.end()])))
    raise AssertionError(f"#{element_id} is not closed")


def as_user(client, user):
    client.force_login(user)
    return client


def test_each_page_renders_for_its_role_and_is_refused_to_others(client, staff, supervisor, inspectors,  # noqa: F811
                                                                 version):
    licence = licensed(staff)
    draw = drawn(supervisor, inspectors, version)
    obligation = Obligation.objects.get(licence=licence)
    inspector_pages = ["/checks/", f"/checks/{obligation.pk}/"]
    supervisor_pages = ["/draws/", "/draws/new/", f"/draws/{draw.pk}/", "/obligations/overdue/", "/recusals/",
                        f"/checks/{obligation.pk}/"]
    public_pages = ["/public/draws/", f"/public/draws/{draw.number}/"]

    as_user(client, inspectors[0])
    for url in inspector_pages + public_pages:
        assert client.get(url).status_code == 200, url
    for url in ["/draws/", "/draws/new/", f"/draws/{draw.pk}/", "/obligations/overdue/", "/recusals/"]:
        assert client.get(url).status_code == 403, url
    assert "我的核查任务" in text(client.get("/"))  # the nav and the home page point to the checks

    as_user(client, supervisor)
    for url in supervisor_pages + public_pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/checks/").status_code == 403  # no checks of their own

    outsider = UserFactory(role=INSPECTOR)
    as_user(client, outsider)
    assert client.get(f"/checks/{obligation.pk}/").status_code == 404  # not assigned: not even its existence
    for role in (APPLICANT, WINDOW_STAFF):
        as_user(client, UserFactory(role=role))
        for url in inspector_pages + ["/draws/", "/recusals/", "/obligations/overdue/"]:
            assert client.get(url).status_code == 403, (role, url)

    client.logout()
    for url in inspector_pages + supervisor_pages:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in public_pages:
        assert client.get(url).status_code == 200, url


def test_an_inspector_does_a_whole_check_through_the_pages(client, staff, supervisor, inspectors,  # noqa: F811
                                                           version):
    licence = licensed(staff)
    drawn(supervisor, inspectors, version)
    obligation = Obligation.objects.get(licence=licence)
    first, second = inspectors
    url = f"/checks/{obligation.pk}/"

    as_user(client, first)
    listing = client.get("/checks/")
    assert licence.number in section(listing, "checks") and "张三明" in section(listing, "checks")
    assert "未开始" in section(listing, "checks")
    page = client.get(url)
    assert "开始核查" in text(page) and not InspectionRecord.objects.exists()  # opening the page creates nothing

    response = client.post(f"{url}start/", {})
    assert response.status_code == 302 and response["Location"].endswith(f"{url}#items")
    record = InspectionRecord.objects.get(obligation=obligation)
    one, two, three = record.items.order_by("position")
    base = f"{url}records/{record.pk}/"
    page = client.get(url)
    for item in (one, two, three):
        assert item.text in section(page, f"item-{item.pk}")
    assert "符合" in section(page, f"item-{one.pk}") and "不适用" in section(page, f"item-{one.pk}")

    response = client.post(f"{base}items/{one.pk}/", {f"item{one.pk}-result": "met", f"item{one.pk}-note": "与平面图一致"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{two.pk}")  # on to the next

    # not met without a note: refused on that item, in Chinese; item 1 stays saved, item 2 keeps what was chosen
    response = client.post(f"{base}items/{two.pk}/", {f"item{two.pk}-result": "not_met", f"item{two.pk}-note": " "})
    assert response.status_code == 200
    assert "请说明核查发现的情况" in section(response, f"id_item{two.pk}-note-errors")
    assert re.search(rf'value="not_met"[^>]*name="item{two.pk}-result"[^>]*checked|name="item{two.pk}-result"'
                     rf'[^>]*value="not_met"[^>]*checked', response.content.decode())
    assert "已保存：符合" in section(response, f"item-{one.pk}").replace(" ", "")
    assert ItemCheck.objects.get(pk=one.pk).result == "met" and ItemCheck.objects.get(pk=two.pk).result == ""

    client.post(f"{base}items/{two.pk}/", {f"item{two.pk}-result": "not_met",
                                           f"item{two.pk}-note": "两名从业人员健康证明过期"})
    response = client.post(f"{base}items/{three.pk}/", {f"item{three.pk}-result": "na"})
    assert response["Location"].endswith("#sign")

    # photos: content-checked by the service, shown only through the access-checked view
    response = client.post(f"{base}items/{two.pk}/photos/", {f"photo{two.pk}-photo": png("health.png")})
    assert response.status_code == 302
    photo = RecordPhoto.objects.get(item=two)
    bad = client.post(f"{base}items/{two.pk}/photos/", {
        f"photo{two.pk}-photo": SimpleUploadedFile("fake.png", b"not an image", content_type="image/png")})
    assert bad.status_code == 200 and "仅接受" in section(bad, f"id_photo{two.pk}-photo-errors")
    page = client.get(url)
    assert f'src="/checks/photos/{photo.pk}/"' in section(page, f"item-{two.pk}", raw=True)
    assert "/media/" not in page.content.decode()
    assert client.get(f"/checks/photos/{photo.pk}/").status_code == 200
    assert "不符合" in section(page, "conclusion")

    response = client.post(f"{base}sign/", {"sign-note": "现场核查，健康证明问题当场指出"})
    assert response.status_code == 302
    page = client.get(url)
    assert "等待另一名核查人员签署" in section(page, "waiting") and "核查员 钱芳" in section(page, "waiting")
    assert "核查员 孙磊" in section(page, "signoffs")
    assert f'action="{base}items/{one.pk}/#item-{one.pk}"' not in page.content.decode()  # read-only after the first sign-off
    assert 'id="sign-off"' not in page.content.decode()  # no second button for the signer
    response = client.post(f"{base}sign/", {})  # signing twice: refused in place
    assert response.status_code == 200 and "您已签署过该记录" in section(response, "sign-errors")
    response = client.post(f"{base}items/{one.pk}/", {f"item{one.pk}-result": "not_met", f"item{one.pk}-note": "x"})
    assert response.status_code == 200 and "不能再修改" in text(response)
    assert ItemCheck.objects.get(pk=one.pk).result == "met"

    as_user(client, second)
    page = client.get(url)
    assert "不符合" in section(page, "conclusion") and "签署确认" in section(page, "sign")
    assert client.get(f"/checks/photos/{photo.pk}/").status_code == 200
    response = client.post(f"{base}sign/", {})
    assert response.status_code == 302
    obligation.refresh_from_db()
    record.refresh_from_db()
    assert record.state == RecordState.SIGNED and record.conclusion == "non_compliant"
    assert obligation.state == ObligationState.NON_COMPLIANT and Draw.objects.get().state == DrawState.CONCLUDED
    page = client.get(url)
    assert "全部核查人员已于" in section(page, "concluded")
    assert 'id="checks-empty"' in client.get("/checks/").content.decode()  # off the open list

    # a correction needs a reason, then starts a new draft that references the signed record
    response = client.post(f"{base}correct/", {"correct-reason": ""})
    assert response.status_code == 200 and "请填写更正的理由" in text(response)
    response = client.post(f"{base}correct/", {"correct-reason": "第3项应为符合"})
    assert response.status_code == 302
    correction = InspectionRecord.objects.get(corrects=record)
    page = client.get(url)
    assert "更正第" in section(page, "correction-note") and "第3项应为符合" in section(page, "correction-note")
    for item in correction.items.all():  # the correction is recorded item by item again
        assert f'action="{url}records/{correction.pk}/items/{item.pk}/#item-{item.pk}"' in page.content.decode()

    # the photo stays out of reach for anyone not assigned, and for the public
    as_user(client, UserFactory(role=INSPECTOR))
    assert client.get(f"/checks/photos/{photo.pk}/").status_code == 404
    as_user(client, supervisor)
    assert client.get(f"/checks/photos/{photo.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/checks/photos/{photo.pk}/").status_code == 302


def test_a_supervisor_defines_runs_and_verifies_a_draw_through_the_pages(client, staff, supervisor,  # noqa: F811
                                                                         inspectors, version,
                                                                         django_capture_on_commit_callbacks):
    licences = [licensed(staff, name) for name in ("张三明", "李四", "王小五")]
    third = UserFactory(role=INSPECTOR, first_name="核查员 赵亮")
    as_user(client, supervisor)

    # a recusal through its page: the draw will record the exclusion with its reason
    response = client.post("/recusals/", {"recusal-inspector": third.pk, "recusal-subject_number": "",
                                          "recusal-reason": ""})
    assert response.status_code == 200 and "身份证号码" in section(response, "id_recusal-subject_number-errors")
    holder = licences[0].holder
    response = client.post("/recusals/", {"recusal-inspector": third.pk, "recusal-subject_number": holder.number,
                                          "recusal-reason": ""})
    assert "请填写回避的理由" in section(response, "id_recusal-reason-errors")
    response = client.post("/recusals/", {"recusal-inspector": third.pk, "recusal-subject_number": holder.number,
                                          "recusal-reason": "系持证人近亲属"})
    assert response.status_code == 302
    assert "系持证人近亲属" in section(client.get("/recusals/"), "recusals")

    form = client.get("/draws/new/")
    assert "核查员 赵亮" in section(form, "draw-inspectors")
    today = timezone.localdate()
    data = {"draw-title": "", "draw-issued_from": (today - timedelta(days=30)).isoformat(),
            "draw-issued_to": today.isoformat(), "draw-department": "", "draw-mode": "share",
            "draw-share_percent": "", "draw-count": "", "draw-inspectors": [u.pk for u in inspectors + [third]],
            "draw-inspectors_per_target": "2", "draw-recheck_days": "180", "draw-seed_number": "738291"}
    response = client.post("/draws/new/", data)  # no title, no matter, no share: each refused at its field
    assert response.status_code == 200 and not Draw.objects.exists()
    assert "请填写抽查名称" in section(response, "id_draw-title-errors")
    assert section(response, "id_draw-matters-errors").strip()
    assert "抽取比例" in section(response, "id_draw-share_percent-errors")
    assert 'value="738291"' in response.content.decode()  # what was typed is kept

    data.update({"draw-title": "2026年第四季度告知承诺核查", "draw-matters": [version.matter.pk], "draw-mode": "weighted"})
    response = client.post("/draws/new/", data)
    draw = Draw.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/draws/{draw.pk}/"
    page = client.get(f"/draws/{draw.pk}/")
    assert "开始抽取" in section(page, "inputs") and "738291" in section(page, "inputs")

    with django_capture_on_commit_callbacks() as sent_at_commit:
        response = client.post(f"/draws/{draw.pk}/run/", {})
    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.state == DrawState.DRAWN and len(draw.result) == 3
    # the result is fixed at the run; its assignments are written after the commit (a worker's task), and until
    # then the page says so and verification asks to wait
    assert "正在写入：0/3件" in section(client.get(f"/draws/{draw.pk}/"), "draw-applied")
    assert "正在写入" in section(client.post(f"/draws/{draw.pk}/verify/", {}), "verify-result")
    for callback in sent_at_commit:
        callback()
    page = client.get(f"/draws/{draw.pk}/")
    assert "写入于" in section(page, "draw-applied")
    assert draw.number in section(page, "draw-number") and draw.population_hash in section(page, "population-hash")
    assert draw.seed in section(page, "seed") and "draw/1" in section(page, "audit")
    targets = section(page, "targets")
    for licence in licences:
        assert licence.number in targets and licence.holder.number not in targets
    assert "张*明" in targets and "张三明" not in targets
    assert "系持证人近亲属" in section(page, "exclusions") and "核查员 赵亮" in section(page, "exclusions")
    assert "开始抽取" not in text(page)
    response = client.post(f"/draws/{draw.pk}/run/", {})  # a draw runs once
    assert response.status_code == 200 and "已于" in section(response, "run-errors")

    response = client.post(f"/draws/{draw.pk}/verify/", {})
    assert "一致" in section(response, "verify-result") and "不一致" not in section(response, "verify-result")
    Draw.objects.filter(pk=draw.pk).update(seed_number="738292")  # a stored input altered
    response = client.post(f"/draws/{draw.pk}/verify/", {})
    assert "不一致" in section(response, "verify-result") and "随机种子" in section(response, "verify-result")

    listing = client.get("/draws/")
    assert draw.number in section(listing, "draws") and "已完成0/3件" in section(listing, "draws")


def test_a_draw_with_too_few_inspectors_is_refused_on_its_page(client, staff, supervisor, inspectors,  # noqa: F811
                                                               version):
    licensed(staff)
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="抽查", matters=[version.matter], issued_from=today - timedelta(days=3),
                       issued_to=today, inspectors=inspectors[:1], seed_number="1")
    response = as_user(client, supervisor).post(f"/draws/{draw.pk}/run/", {})
    assert response.status_code == 200 and "每件核查需要2名" in section(response, "run-errors")
    assert Draw.objects.get(pk=draw.pk).state == DrawState.DEFINED


def test_overdue_obligations_are_listed_for_supervisors_without_any_sweep(client, staff, supervisor):  # noqa: F811
    """Overdue is derived from the due date when the page is read: open and due before today, overdue since the
    day after its due date. A concluded obligation, or one due today, is not listed; nothing has to run first."""
    make_matter()
    today = timezone.localdate()
    late, concluded, due_today = licensed(staff), licensed(staff, name="李四"), licensed(staff, name="王五")
    Obligation.objects.filter(pk__in=[late.obligation.pk, concluded.obligation.pk]).update(
        due_on=today - timedelta(days=3))
    Obligation.objects.filter(pk=concluded.obligation.pk).update(state=ObligationState.COMPLIANT)
    Obligation.objects.filter(pk=due_today.obligation.pk).update(due_on=today)

    page = as_user(client, supervisor).get("/obligations/overdue/")
    rows = re.findall(r'data-obligation="(\d+)"', section(page, "overdue", raw=True))
    assert rows == [str(late.obligation.pk)]
    row = section(page, "overdue")
    assert late.number in row and "张*明" in row
    assert (today - timedelta(days=2)).isoformat() in row  # overdue since: the day after it was due
    assert (today - timedelta(days=3)).isoformat() in row  # due on

    Obligation.objects.filter(pk=late.obligation.pk).update(state=ObligationState.NON_COMPLIANT)
    page = client.get("/obligations/overdue/")
    assert "overdue-empty" in page.content.decode()


def test_the_overdue_list_comes_a_page_at_a_time_longest_overdue_first(client, staff, supervisor,  # noqa: F811
                                                                         monkeypatch):
    monkeypatch.setattr("inspections.web.views.draws.OVERDUE_PER_PAGE", 2)
    make_matter()
    today = timezone.localdate()
    licences = [licensed(staff, name=name) for name in ("张三明", "李四", "王五")]
    for days, licence in zip((2, 9, 5), licences):
        Obligation.objects.filter(pk=licence.obligation.pk).update(due_on=today - timedelta(days=days))

    def listed(url):
        return re.findall(r'data-obligation="(\d+)"', section(client.get(url), "overdue", raw=True))

    as_user(client, supervisor)
    assert listed("/obligations/overdue/") == [str(licences[1].obligation.pk), str(licences[2].obligation.pk)]
    assert listed("/obligations/overdue/?page=2") == [str(licences[0].obligation.pk)]
    assert "1 / 2" in client.get("/obligations/overdue/").content.decode()


def test_the_public_draw_page_masks_names_and_shows_no_id_numbers(client, staff, supervisor, inspectors,  # noqa: F811
                                                                  version):
    licence = licensed(staff)
    draw = drawn(supervisor, inspectors, version)
    listing = client.get("/public/draws/")
    assert draw.number in section(listing, "public-draws")
    page = client.get(f"/public/draws/{draw.number}/")
    body = page.content.decode()
    assert licence.number in section(page, "public-targets") and "张*明" in section(page, "public-targets")
    assert "张三明" not in body and licence.holder.number not in body
    assert "核查员 孙磊" in section(page, "public-targets") and "核查中" in section(page, "public-targets")

    # once both inspectors sign, the result is public
    from inspections.services import record_item, record_open, record_sign

    obligation = licence.obligation
    record = record_open(obligation_id=obligation.pk, by=inspectors[0])
    for item in record.items.all():
        record_item(record_id=record.pk, item_id=item.pk, by=inspectors[0], result="met")
    for inspector in inspectors:
        record_sign(record_id=record.pk, by=inspector)
    page = client.get(f"/public/draws/{draw.number}/")
    assert "符合" in section(page, "public-targets") and "核查中" not in section(page, "public-targets")
    assert client.get("/public/draws/SJ-1999-99999/").status_code == 404
