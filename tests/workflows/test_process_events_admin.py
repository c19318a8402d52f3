"""An administrator sees the events a process has yet to follow, and has them followed at once."""

import pytest
from django.urls import reverse

from approvals.services import application_start
from tests.approvals.process import applicant, matter  # noqa: F401
from tests.workflows.helpers import open_nodes, process_of
from workflows.models import ProcessEvent


@pytest.mark.django_db
def test_a_waiting_event_is_listed_and_followed_by_the_action(admin_client, applicant, matter, monkeypatch):
    monkeypatch.setattr("workflows.sync._send", lambda application_ids: None)  # its task was lost
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    event = ProcessEvent.objects.get()
    url = reverse("admin:workflows_processevent_changelist")

    page = admin_client.get(url).content.decode()
    assert "待流程跟进的事件" in page
    assert f"#{application.pk}" in page and "收到申请并完成信用核验" in page and "0 分" in page

    response = admin_client.post(url, {"action": "follow_now", "_selected_action": [event.pk]}, follow=True)
    assert "已跟进 1 个事件" in response.content.decode()
    assert not ProcessEvent.objects.exists()
    assert process_of(application) is not None and open_nodes(application) == ["choose_mode"]
    assert admin_client.get(reverse("admin:workflows_processevent_add")).status_code == 403
