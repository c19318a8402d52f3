"""Login lockout (django-axes), rate limits on signing, one-time codes and the public verify page, the staff
idle timeout and the cookie settings: each refusal is a 429 in Chinese that says how long to wait."""

import base64
import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from approvals.roles import APPLICANT, WINDOW_STAFF
from tests.api.helpers import apply, client_for
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, matter  # noqa: F401

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = UserFactory(role=APPLICANT)
    client = Client()
    for _attempt in range(4):
        assert login(client, user.username, "wrong-password").status_code == 200  # the form again, with the error
    locked = login(client, user.username, "wrong-password")
    assert locked.status_code == 429
    again = login(client, user.username, PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    page = again.content.decode()
    assert 'id="locked-out"' in page and "登录暂时锁定" in page and "30 分钟" in page
    assert again["Retry-After"] == "1800"


def test_a_lockout_is_per_username_and_address_and_an_admin_can_lift_it(settings):
    from axes.utils import reset

    settings.AXES_FAILURE_LIMIT = 3
    victim, other = UserFactory(role=APPLICANT), UserFactory(role=APPLICANT)
    for _attempt in range(3):
        login(Client(), victim.username, "nope")
    assert login(Client(), victim.username, PASSWORD).status_code == 429
    assert login(Client(), other.username, PASSWORD).status_code == 302  # someone else at the same address
    reset(username=victim.username)
    assert login(Client(), victim.username, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(role=APPLICANT)
    for _round in range(3):
        login(Client(), user.username, "nope")
        login(Client(), user.username, "nope")
        assert login(Client(), user.username, PASSWORD).status_code == 302


def test_the_verify_page_is_rate_limited_per_address_with_a_chinese_page(settings):
    settings.SECURITY_RATE_LIMITS = {**settings.SECURITY_RATE_LIMITS, "documents:verify": ("verify", "5/m")}
    client = Client()
    statuses = [client.get(f"/verify/guess{n:04d}/", REMOTE_ADDR="10.0.0.7").status_code for n in range(6)]
    assert 429 not in statuses[:5] and statuses[5] == 429
    refused = client.get("/verify/guess9999/", REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'id="too-many-requests"' in refused.content.decode() and "请求过于频繁" in refused.content.decode()
    assert Client().get("/verify/guess0000/", REMOTE_ADDR="10.0.0.8").status_code != 429  # another address


def test_one_time_codes_are_rate_limited_per_user_in_the_api(settings, applicant, matter):
    settings.SECURITY_RATE_LIMITS = {**settings.SECURITY_RATE_LIMITS, "api:otp": ("otp", "3/10m")}
    me = client_for(applicant.user)
    assert [me.post("/api/otp/").status_code for _n in range(3)] == [201, 201, 201]
    refused = me.post("/api/otp/")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert CHINESE.search(refused.json()["detail"][0])
    someone_else = client_for(UserFactory(role=APPLICANT))
    assert someone_else.post("/api/otp/").status_code == 201


def basic_client(username: str, password: str = PASSWORD) -> APIClient:
    """An API client that sends its password with every request (an integration, or an app without a session),
    from one address shared with others (a carrier's NAT, a gateway)."""
    client = APIClient(REMOTE_ADDR="10.0.0.20")
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{username}:{password}".encode()).decode())
    return client


def test_basic_auth_clients_are_limited_per_user_not_per_shared_address(settings):
    settings.SECURITY_RATE_LIMITS = {**settings.SECURITY_RATE_LIMITS, "api:otp": ("otp", "3/10m")}
    first, second = UserFactory(role=APPLICANT), UserFactory(role=APPLICANT)
    me = basic_client(first.username)
    assert [me.post("/api/otp/").status_code for _n in range(3)] == [201, 201, 201]
    refused = me.post("/api/otp/")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert CHINESE.search(refused.json()["detail"][0]) and int(refused["Retry-After"]) > 0
    # another user behind the same address keeps a limit of their own
    assert basic_client(second.username).post("/api/otp/").status_code == 201


def test_wrong_basic_passwords_do_not_use_up_the_users_limit(settings):
    settings.SECURITY_RATE_LIMITS = {**settings.SECURITY_RATE_LIMITS, "api:otp": ("otp", "3/10m")}
    victim = UserFactory(role=APPLICANT)
    guesser = basic_client(victim.username, "not-the-password")  # from the same address; fewer than lock it
    assert [guesser.post("/api/otp/").status_code for _n in range(2)] == [403, 403]
    assert [basic_client(victim.username).post("/api/otp/").status_code for _n in range(3)] == [201, 201, 201]


def test_signing_is_rate_limited_on_the_page_and_in_the_api(settings, applicant, matter):
    settings.SECURITY_RATE_LIMITS = {**settings.SECURITY_RATE_LIMITS, "application_sign": ("sign", "3/m"),
                                     "api:application_sign": ("sign", "3/m")}
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    wrong = {"method": "password", "secret": "guess"}
    for _n in range(3):  # refused (wrong password, or not yet chosen): each still counts
        assert me.post(f"/api/applications/{application_id}/sign/", wrong, format="json").status_code in (400, 409)
    assert me.post(f"/api/applications/{application_id}/sign/", wrong, format="json").status_code == 429
    # the page shares the counter (one group): a password-guessing run cannot switch channels to go on
    page = Client()
    page.force_login(applicant.user)
    refused = page.post(f"/applications/{application_id}/sign/", {"sign-method": "password", "sign-secret": "x"})
    assert refused.status_code == 429 and "请求过于频繁" in refused.content.decode()


def test_staff_sessions_end_after_half_an_hour_idle_applicants_keep_theirs(settings):
    staff, person = UserFactory(role=WINDOW_STAFF), UserFactory(role=APPLICANT)
    for user, expected in ((staff, settings.SECURITY_STAFF_SESSION_IDLE), (person, settings.SESSION_COOKIE_AGE)):
        client = Client()
        client.force_login(user)
        client.get("/")
        assert client.session.get_expiry_age() == expected


def test_session_and_csrf_cookies_are_httponly_and_samesite(settings):
    user = UserFactory(role=APPLICANT)
    client = Client()
    client.get("/accounts/login/")
    response = login(client, user.username, PASSWORD)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["samesite"] == "Lax" and csrf_cookie["httponly"]
