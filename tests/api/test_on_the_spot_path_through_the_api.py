"""当场发证 through the API: the applicant applies online, chooses notify-and-commit, signs with the password;
window staff decide; the licence number comes back (case 14 Dezhou, case 15 Wuhan)."""

import pytest
from django.utils import timezone

from approvals.models import Licence, Signature
from approvals.services.texts import sha256_text
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for

pytestmark = pytest.mark.django_db


def test_apply_commit_sign_and_decide_on_the_spot(applicant, matter, staff):
    me = client_for(applicant.user)

    started = apply(me, applicant)
    assert started.status_code == 201, started.json()
    application = started.json()
    assert application["state"] == "checked" and application["overdue"] is False
    assert [m["matter_code"] for m in application["matters"]] == ["WS-001"]
    (entitlement,) = application["latest_credit_check"]["entitlements"]
    assert "commitment" in entitlement["modes"] and entitlement["grade"] == "A"
    url = f"/api/applications/{application['id']}"

    chosen = me.post(f"{url}/choose-commitment/")
    assert chosen.status_code == 200, chosen.json()
    letter = chosen.json()["letter"]
    assert letter["sha256"] == sha256_text(letter["text"]) and "健康合格证明" in letter["text"]
    assert chosen.json()["notice"]["sha256"] == sha256_text(chosen.json()["notice"]["text"])
    assert me.get(f"{url}/notice/").json() == chosen.json()

    signed = me.post(f"{url}/sign/", {"method": "password", "secret": PASSWORD}, format="json",
                     headers={"User-Agent": "SmartCounter/2.1"}, REMOTE_ADDR="10.1.2.3")
    assert signed.status_code == 200, signed.json()
    evidence = signed.json()
    assert evidence["text_sha256"] == letter["sha256"] and evidence["reauth_method"] == "password"
    assert (evidence["ip_address"], evidence["user_agent"]) == ("10.1.2.3", "SmartCounter/2.1")
    assert Signature.objects.get().ip_address == "10.1.2.3"

    decided = client_for(staff).post(f"{url}/decide/")
    assert decided.status_code == 200, decided.json()
    (licence,) = decided.json()["licences"]
    assert licence["number"] == f"WS-001-{timezone.localdate().year}-000001"
    assert licence["state"] == "valid" and licence["matter_code"] == "WS-001"
    assert Licence.objects.get().number == licence["number"]

    detail = me.get(f"{url}/").json()
    assert detail["state"] == "decided" and detail["matters"][0]["licence"]["number"] == licence["number"]
    assert [c["stage"] for c in me.get(f"{url}/credit-checks/").json()] == ["decision", "intake"]
    assert me.get(f"/api/licences/{licence['number']}/").json()["holder_name"] == applicant.name
