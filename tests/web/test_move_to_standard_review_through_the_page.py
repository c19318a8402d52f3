"""Staff move a signed application to standard review from its page, with a reason; then approve it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import ApplicationState, Licence
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory
from tests.web.flows import committed, element, has_element, page_url

pytestmark = pytest.mark.django_db


def test_restricted_at_decision_moved_to_standard_review_then_approved(client, staff, applicant, matter):
    application = committed(applicant)
    RestrictionFactory(subject=applicant, starts_at=timezone.now() - timedelta(seconds=1))
    client.force_login(staff)
    refused = client.post(f"{page_url(application)}decide/").content.decode()
    assert "违诺制约" in element(refused, "decide-errors")
    assert has_element(refused, "convert-submit")

    missing = client.post(f"{page_url(application)}convert/", {"convert-reason": " "}).content.decode()
    assert has_element(missing, "convert-reason-errors")
    done = client.post(f"{page_url(application)}convert/", {"convert-reason": "批中核查发现违诺制约"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW

    client.post(f"{page_url(application)}decide/")
    assert Licence.objects.filter(application_matter__application=application).count() == 1
