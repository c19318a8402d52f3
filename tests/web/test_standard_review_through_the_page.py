"""The applicant may decline notify-and-commit (a clear second button); staff then reject with reasons."""

import pytest

from approvals.models import ApplicationState, Mode
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import element, has_element, page_url, started

pytestmark = pytest.mark.django_db


def test_standard_review_then_rejection_with_reasons(client, staff, applicant, matter):
    application = started(applicant)
    client.force_login(applicant.user)
    html = client.get(page_url(application)).content.decode()
    assert has_element(html, "choose-commitment") and has_element(html, "choose-standard")

    client.post(f"{page_url(application)}choose-standard/")
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW and application.mode == Mode.STANDARD

    client.force_login(staff)
    html = client.get(page_url(application)).content.decode()
    assert has_element(html, "reject-submit") and has_element(html, "decide-submit")
    refused = client.post(f"{page_url(application)}reject/", {"reject-reason": ""})
    assert has_element(refused.content.decode(), "reject-reason-errors")

    client.post(f"{page_url(application)}reject/", {"reject-reason": "经营场所不符合卫生要求"})
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert "经营场所不符合卫生要求" in element(client.get(page_url(application)).content.decode(), "timeline")
