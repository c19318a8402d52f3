"""The applicant reads the notice and signs the letter on their phone: re-authentication is required, a
wrong password signs nothing and says so in place; the receipt shows time, channel and the hash."""

import pytest
from django.test import override_settings

from approvals.models import Application, ApplicationState, Signature
from approvals.otp import MemorySender
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.web.flows import IPHONE, element, has_element, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def phone(client, applicant):
    client.force_login(applicant.user)
    client.defaults["HTTP_USER_AGENT"] = IPHONE
    client.defaults["REMOTE_ADDR"] = "10.1.2.3"
    return client


def start_and_choose(phone, applicant) -> Application:
    response = phone.post("/apply/", {"subject": applicant.pk, "matters": ["WS-001"]})
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == page_url(application)
    assert application.channel == "online"
    response = phone.post(f"{page_url(application)}choose-commitment/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.NOTIFIED
    return application


def sign(phone, application, **fields):
    data = {"sign-method": "password", "sign-confirm": "on"}
    data.update({f"sign-{k}": v for k, v in fields.items()})
    return phone.post(f"{page_url(application)}sign/", data)


def test_wrong_password_then_the_right_one(phone, applicant, matter):
    application = start_and_choose(phone, applicant)
    html = phone.get(page_url(application)).content.decode()
    assert element(html, "letter-text").strip() == application.letter.text.strip()
    assert application.letter.sha256 in element(html, "letter-sha256")
    assert application.notice.text.splitlines()[0] in element(html, "notice-text")

    wrong = sign(phone, application, password="not-my-password")
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert has_element(html, "sign-password-errors")
    assert 'name="sign-confirm" id="id_sign-confirm" checked' in html  # the tick is kept
    assert not Signature.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.NOTIFIED

    right = sign(phone, application, password=PASSWORD)
    assert right.status_code == 302 and right.url == f"{page_url(application)}#signature"
    signature = Signature.objects.get()
    assert signature.channel == "mobile" and signature.ip_address == "10.1.2.3"
    assert signature.user_agent == IPHONE and signature.text_sha256 == application.letter.sha256
    html = phone.get(page_url(application)).content.decode()
    assert signature.text_sha256 in element(html, "signature-sha256")
    assert 'data-channel="mobile"' in html
    assert not has_element(html, "sign-submit")


def test_without_the_tick_nothing_is_signed(phone, applicant, matter):
    application = start_and_choose(phone, applicant)
    response = phone.post(f"{page_url(application)}sign/", {"sign-method": "password", "sign-password": PASSWORD})
    assert has_element(response.content.decode(), "sign-confirm-errors")
    assert not Signature.objects.exists()


def test_a_one_time_code_requested_from_the_page(phone, applicant, matter, django_capture_on_commit_callbacks):
    application = start_and_choose(phone, applicant)
    MemorySender.outbox.clear()
    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        with django_capture_on_commit_callbacks(execute=True):
            response = phone.post(f"{page_url(application)}one-time-code/", {"sign-confirm": "on"})
    html = response.content.decode()
    assert has_element(html, "code-sent")
    assert 'value="otp" id="sign-method-otp" checked' in html and 'id="id_sign-confirm" checked' in html
    ((_username, code, _purpose),) = MemorySender.outbox

    assert sign(phone, application, method="otp", code=code).status_code == 302
    assert Signature.objects.get().reauth_method == "otp"


def test_withdrawing_before_the_decision_needs_a_reason(phone, applicant, matter):
    application = start_and_choose(phone, applicant)
    sign(phone, application, password=PASSWORD)

    refused = phone.post(f"{page_url(application)}withdraw/", {"withdraw-reason": ""})
    assert has_element(refused.content.decode(), "withdraw-reason-errors")
    assert Signature.objects.get().withdrawn_at is None

    done = phone.post(f"{page_url(application)}withdraw/", {"withdraw-reason": "场地尚未装修完毕"})
    assert done.status_code == 302
    signature = Signature.objects.get()
    assert signature.withdrawn_at and signature.withdrawal_reason == "场地尚未装修完毕"
    application.refresh_from_db()
    assert application.state == ApplicationState.CHECKED
