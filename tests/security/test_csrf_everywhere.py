"""CSRF on every form: every URL the project routes refuses an unsafe request from a logged-in session that
carries no CSRF token (403, the CSRF failure named), and every POST form in the templates carries the token."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from approvals.roles import ADMINISTRATOR, APPLICANT
from tests.approvals.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {"int": "1", "str": "x1", "slug": "x1", "path": "x1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _piece(pattern) -> str | None:
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "1"), str(pattern._route))
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
        regex = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex)
        return None if re.search(r"[\\()\[\]*+?|{}]", regex) else regex
    return None


def routed_paths(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        piece = _piece(entry.pattern)
        if piece is None:
            continue
        if isinstance(entry, URLResolver):
            yield from routed_paths(entry, prefix + piece)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + piece


PATHS = sorted(set(routed_paths()))
# reached without a session on purpose, so there is no session for a forged request to ride on
NO_SESSION_NEEDED: set[str] = set()
# GET-only pages whose renderer draws DRF's CSRF refusal as the page itself (still a 403, nothing done)
REFUSED_WITHOUT_WORDING = {"/api/docs/"}


def test_the_walk_finds_the_forms_that_matter():
    for path in ("/accounts/login/", "/accounts/logout/", "/i18n/setlang/", "/api/otp/",
                 "/applications/1/sign/", "/applications/1/decide/"):
        assert path in PATHS


@pytest.mark.parametrize("role", [ADMINISTRATOR, APPLICANT])
def test_every_unsafe_request_without_a_token_is_refused(role):
    user = UserFactory(role=role, is_staff=role == ADMINISTRATOR, is_superuser=role == ADMINISTRATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    unprotected = []
    for path in PATHS:
        if path in NO_SESSION_NEEDED:
            continue
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(path, {}, content_type="application/json")
            named = b"CSRF" in response.content or path in REFUSED_WITHOUT_WORDING
            if response.status_code != 403 or not named:
                unprotected.append((method.upper(), path, response.status_code))
    assert not unprotected, unprotected
    assert get_user_model().objects.filter(pk=user.pk).exists()  # nothing acted on the forged requests


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def _templates():
    for directory in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" not in directory.parts:
            yield from directory.rglob("*.html")


def test_every_post_form_in_the_templates_carries_the_token():
    missing, seen = [], 0
    for template in _templates():
        for form in FORM.findall(template.read_text(encoding="utf-8")):
            opening = form[: form.index(">") + 1]
            if re.search(r"method=[\"']?post", opening, re.I):
                seen += 1
                if "{% csrf_token %}" not in form:
                    missing.append(f"{template.relative_to(ROOT)}: {opening[:100]}")
    assert seen > 30 and not missing, missing
