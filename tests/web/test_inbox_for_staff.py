"""The staff inbox: open applications, newest first, overdue ones flagged; filter by state."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Application
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import has_element, notified, page_url, started

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-application="(\d+)"', html)]


def test_open_applications_newest_first_with_overdue_flagged(client, staff, applicant, matter):
    first = notified(applicant)
    second = started(applicant)
    closed = started(applicant)
    Application.objects.filter(pk=closed.pk).update(state="terminated")
    Application.objects.filter(pk=first.pk).update(decision_due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(staff)

    html = client.get("/applications/").content.decode()

    assert rows(html) == [second.pk, first.pk]
    assert re.search(rf'<tr class="overdue" data-application="{first.pk}"', html)
    assert not re.search(rf'<tr class="overdue" data-application="{second.pk}"', html)
    assert has_element(client.get(page_url(first)).content.decode(), "overdue")

    assert re.search(r">[^<(（]+（1）</option>", html) and not re.search(r" \(\d+\)</option>", html)  # Chinese brackets
    assert rows(client.get("/applications/", {"state": "terminated"}).content.decode()) == [closed.pk]
    assert rows(client.get("/applications/", {"state": "all"}).content.decode()) == [closed.pk, second.pk, first.pk]


def test_an_applicant_sees_their_own_list(client, applicant, matter):
    mine = started(applicant)
    client.force_login(applicant.user)
    assert rows(client.get("/applications/").content.decode()) == [mine.pk]
