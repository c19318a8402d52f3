"""The sanctions pages: supervisors drive a case through the ladder in the pages, refusals show in place,
the subject objects and applies for repair on its own page, and the public lists mask names and numbers."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django.utils.html import escape

from approvals.models import LicenceState
from approvals.roles import SUPERVISOR, WINDOW_STAFF
from approvals.services import Refused, application_decide
from sanctions import services
from sanctions.models import (
    Objection, Restriction, RestrictionState, Violation, ViolationKind, ViolationState,
)
from tests.approvals.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR, first_name="监管员")


@pytest.fixture
def licence(applicant, matter, staff):  # noqa: F811
    """The applicant holds a valid licence, issued on the spot."""
    application = committed(applicant)
    return application_decide(application_id=application.pk, by=staff)[0]


def open_case(subject, by, kind="untrue", licences=(), findings="现场核查：经营场所面积与承诺不符"):
    return services.violation_open_manual(subject=subject, kind=kind, findings=findings, evidence="核查记录",
                                          licences=list(licences), by=by)


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


class _Section(HTMLParser):
    """The text inside the element with an id, nested elements included."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self, element_id):
        super().__init__(convert_charrefs=True)
        self.element_id, self.depth, self.found, self.parts = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in self.VOID:
                self.depth += 1
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found, self.depth = True, (0 if tag in self.VOID else 1)

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def element(html: str, element_id: str) -> str:
    parser = _Section(element_id)
    parser.feed(html)
    assert parser.found, f"no element #{element_id} on the page"
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def case_state(client, violation) -> str:
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    return re.search(r'id="case-state" data-state="(\w+)"', html).group(1)


SUPERVISOR_PAGES = ["/sanctions/", "/sanctions/new/", "/sanctions/restrictions/", "/sanctions/restrictions/new/",
                    "/sanctions/objections/", "/sanctions/repairs/", "/sanctions/key-targets/"]


def test_every_supervisor_page_renders(client, supervisor, licence, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor, licences=[licence])
    restriction = services.restriction_impose_manual(
        subject=applicant, reason="提供虚假材料", legal_basis="《德州市告知承诺制办法》第十二条",
        starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(days=30), by=supervisor)
    client.force_login(supervisor)
    for url in SUPERVISOR_PAGES + [f"/sanctions/{violation.pk}/", f"/sanctions/restrictions/{restriction.pk}/",
                                   f"/sanctions/new/?subject_number={applicant.number}"]:
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    assert applicant.number in html  # full numbers for supervisors
    assert licence.number in element(html, "licences")
    assert 'id="nav-violations"' in html


def test_others_are_refused_and_the_anonymous_sent_to_log_in(client, applicant, licence, supervisor):  # noqa: F811
    violation = open_case(applicant, supervisor)
    urls = SUPERVISOR_PAGES + [f"/sanctions/{violation.pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for user in (applicant.user, UserFactory(role=WINDOW_STAFF)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "1"}).status_code == 403
    violation.refresh_from_db()
    assert violation.state == ViolationState.OPENED


def test_supervisor_drives_a_case_up_the_ladder(client, supervisor, licence, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor, licences=[licence])
    client.force_login(supervisor)
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    # only what the state allows: grading, with the kind's level preselected
    assert 'id="grade"' in html and 'id="revoke"' not in html and 'id="order"' not in html
    assert re.search(r'<option value="1" selected>', html)

    response = client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "1", "grade-reason": ""})
    assert response.status_code == 302
    assert case_state(client, violation) == ViolationState.GRADED
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    assert 'id="order"' in html and 'id="order-default"' in html and 'id="grade"' not in html

    response = client.post(f"/sanctions/{violation.pk}/order-rectification/", {"order-deadline": ""}, follow=True)
    violation.refresh_from_db()
    assert violation.state == ViolationState.RECTIFICATION_ORDERED and violation.rectification_deadline
    assert violation.rectification_deadline.isoformat() in text(response.content.decode())

    client.post(f"/sanctions/{violation.pk}/not-rectified/", {"not_rectified-reason": "逾期未整改"})
    assert case_state(client, violation) == ViolationState.NOT_RECTIFIED
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    assert "撤销许可决定" in element(html, "revoke") and "制约名单" not in element(html, "revoke")

    response = client.post(f"/sanctions/{violation.pk}/revoke/", {"revoke-reason": "拒不整改，撤销许可决定"},
                           follow=True)
    html = response.content.decode()
    violation.refresh_from_db()
    licence.refresh_from_db()
    assert violation.state == ViolationState.CLOSED and violation.level == 2
    assert licence.state == LicenceState.REVOKED
    assert 'data-state="closed"' in html and 'id="no-actions"' in html
    assert "拒不整改，撤销许可决定" in element(html, "timeline")


def test_a_level_three_case_says_it_will_restrict_and_does(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor, kind="false_materials", findings="提交伪造的检测报告")
    client.force_login(supervisor)
    client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "3"})
    html = client.get(f"/sanctions/{violation.pk}/").content.decode()
    assert "撤销许可决定并列入违诺制约名单" in element(html, "revoke")

    client.post(f"/sanctions/{violation.pk}/revoke/", {"revoke-reason": "弄虚作假"})

    restriction = Restriction.objects.get(violation=violation)
    assert restriction.key_supervision and restriction.state == RestrictionState.ACTIVE
    assert case_state(client, violation) == ViolationState.CLOSED
    listing = client.get("/sanctions/restrictions/").content.decode()
    assert applicant.name in element(listing, "restrictions")
    assert applicant.name in element(client.get("/sanctions/key-targets/").content.decode(), "key-targets")


def test_a_refusal_shows_in_chinese_and_keeps_what_was_typed(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor)
    client.force_login(supervisor)

    response = client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "3", "grade-reason": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写定级高于该违诺类型默认等级的理由。" in element(html, "id_grade-reason-errors")
    assert re.search(r'<option value="3" selected>', html)
    violation.refresh_from_db()
    assert violation.state == ViolationState.OPENED

    client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "1"})
    typed = "整改内容 <见附件>"
    response = client.post(f"/sanctions/{violation.pk}/order-rectification/",
                           {"order-deadline": "2020-01-01", "order-reason": typed})
    html = response.content.decode()
    with pytest.raises(Refused) as refusal:
        services.violation_order_rectification(violation_id=violation.pk, by=supervisor,
                                               deadline=timezone.localdate())
    message = refusal.value.message_dict["deadline"][0]
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert message in element(html, "id_order-deadline-errors")
    assert 'value="2020-01-01"' in html and escape(typed) in html


def test_revoking_without_reasons_is_refused_in_place(client, supervisor, licence, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor, licences=[licence], kind="deception")
    client.force_login(supervisor)
    client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "3"})
    response = client.post(f"/sanctions/{violation.pk}/revoke/", {"revoke-reason": "  "})
    assert response.status_code == 200
    assert element(response.content.decode(), "id_revoke-reason-errors")
    assert case_state(client, violation) == ViolationState.GRADED


def test_opening_a_case_by_the_subjects_number(client, supervisor, licence, applicant):  # noqa: F811
    client.force_login(supervisor)
    html = client.get(f"/sanctions/new/?subject_number={applicant.number}").content.decode()
    assert licence.number in element(html, "case-licences")
    missing = client.get("/sanctions/new/?subject_number=110101199001011234").content.decode()
    assert element(missing, "find-errors")

    refused = client.post("/sanctions/new/", {"subject_number": applicant.number, "kind": "untrue",
                                              "findings": " ", "evidence": "照片三张"})
    assert refused.status_code == 200 and element(refused.content.decode(), "id_findings-errors")
    assert "照片三张" in refused.content.decode()

    response = client.post("/sanctions/new/", {"subject_number": applicant.number, "kind": "untrue",
                                               "findings": "承诺内容与实际不符", "licences": [licence.pk]})
    violation = Violation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sanctions/{violation.pk}/"
    assert list(violation.licences.all()) == [licence] and violation.opened_by == supervisor


def test_supervisor_imposes_and_lifts_a_restriction(client, supervisor, applicant):  # noqa: F811
    client.force_login(supervisor)
    data = {"subject_number": applicant.number, "scope": "all", "reason": "多次违诺", "legal_basis": "办法第十二条",
            "starts_at": "2026-12-01T09:00", "ends_at": "2026-11-01T09:00", "key_supervision": "on"}
    refused = client.post("/sanctions/restrictions/new/", data)
    assert refused.status_code == 200 and element(refused.content.decode(), "id_ends_at-errors")
    assert 'value="2026-11-01T09:00"' in refused.content.decode()

    start = timezone.localtime()
    data.update(starts_at=start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(start + timezone.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M"))
    response = client.post("/sanctions/restrictions/new/", data)
    restriction = Restriction.objects.get()
    assert response.status_code == 302 and restriction.key_supervision

    assert element(client.post(f"/sanctions/restrictions/{restriction.pk}/lift/", {"lift-reason": ""})
                   .content.decode(), "id_lift-reason-errors")
    client.post(f"/sanctions/restrictions/{restriction.pk}/lift/", {"lift-reason": "信用修复完成"})
    restriction.refresh_from_db()
    assert restriction.state == RestrictionState.LIFTED
    html = client.get("/sanctions/restrictions/?state=lifted").content.decode()
    assert applicant.name in element(html, "restrictions")


def test_objection_and_repair_queues_link_to_the_case(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor)
    services.objection_file(violation_id=violation.pk, by=applicant.user, grounds="面积测量有误")
    client.force_login(supervisor)
    html = client.get("/sanctions/objections/").content.decode()
    assert f"/sanctions/{violation.pk}/" in html and violation.number in element(html, "objections")

    response = client.post(f"/sanctions/{violation.pk}/objections/{violation.objections.get().pk}/decide/",
                           {"objection-reasons": "复核属实"})  # no decision chosen: refused in place
    assert element(response.content.decode(), "objection-decision-errors")
    client.post(f"/sanctions/{violation.pk}/objections/{violation.objections.get().pk}/decide/",
                {"objection-decision": "upheld", "objection-reasons": "复核属实"})
    assert case_state(client, violation) == ViolationState.WITHDRAWN


def test_the_public_lists_mask_names_and_numbers(client, supervisor):
    person = PersonFactory(name="张三明")
    company = OrganisationFactory(name="德州示范贸易有限公司")
    for subject in (person, company):
        violation = open_case(subject, supervisor, kind="identity", findings="冒用他人身份")
        services.violation_grade(violation_id=violation.pk, by=supervisor)
        services.violation_revoke(violation_id=violation.pk, by=supervisor, reason="弄虚作假")

    for url, table in (("/public/restrictions/", "public-restrictions"), ("/public/violations/", "public-violations")):
        html = client.get(url).content.decode()
        shown = element(html, table)
        assert "张*明" in shown and "张三明" not in html
        assert person.number not in html and company.number not in html
        assert person.number[:4] in shown and person.number[-4:] in shown
        found = element(client.get(url, {"q": "三明"}).content.decode(), table)
        assert "张*明" in found and "贸易" not in found


def test_a_case_under_objection_is_not_published(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor, kind="false_materials")
    services.violation_grade(violation_id=violation.pk, by=supervisor)
    services.violation_revoke(violation_id=violation.pk, by=supervisor, reason="弄虚作假")
    assert violation.number in client.get("/public/violations/").content.decode()

    services.objection_file(violation_id=violation.pk, by=applicant.user, grounds="材料系他人代办时出错")

    assert violation.number not in client.get("/public/violations/").content.decode()
    assert violation.number not in client.get("/public/restrictions/").content.decode()


def test_the_applicant_objects_once(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor)
    client.force_login(applicant.user)
    html = client.get("/my/cases/").content.decode()
    assert violation.number in html and f'id="object-{violation.pk}"' in html
    assert 'id="nav-my-cases"' in html

    empty = client.post(f"/my/cases/{violation.pk}/objection/", {f"objection{violation.pk}-grounds": ""})
    assert element(empty.content.decode(), f"id_objection{violation.pk}-grounds-errors")

    response = client.post(f"/my/cases/{violation.pk}/objection/",
                           {f"objection{violation.pk}-grounds": "面积测量有误"}, follow=True)
    html = response.content.decode()
    assert Objection.objects.filter(violation=violation).count() == 1
    assert f'id="object-{violation.pk}"' not in html and "面积测量有误" in html

    again = client.post(f"/my/cases/{violation.pk}/objection/", {f"objection{violation.pk}-grounds": "再次异议"})
    assert again.status_code == 200
    assert f"已对案件{violation.number}提出过异议" in element(again.content.decode(), "objection-errors")
    assert Objection.objects.filter(violation=violation).count() == 1


def test_the_applicant_sees_the_repair_refusal(client, supervisor, applicant):  # noqa: F811
    violation = open_case(applicant, supervisor)
    client.force_login(applicant.user)
    response = client.post(f"/my/cases/{violation.pk}/repair/", {f"repair{violation.pk}-evidence": "已整改"})
    assert response.status_code == 200 and element(response.content.decode(), "repair-errors")


def test_others_cases_are_not_reachable_by_an_applicant(client, supervisor, applicant):  # noqa: F811
    other = open_case(PersonFactory(), supervisor)
    client.force_login(applicant.user)
    assert other.number not in client.get("/my/cases/").content.decode()
    assert client.post(f"/my/cases/{other.pk}/objection/", {f"objection{other.pk}-grounds": "x"}).status_code == 404


def test_kinds_have_their_default_level():
    assert ViolationKind.objects.get(code="untrue").level == 1
