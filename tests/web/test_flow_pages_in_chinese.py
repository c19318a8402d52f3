"""viewflow's pages at /flow/ speak Chinese to window staff: viewflow's own zh_Hans catalog is empty,
locale_vendor/ translates its strings."""

import json
import re
from html import unescape

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


def headers(html) -> list[str]:
    """The list's column headers (viewflow's list.html: <th ...><span>label</span> ...)."""
    return re.findall(r'<th class="[^"]*vf-list__table-header[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*?<span>\s*([^<]+?)\s*</span>',
                      html)


def filter_choices(html, name) -> list[str]:
    """The labels of a select of the list's filter (viewflow renders <vf-field-select optgroups="JSON">)."""
    optgroups = re.search(rf'<vf-field-select id="id_{name}"[^>]* optgroups="([^"]*)"', html).group(1)
    return [group["options"]["label"] for group in json.loads(unescape(optgroups))]


def test_list_columns_pagination_and_task_names_are_in_chinese(client, staff, decide_task):
    """Column labels viewflow builds from attribute names (Brief, Process summary, Process id, Active tasks), its
    "1-1 of 1", and the node names ("Await Decision") come out in Chinese (workflows.lists, templates/viewflow/)."""
    client.force_login(staff)
    flow = ApplicationFlow.instance

    queue = page(client, flow.reverse("queue"))
    assert headers(queue) == ["编号", "任务", "摘要", "创建时间"]
    assert "第 1-1 条，共 1 条" in queue and " of " not in queue
    assert "当场作出决定" in queue  # the task's title, as before
    assert filter_choices(queue, "flow_task") == ["---------", "当场作出决定"]

    inbox = page(client, flow.reverse("inbox"))
    assert headers(inbox) == ["编号", "任务", "摘要", "创建时间"]
    assert "第 0-0 条，共 0 条" in inbox

    archive = page(client, flow.reverse("archive"))
    assert headers(archive) == ["编号", "摘要", "创建时间", "办结", "所属流程"]

    processes = page(client, flow.reverse("process_list"))
    assert headers(processes) == ["流程编号", "摘要", "创建时间", "办结", "未完成任务"]

    tasks = page(client, flow.reverse("task_list"))
    assert headers(tasks) == ["编号", "任务", "所属流程", "创建时间", "办理人"]
    cells = re.findall(r'<td class="[^"]*vf-list__table-cell[^"]*"[^>]*>\s*([^<]*?)\s*</td>', tasks)
    options = filter_choices(tasks, "flow_task")
    for title in ("收到申请并完成信用核验", "选择办理方式", "已选择办理方式", "等待签署承诺书", "签署承诺书",
                  "等待作出决定", "当场作出决定"):
        assert title in cells, title
        assert title in options, title
    for html in (queue, inbox, archive, processes, tasks):
        for english in ("Brief", "Process summary", "Process id", "Active tasks", "Await Decision", "Await_Decision",
                        "Choose Mode", ">Decide<", ">Route<", ">Sign<", ">Start<", ">End<"):
            assert english not in html, english


def test_the_process_panel_is_in_chinese(client, staff, decide_task):
    """The process panel of the process and task pages: the process's own fields named and shown in Chinese, and
    the process's status and creation time told apart from the application's."""
    client.force_login(staff)
    process_page = page(client, ApplicationFlow.instance.reverse("process_detail", args=[decide_task.process_id]))
    task_page = page(client, decide_task.flow_task.reverse("detail", args=[decide_task.process_id, decide_task.pk]))
    for html in (process_page, task_page):
        rows = dict(re.findall(r'<th class="vf-list__table-header vf-list__table-header-text">([^<]+)</th>\s*'
                               r"<td>([^<]*)</td>", html))
        assert rows["流程办理方式"] == "告知承诺"  # mode: commitment
        assert rows["最近事件"] == "签署承诺"  # last event: signed
        assert rows["容缺受理"] == "否"  # lenient: False
        assert rows["流程状态"] == "新建" and rows["办件状态"] == "已签署承诺"
        assert "流程创建时间" in rows and "办件创建时间" in rows
        assert "状态" not in rows and "创建时间" not in rows  # each said once, of whom
        for english in ("Mode", "Last event", "Lenient", "commitment", "signed", "False"):
            assert english not in rows and english not in rows.values(), english


def test_every_event_the_process_follows_has_a_label():
    from workflows.models import ApplicationEvent
    from workflows.sync import HANDLERS

    assert set(ApplicationEvent.values) == set(HANDLERS)


def test_the_flow_chart_names_the_route_branches_in_chinese(client, staff, decide_task):
    """The mode gateway's branches on the chart: 是 / 否, not viewflow's plain "yes" / "no" (flows.If)."""
    client.force_login(staff)
    flow = ApplicationFlow.instance
    for url in (flow.reverse("chart"), flow.reverse("process_chart", args=[decide_task.process_id])):
        svg = client.get(url).content.decode()
        labels = re.findall(r'<text class="edge-label"[^>]*>([^<]*)</text>', svg)
        assert sorted(labels) == ["否", "是"], labels
    bpmn = client.get(flow.reverse("chart") + "?format=bpmn")
    assert bpmn.status_code == 200
