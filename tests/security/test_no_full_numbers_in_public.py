"""Public pages and exports never show a full ID card number or mobile number: data is made through the
services with known numbers (a licence issued on the spot and its documents, a level-3 case that revokes it
and restricts the holder, a concluded published case, a random-check draw), then every public page, list API
and verify page is fetched and its body scanned for any 18-character ID number or 11-digit mobile number."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from approvals.models import Subject
from approvals.roles import INSPECTOR, SUPERVISOR
from approvals.services import application_decide
from documents.models import Document
from inspections.services import draw_define, draw_run
from sanctions import services as sanctions
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.web.flows import committed

pytestmark = pytest.mark.django_db

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                       r"(?![0-9A-Za-z])")
# a mobile number stands alone: not a run of digits inside a hex key or hash (uuid4 keys, SHA-256 in the feed)
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
PHONES = ["13812345678", "15900001111", "18698765432"]


def leaks(body: str, subjects) -> list[str]:
    found = [f"ID {m}" for m in ID_NUMBER.findall(body)] + [f"mobile {m}" for m in MOBILE.findall(body)]
    found += [f"known {s.number}" for s in subjects if s.number in body]
    found += [f"known {s.phone}" for s in subjects if s.phone and s.phone in body]
    return found


@pytest.fixture
def world(staff, django_capture_on_commit_callbacks):  # noqa: F811
    version = make_matter()
    supervisor = UserFactory(role=SUPERVISOR)
    people = []
    for phone in PHONES:
        person = PersonFactory(user=UserFactory(), phone=phone)
        CreditGradeFactory(subject=person, grade="A")
        people.append(person)
    with django_capture_on_commit_callbacks(execute=True):
        licences = [application_decide(application_id=committed(p).pk, by=staff)[0] for p in people]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        draw = draw_define(by=supervisor, title="告知承诺核查", matters=[version.matter],
                           issued_from=today - timedelta(days=30), issued_to=today,
                           inspectors=[UserFactory(role=INSPECTOR) for _ in range(2)], seed_number="738291")
        draw = draw_run(draw_id=draw.pk, by=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        # level 3: the licence revoked, the holder restricted, the case concluded and published
        case = sanctions.violation_open_manual(subject=people[0], kind="false_materials", findings="提交伪造的检测报告",
                                               evidence="核查记录", licences=[licences[0]], by=supervisor)
        sanctions.violation_grade(violation_id=case.pk, by=supervisor, level=3)
        sanctions.violation_revoke(violation_id=case.pk, by=supervisor, reason="弄虚作假")
        other = sanctions.violation_open_manual(subject=people[1], kind="identity", findings="冒用他人身份",
                                                evidence="核查记录", by=supervisor)
        sanctions.violation_grade(violation_id=other.pk, by=supervisor)
        sanctions.violation_revoke(violation_id=other.pk, by=supervisor, reason="冒用身份")
    return {"people": people, "draw": draw, "supervisor": supervisor}


def public_urls(world) -> list[str]:
    urls = ["/", "/matters/", "/public/restrictions/", "/public/violations/", "/public/restrictions/?q=张",
            "/public/violations/?q=张", "/api/public/restrictions/", "/api/public/violations/",
            "/public/draws/", f"/public/draws/{world['draw'].number}/"]
    for document in Document.objects.exclude(token=""):
        urls.append(f"/verify/{document.token}/")
        if getattr(document, "short_code", ""):
            urls.append(f"/verify/?code={document.short_code}")
    return urls


def test_public_pages_show_no_full_id_or_mobile_number(world, settings):
    settings.RATELIMIT_ENABLE = False  # one visitor fetches every verify page here
    client = Client()
    urls = public_urls(world)
    assert Document.objects.exclude(token="").count() >= 6  # certificates, letters, notices, decisions
    subjects = list(Subject.objects.all())
    problems = {}
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = response.content.decode()
        found = leaks(body, subjects)
        if found:
            problems[url] = found
    assert not problems, problems
    # the scan finds what it looks for (the staff page shows the full number)
    staff_view = Client()
    staff_view.force_login(world["supervisor"])
    assert leaks(staff_view.get(f"/subjects/{world['people'][0].pk}/").content.decode(), subjects)


def test_the_credit_feed_export_is_not_public_and_carries_no_mobile_numbers(world):
    """The feed is the credit platform's: it carries the full identifier the platform matches subjects by
    (GB 11643 / GB 32100 numbers, as the "双公示" exchange requires), so it is readable only by supervisors and
    the platform's API client, never by the public, applicants or window staff; it never carries phone numbers."""
    from approvals.roles import APPLICANT, WINDOW_STAFF

    for user in (None, UserFactory(role=APPLICANT), UserFactory(role=WINDOW_STAFF)):
        client = Client()
        if user:
            client.force_login(user)
        assert client.get("/api/credit-feed.csv").status_code in (401, 403)
        assert client.get("/api/credit-feed/").status_code in (401, 403)
    client = Client()
    client.force_login(world["supervisor"])
    response = client.get("/api/credit-feed.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200 and body.count("\n") >= 3
    assert MOBILE.findall(body) == [] and not any(p in body for p in PHONES)
