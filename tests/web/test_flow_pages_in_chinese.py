"""viewflow's pages at /flow/ speak Chinese to window staff: viewflow's own zh_Hans catalog is empty,
locale_vendor/ translates its strings."""

import re

import pytest

from approvals.services import application_choose_commitment, application_start, signature_sign
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from workflows.flows import ApplicationFlow

pytestmark = pytest.mark.django_db(transaction=True)  # acts commit: the process follows after the commit

SIDEBAR = ["工作台", "我的待办", "任务队列", "已办任务"]  # Dashboard, Inbox, Queue, Archive
ENGLISH = ["Dashboard", "Inbox", "Queue", "Archive"]


@pytest.fixture
def decide_task(applicant, matter):
    """A signed application: its on-the-spot decision task waits in the window staff's queue."""
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    return ApplicationFlow.task_class.objects.get(flow_task=ApplicationFlow.decide)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for word in SIDEBAR:
        assert word in html, word
    for word in ENGLISH:
        assert word not in html, word
    return html


def test_dashboard_queue_and_inbox_are_in_chinese(client, staff, decide_task):
    client.force_login(staff)
    flow = ApplicationFlow.instance

    dashboard = page(client, flow.reverse("index"))
    assert "创建时间" in dashboard and "认领" in dashboard  # Created, Assign on the task's card
    assert "Created" not in dashboard and ">Assign<" not in dashboard

    queue = page(client, flow.reverse("queue"))
    assert re.search(r'vf-card__title">\s*任务队列', queue)  # the list's title
    assert {"编号", "任务", "创建时间"} <= set(re.findall(r"<span>\s*([^<]+?)\s*</span>", queue))  # #, Task, Created

    assign = decide_task.flow_task.reverse("assign", args=[decide_task.process_id, decide_task.pk])
    assert "认领" in page(client, assign)
    response = client.post(assign, follow=True)
    assert response.status_code == 200
    assert re.search(r"任务<a [^>]+>#\d+</a>已认领。", response.content.decode())  # "Task #… has been assigned."

    inbox = page(client, flow.reverse("inbox"))
    assert re.search(r'vf-card__title">\s*我的待办', inbox)
    assert decide_task.flow_task.reverse("index", args=[decide_task.process_id, decide_task.pk]) in inbox

    process = page(client, flow.reverse("process_detail", args=[decide_task.process_id]))
    for word in ("办理人", "开始时间", "已指派", "已开始", "已完成"):  # Owner, Started; the tasks' statuses
        assert word in process, word
    for word in (">Owner<", ">Started<", ">Assigned<", ">Done<"):
        assert word not in process, word
