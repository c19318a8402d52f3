"""Sanctions over REST: who may do what, each action's happy path and a refusal (400 in Chinese, 409 for the
case's state), Idempotency-Key replays, the public masked lists and the schema."""

import base64
import re
from datetime import timedelta

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from approvals.models import LicenceState, StateChange
from approvals.roles import SUPERVISOR
from approvals.services import application_choose_commitment, application_decide, application_start, signature_sign
from sanctions.models import FeedRecord, RestrictionState, ViolationState
from tests.api.helpers import client_for
from tests.approvals.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _catalog(matter):
    """WS-001, the matter every licence here is issued for."""


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR)


@pytest.fixture
def boss(supervisor):
    return client_for(supervisor)


@pytest.fixture
def me(applicant):
    return client_for(applicant.user)


def licensed(person, staff):
    application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD,
                   ip_address="10.0.0.8", user_agent="pytest")
    (licence,) = application_decide(application_id=application.pk, by=staff)
    return licence


def open_case(client, subject, kind, licences=(), **headers):
    return client.post("/api/violations/", {
        "subject_id": subject.pk, "kind": kind, "findings": "核查发现所报经营场所不存在，所附租赁合同系伪造",
        "evidence": "现场核查记录", "licence_numbers": [licence.number for licence in licences],
    }, format="json", headers=headers)


def chinese(response) -> str:
    body = response.json()
    message = " ".join(body["detail"] + [m for ms in body.get("fields", {}).values() for m in ms])
    assert CHINESE.search(message), body
    return message


def concluded_fraud(boss, applicant, staff):
    licence = licensed(applicant, staff)
    case = open_case(boss, applicant, "identity", licences=[licence]).json()
    assert boss.post(f"/api/violations/{case['id']}/grade/").status_code == 200
    revoked = boss.post(f"/api/violations/{case['id']}/revoke/", {"reason": "冒用他人身份"}, format="json")
    assert revoked.status_code == 200, revoked.json()
    return revoked.json()


# ---------------------------------------------------------------- who may do what


def test_anonymous_gets_the_public_lists_and_nothing_else(applicant, supervisor):
    RestrictionFactory(subject=applicant)
    anonymous = APIClient()
    assert anonymous.get("/api/public/restrictions/").status_code == 200
    assert anonymous.get("/api/public/violations/").status_code == 200
    for path in ("/api/violations/", "/api/restrictions/", "/api/credit-feed/", "/api/credit-feed.csv"):
        assert anonymous.get(path).status_code in (401, 403), path
    assert anonymous.post("/api/violations/", {}, format="json").status_code in (401, 403)


def test_the_applicant_cannot_grade_and_the_supervisor_can(boss, me, applicant):
    case = open_case(boss, applicant, "false_materials")
    assert case.status_code == 201, case.json()
    case_id = case.json()["id"]

    refused = me.post(f"/api/violations/{case_id}/grade/")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    chinese(refused)
    assert me.post("/api/violations/", {"subject_id": applicant.pk, "kind": "untrue", "findings": "x"},
                   format="json").status_code == 403

    graded = boss.post(f"/api/violations/{case_id}/grade/")
    assert graded.status_code == 200
    assert (graded.json()["state"], graded.json()["level"]) == ("graded", 3)


def test_a_subject_sees_only_its_own_cases(boss, me, applicant):
    mine = open_case(boss, applicant, "untrue").json()
    other = open_case(boss, PersonFactory(), "untrue").json()
    listed = me.get("/api/violations/").json()
    assert [row["id"] for row in listed["results"]] == [mine["id"]]
    assert listed["results"][0]["subject"]["number"] == applicant.masked_number  # masked outside staff pages
    assert me.get(f"/api/violations/{other['id']}/").status_code == 404
    assert me.post(f"/api/violations/{other['id']}/objections/", {"grounds": "x"}, format="json").status_code == 404
    assert len(boss.get("/api/violations/").json()["results"]) == 2


def test_the_supervisor_filters_cases_by_state_level_kind_and_subject(boss, applicant):
    first = open_case(boss, applicant, "untrue").json()
    other = PersonFactory()
    second = open_case(boss, other, "identity").json()
    boss.post(f"/api/violations/{second['id']}/grade/")

    def ids(**params):
        return [row["id"] for row in boss.get("/api/violations/", params).json()["results"]]

    assert ids(state="graded") == [second["id"]]
    assert ids(level=3) == [second["id"]]
    assert ids(kind="untrue") == [first["id"]]
    assert ids(subject=other.number) == [second["id"]]


# ---------------------------------------------------------------- the ladder through the API


def test_level_one_rectified_in_time_closes_and_a_repeat_is_a_409(boss, supervisor, applicant, staff):
    licence = licensed(applicant, staff)
    case_id = open_case(boss, applicant, "untrue", licences=[licence]).json()["id"]
    assert boss.post(f"/api/violations/{case_id}/grade/").json()["level"] == 1

    past = boss.post(f"/api/violations/{case_id}/order-rectification/",
                     {"deadline": timezone.localdate().isoformat()}, format="json")
    assert past.status_code == 400 and "deadline" in past.json()["fields"]
    chinese(past)
    ordered = boss.post(f"/api/violations/{case_id}/order-rectification/", {}, format="json")
    assert ordered.status_code == 200 and ordered.json()["state"] == "rectification_ordered"
    assert ordered.json()["rectification_deadline"] > timezone.localdate().isoformat()

    empty = boss.post(f"/api/violations/{case_id}/rectified/", {"report": " "}, format="json")
    assert empty.status_code == 400 and "report" in empty.json()["fields"]
    chinese(empty)
    closed = boss.post(f"/api/violations/{case_id}/rectified/", {"report": "已整改并通过复查"}, format="json")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert [c["target"] for c in closed.json()["timeline"]] == [
        "opened", "graded", "rectification_ordered", "rectified", "closed"]
    assert closed.json()["timeline"][1]["by"] == supervisor.get_username()

    again = boss.post(f"/api/violations/{case_id}/grade/")
    assert again.status_code == 409 and again.json()["code"] == "state"
    assert "WN-" in chinese(again)


def test_level_one_not_rectified_becomes_level_two_and_the_licence_is_revoked(boss, applicant, staff):
    licence = licensed(applicant, staff)
    case_id = open_case(boss, applicant, "not_supplied", licences=[licence]).json()["id"]
    boss.post(f"/api/violations/{case_id}/grade/")
    direct = boss.post(f"/api/violations/{case_id}/revoke/", {"reason": "x"}, format="json")
    assert direct.status_code == 409  # level 1 is not revoked directly
    boss.post(f"/api/violations/{case_id}/order-rectification/", {}, format="json")

    no_reason = boss.post(f"/api/violations/{case_id}/not-rectified/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    failed = boss.post(f"/api/violations/{case_id}/not-rectified/", {"reason": "拒不整改"}, format="json")
    assert (failed.json()["state"], failed.json()["level"]) == ("not_rectified", 2)

    revoked = boss.post(f"/api/violations/{case_id}/revoke/", {"reason": "逾期未整改"}, format="json")
    assert revoked.status_code == 200 and revoked.json()["state"] == "closed"
    assert revoked.json()["licences"][0]["state"] == LicenceState.REVOKED
    assert revoked.json()["restrictions"] == []


def test_escalation_needs_a_reason(boss, applicant):
    case_id = open_case(boss, applicant, "untrue").json()["id"]
    boss.post(f"/api/violations/{case_id}/grade/")
    refused = boss.post(f"/api/violations/{case_id}/escalate/", {"level": 3}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["fields"]
    chinese(refused)
    bad_level = boss.post(f"/api/violations/{case_id}/escalate/", {"level": 7, "reason": "x"}, format="json")
    assert bad_level.status_code == 400 and bad_level.json()["code"] == "invalid"
    escalated = boss.post(f"/api/violations/{case_id}/escalate/", {"level": 3, "reason": "材料系伪造"},
                          format="json")
    assert (escalated.json()["state"], escalated.json()["level"]) == ("graded", 3)


def test_opening_a_case_refuses_unknown_kinds_and_licences(boss, applicant):
    unknown = open_case(boss, applicant, "no-such-kind")
    assert unknown.status_code == 400 and "kind" in unknown.json()["fields"]
    chinese(unknown)
    licence = boss.post("/api/violations/", {"subject_id": applicant.pk, "kind": "untrue", "findings": "x",
                                             "licence_numbers": ["NO-SUCH"]}, format="json")
    assert licence.status_code == 400 and "licence_numbers" in licence.json()["fields"]
    no_findings = boss.post("/api/violations/", {"subject_id": applicant.pk, "kind": "untrue"}, format="json")
    assert no_findings.status_code == 400 and "findings" in no_findings.json()["fields"]
    assert boss.post("/api/violations/", {"subject_id": 999_999, "kind": "untrue", "findings": "x"},
                     format="json").status_code == 404


def test_level_three_is_restricted_published_masked_frozen_by_an_objection_and_repaired(
        boss, me, applicant, staff, supervisor):
    case = concluded_fraud(boss, applicant, staff)
    assert case["state"] == ViolationState.CLOSED and case["licences"][0]["state"] == LicenceState.REVOKED
    (restriction,) = case["restrictions"]
    assert restriction["in_force"] and restriction["key_supervision"]
    assert [c["object"] for c in case["timeline"]].count("restriction") == 1

    anonymous = APIClient()
    (public_case,) = anonymous.get("/api/public/violations/").json()["results"]
    (public_restriction,) = anonymous.get("/api/public/restrictions/").json()["results"]
    for row in (public_case, public_restriction):
        assert row["subject"]["number"] == applicant.masked_number != applicant.number
        assert row["subject"]["name"] == applicant.masked_name != applicant.name
    assert public_case["number"] == case["number"] and public_restriction["kind_name"] == "冒用他人身份"

    assert boss.post(f"/api/violations/{case['id']}/objections/", {"grounds": "x"},
                     format="json").status_code == 403  # supervisors do not object
    objection = me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "身份证系被盗用"}, format="json")
    assert objection.status_code == 201 and objection.json()["state"] == "open"
    assert anonymous.get("/api/public/violations/").json()["results"] == []  # frozen
    assert anonymous.get("/api/public/restrictions/").json()["results"] == []
    twice = me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "再次"}, format="json")
    assert twice.status_code == 400 and twice.json()["code"] == "duplicate"
    chinese(twice)

    objection_id = objection.json()["id"]
    assert me.post(f"/api/objections/{objection_id}/decide/", {"upheld": True, "reasons": "x"},
                   format="json").status_code == 403
    no_reasons = boss.post(f"/api/objections/{objection_id}/decide/", {"upheld": False}, format="json")
    assert no_reasons.status_code == 400 and "reasons" in no_reasons.json()["fields"]
    rejected = boss.post(f"/api/objections/{objection_id}/decide/", {"upheld": False, "reasons": "证据确凿"},
                         format="json")
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    assert len(anonymous.get("/api/public/violations/").json()["results"]) == 1  # published again
    decided = boss.post(f"/api/objections/{objection_id}/decide/", {"upheld": True, "reasons": "x"}, format="json")
    assert decided.status_code == 409 and decided.json()["code"] == "state"

    repair = me.post(f"/api/violations/{case['id']}/repairs/", {"evidence": "已完成信用修复培训"}, format="json")
    assert repair.status_code == 201 and repair.json()["state"] == "submitted"
    again = me.post(f"/api/violations/{case['id']}/repairs/", {"evidence": "再次"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    approved = boss.post(f"/api/repairs/{repair.json()['id']}/decide/", {"approved": True, "reasons": "材料齐全"},
                         format="json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert anonymous.get("/api/public/restrictions/").json()["results"] == []
    assert anonymous.get("/api/public/violations/").json()["results"] == []
    detail = boss.get(f"/api/violations/{case['id']}/").json()
    assert detail["restrictions"][0]["state"] == RestrictionState.LIFTED
    assert [o["state"] for o in detail["objections"]] == ["rejected"]
    assert [r["state"] for r in detail["repairs"]] == ["approved"]


def test_an_upheld_objection_withdraws_the_case_and_its_restriction(boss, me, applicant, staff):
    case = concluded_fraud(boss, applicant, staff)
    objection = me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "被冒用"}, format="json").json()
    upheld = boss.post(f"/api/objections/{objection['id']}/decide/", {"upheld": True, "reasons": "公安证明"},
                       format="json")
    assert upheld.json()["state"] == "upheld"
    detail = boss.get(f"/api/violations/{case['id']}/").json()
    assert detail["state"] == "withdrawn" and detail["restrictions"][0]["state"] == "withdrawn"
    refused = me.post(f"/api/violations/{case['id']}/repairs/", {"evidence": "x"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "state"


# ---------------------------------------------------------------- the restriction list


def test_the_restriction_list_is_read_by_staff_and_supervisors_and_searched(boss, me, staff, applicant):
    company = OrganisationFactory(name="德令哈市某某商贸有限公司")
    RestrictionFactory(subject=applicant, key_supervision=False)
    RestrictionFactory(subject=company)
    ended = RestrictionFactory(subject=PersonFactory(), ended=True).subject
    desk = client_for(staff)
    assert me.get("/api/restrictions/").status_code == 403

    def numbers(client, **params):
        response = client.get("/api/restrictions/", params)
        assert response.status_code == 200
        return sorted(row["subject"]["number"] for row in response.json()["results"])

    assert len(numbers(desk)) == 3
    assert numbers(desk, q="商贸") == [company.number]
    assert numbers(boss, q=applicant.number) == [applicant.number]  # staff see full numbers
    assert numbers(boss, key_supervision="true") == sorted([company.number, ended.number])
    assert numbers(boss, state="active") == sorted([company.number, applicant.number])
    assert numbers(boss, state="expired") == [ended.number]
    expired = boss.get("/api/restrictions/", {"state": "expired"}).json()["results"][0]
    assert (expired["state"], expired["in_force"]) == ("expired", False)  # before the sweep records it


def test_a_supervisor_imposes_and_lifts_a_restriction(boss, staff, applicant):
    now = timezone.now()
    body = {"subject_id": applicant.pk, "reason": "核查不合格，取消告知承诺资格", "legal_basis": "《实施办法》第十条",
            "starts_at": now.isoformat(), "ends_at": (now + timedelta(days=180)).isoformat()}
    assert client_for(staff).post("/api/restrictions/", body, format="json").status_code == 403
    backwards = boss.post("/api/restrictions/", {**body, "ends_at": (now - timedelta(days=1)).isoformat()},
                          format="json")
    assert backwards.status_code == 400 and "ends_at" in backwards.json()["fields"]
    chinese(backwards)
    no_basis = boss.post("/api/restrictions/", {**body, "legal_basis": ""}, format="json")
    assert no_basis.status_code == 400 and "legal_basis" in no_basis.json()["fields"]

    created = boss.post("/api/restrictions/", body, format="json")
    assert created.status_code == 201 and created.json()["state"] == "active" and created.json()["in_force"]
    restriction_id = created.json()["id"]
    assert client_for(staff).get(f"/api/restrictions/{restriction_id}/").status_code == 200

    no_reason = boss.post(f"/api/restrictions/{restriction_id}/lift/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert client_for(staff).post(f"/api/restrictions/{restriction_id}/lift/", {"reason": "x"},
                                  format="json").status_code == 403
    lifted = boss.post(f"/api/restrictions/{restriction_id}/lift/", {"reason": "信用修复完成"}, format="json")
    assert lifted.status_code == 200 and lifted.json()["state"] == "lifted" and not lifted.json()["in_force"]
    again = boss.post(f"/api/restrictions/{restriction_id}/lift/", {"reason": "再次"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "state"
    chinese(again)
    assert list(FeedRecord.objects.filter(category="restriction").values_list("action", flat=True)) == [
        "publish", "withdraw"]


# ---------------------------------------------------------------- idempotency


def test_a_retried_grade_with_the_same_key_replays_the_first_response(boss, applicant):
    case_id = open_case(boss, applicant, "untrue").json()["id"]
    first = boss.post(f"/api/violations/{case_id}/grade/", headers={"Idempotency-Key": "grade-1"})
    again = boss.post(f"/api/violations/{case_id}/grade/", headers={"Idempotency-Key": "grade-1"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    assert StateChange.objects.filter(object_id=case_id, content_type__model="violation",
                                      target="graded").count() == 1
    other = boss.post(f"/api/violations/{case_id}/escalate/", {"level": 3, "reason": "x"},
                      headers={"Idempotency-Key": "grade-1"}, format="json")
    assert other.status_code == 422


def test_a_retried_open_creates_one_case_and_a_stored_refusal_replays(boss, me, applicant, staff):
    first = open_case(boss, applicant, "untrue", **{"Idempotency-Key": "open-1"})
    again = open_case(boss, applicant, "untrue", **{"Idempotency-Key": "open-1"})
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert boss.get("/api/violations/").json()["count"] == 1

    case = concluded_fraud(boss, applicant, staff)
    me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "不服"}, format="json")
    refused = me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "再次"}, format="json",
                      headers={"Idempotency-Key": "obj-2"})
    replay = me.post(f"/api/violations/{case['id']}/objections/", {"grounds": "再次"}, format="json",
                     headers={"Idempotency-Key": "obj-2"})
    assert refused.status_code == replay.status_code == 400
    assert replay.json() == refused.json() and replay.headers["Idempotent-Replayed"] == "true"


# ---------------------------------------------------------------- the feed endpoint and the schema


def test_the_feed_is_read_by_supervisors_and_the_platform_client(boss, me, applicant):
    now = timezone.now()
    restriction = boss.post("/api/restrictions/", {
        "subject_id": applicant.pk, "reason": "核查不合格", "legal_basis": "《实施办法》第十条",
        "ends_at": (now + timedelta(days=30)).isoformat()}, format="json").json()
    assert me.get("/api/credit-feed/").status_code == 403
    platform = UserFactory()  # the credit platform's API client: no role, only the permission
    platform.user_permissions.add(Permission.objects.get(content_type__app_label="sanctions",
                                                         codename="view_feedrecord"))
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{platform.username}:{PASSWORD}".encode())
                      .decode())
    page = basic.get("/api/credit-feed/")
    assert page.status_code == 200
    (record,) = page.json()["records"]
    assert (record["category"], record["action"]) == ("restriction", "publish")
    assert record["data"]["subject"]["number"] == applicant.number and record["data"]["ends_at"]
    assert page.json()["next"] == record["id"] == FeedRecord.objects.get().pk
    assert restriction["id"] == FeedRecord.objects.get().object_id
    assert boss.get("/api/credit-feed/", {"after": record["id"]}).json() == {"records": [], "next": None}
    too_many = boss.get("/api/credit-feed/", {"limit": 1001})
    assert too_many.status_code == 400 and "limit" in too_many.json()["fields"]


def test_the_schema_documents_the_sanctions_api_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(target.read_text())["paths"]
    for path in ("/api/violations/", "/api/violations/{violation_id}/grade/", "/api/objections/{objection_id}/decide/",
                 "/api/restrictions/{restriction_id}/lift/", "/api/public/restrictions/", "/api/credit-feed/",
                 "/api/credit-feed.csv"):
        assert path in paths, path
    grade = paths["/api/violations/{violation_id}/grade/"]["post"]
    assert {"400", "403", "409", "422"} <= set(grade["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in grade["parameters"])
