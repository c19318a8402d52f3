"""A refused action shows the service's reason on the application page, next to the action, and keeps
what was typed."""

import pytest
from django.utils.html import escape

from approvals.models import ApplicationState, Licence
from approvals.services import Refused, application_decide
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import committed, element, page_url, started

pytestmark = pytest.mark.django_db


def test_deciding_twice_shows_the_refusal(client, staff, applicant, matter):
    application = committed(applicant)
    client.force_login(staff)
    client.post(f"{page_url(application)}decide/")

    again = client.post(f"{page_url(application)}decide/")

    with pytest.raises(Refused) as refusal:  # what the service says, in the user's language
        application_decide(application_id=application.pk, by=staff)
    html = again.content.decode()
    assert again.status_code == 200
    assert refusal.value.messages[0] in element(html, "decide-errors")
    assert Licence.objects.count() == 1


def test_terminating_without_a_reason_is_refused_in_place(client, staff, applicant, matter):
    application = started(applicant)
    client.force_login(staff)
    response = client.post(f"{page_url(application)}terminate/", {"terminate-reason": "  "})
    html = response.content.decode()
    assert 'id="terminate-reason-errors"' in html
    application.refresh_from_db()
    assert application.state == ApplicationState.CHECKED

    done = client.post(f"{page_url(application)}terminate/", {"terminate-reason": "申请人当场撤回申请"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.TERMINATED
    html = client.get(page_url(application)).content.decode()
    assert "申请人当场撤回申请" in element(html, "outcome-reason") and "申请人当场撤回申请" in element(html, "timeline")


def test_a_refusal_keeps_the_typed_reason(client, staff, applicant, matter):
    application = committed(applicant)
    client.force_login(staff)
    client.post(f"{page_url(application)}decide/")

    response = client.post(f"{page_url(application)}terminate/", {"terminate-reason": "材料不齐 <补>"})

    html = response.content.decode()
    assert 'id="terminate-errors"' in html
    assert "材料不齐 <补>" in element(html, "terminate") and escape("材料不齐 <补>") in html


def test_an_applicant_trying_a_staff_action_is_told_so(client, applicant, matter):
    application = committed(applicant)
    client.force_login(applicant.user)
    response = client.post(f"{page_url(application)}decide/")
    assert response.status_code == 403
    assert element(response.content.decode(), "decide-errors").strip()
    assert not Licence.objects.exists()
