"""Object-level access matrix: every role × every object type × every action, on pages and in the API.
Who may is in tests/security/matrix_rows.py; everyone else gets 403/404 (the anonymous: the login page, or
401/403 from the API), never a server error, and a refusal never carries the applicant's name, ID number or
phone (nor does anything a stranger to the applicant gets). Acts are rolled back after each request, so each row sees the same world. One world, built once
through the services (it takes a minute: documents are rendered), checked row by row."""

import json

import pytest
from django.db import transaction
from django.test import Client

from tests.security.matrix_rows import ROWS
from tests.security.world import ROLES, build

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
# those with no business with applicant A: nothing they get, allowed or refused, may carry A's particulars
STRANGERS = {"anonymous", "applicant_b", "inspector_other"}


def request(client, method, channel, url, body):
    if method == "get":
        return client.get(url)
    if channel == "api":
        return client.post(url, json.dumps(body), content_type="application/json")
    return client.post(url, body)


def outcome(response) -> str:
    if response.status_code >= 500:
        return "error"
    if response.status_code in (401, 403, 404) or (response.status_code == 302
                                                  and response["Location"].startswith(LOGIN)):
        return "denied"
    return "allowed"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def world(django_capture_on_commit_callbacks, settings):
    settings.RATELIMIT_ENABLE = False  # hundreds of requests from one address in a minute
    return build(django_capture_on_commit_callbacks)


def test_every_role_on_every_object_and_action(world):
    ids = {name: getattr(obj, "pk", None) for name, obj in world.objects.items()}
    ids["licence_number"] = world.objects["licence"].number
    secrets = [s.encode() for s in world.secrets] + [world.objects["application"].subject.name.encode()]
    wrong, seen = [], 0
    for obj, action, channel, method, template, body, allowed in ROWS:
        url = template.format(**ids)
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if world.users[role]:
                client.force_login(world.users[role])
            savepoint = transaction.savepoint()
            response = request(client, method, channel, url, body)
            content = body_of(response)
            transaction.savepoint_rollback(savepoint)
            seen += 1
            expected = "allowed" if role in allowed else "denied"
            got = outcome(response)
            if got != expected:
                wrong.append(f"{role} {method.upper()} {url} ({obj}/{action}/{channel}): {got} "
                             f"[{response.status_code}], expected {expected}")
            elif role in STRANGERS and any(s in content for s in secrets):
                wrong.append(f"{role} {method.upper()} {url}: shows applicant A's name, ID number or phone")
    assert seen == len(ROWS) * len(ROLES) and not wrong, "\n".join(wrong)


def test_lists_show_only_what_each_may_see(world):
    """Lists, not only detail pages: B's and the other inspector's lists do not include A's rows."""
    application, obligation = world.objects["application"], world.objects["obligation"]
    b = Client()
    b.force_login(world.users["applicant_b"])
    assert application.pk not in [row["id"] for row in b.get("/api/applications/").json()["results"]]
    assert f"/applications/{application.pk}/" not in b.get("/applications/").content.decode()
    assert world.objects["package"].pk not in [row["id"] for row in b.get("/api/packages/").json()["results"]]
    assert b.get("/api/violations/").json()["results"] == []
    other = Client()
    other.force_login(world.users["inspector_other"])
    assert f"/checks/{obligation.pk}/" not in other.get("/checks/").content.decode()
    assigned = Client()
    assigned.force_login(world.users["inspector_assigned"])
    assert f"/checks/{obligation.pk}/" in assigned.get("/checks/").content.decode()
