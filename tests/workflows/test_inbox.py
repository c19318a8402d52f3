"""Window staff find the process's tasks: viewflow's pages at /flow/ and open_tasks_for() for our own pages."""

import pytest
from django.urls import reverse

from approvals.roles import SUPERVISOR, WINDOW_STAFF
from approvals.services import (
    application_choose_commitment, application_decide, application_start, signature_sign,
)
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from workflows.flows import ApplicationFlow
from workflows.selectors import open_tasks_for

pytestmark = pytest.mark.django_db(transaction=True)  # acts commit: the process follows after the commit


@pytest.fixture
def signed(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    return application


def test_open_tasks_for_lists_the_decide_task_after_signing_and_not_after_deciding(signed, applicant, staff):
    (task,) = open_tasks_for(staff)
    assert (task.application_id, task.node, task.assigned) == (signed.pk, "decide", False)
    assert task.title == str(ApplicationFlow.decide.task_title)
    assert open_tasks_for(applicant.user) == []  # signed: nothing left for the applicant
    assert open_tasks_for(UserFactory(role=SUPERVISOR)) == []

    application_decide(application_id=signed.pk, by=staff)
    assert open_tasks_for(staff) == []


def test_open_tasks_for_the_applicant_is_the_sign_task(applicant, matter):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    assert open_tasks_for(applicant.user) == []  # the mode choice is nobody's inbox task
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    (task,) = open_tasks_for(applicant.user)
    assert (task.application_id, task.node, task.assigned) == (application.pk, "sign", True)


def test_a_task_taken_by_a_colleague_leaves_the_queue(signed, staff):
    other = UserFactory(role=WINDOW_STAFF)
    with decide_task().activation() as activation:
        activation.assign(other)
    assert [t.assigned for t in open_tasks_for(other)] == [True]
    assert open_tasks_for(staff) == []  # taken by a colleague


@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")  # viewflow's process list
@pytest.mark.parametrize("page", ["inbox", "queue", "archive", "process_list", "chart"])
def test_flow_pages_render_for_window_staff(signed, staff, client, page):
    client.force_login(staff)
    assert client.get(ApplicationFlow.instance.reverse(page)).status_code == 200


def test_flow_root_leads_window_staff_and_supervisors_to_the_flow(signed, staff, client):
    for user in (staff, UserFactory(role=SUPERVISOR)):
        client.force_login(user)
        response = client.get("/flow/", follow=True)
        assert response.status_code == 200 and response.redirect_chain
        process = ApplicationFlow.process_class.objects.get()
        assert client.get(ApplicationFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 200


def test_queue_shows_the_decide_task_to_window_staff(signed, staff, client):
    client.force_login(staff)
    response = client.get(ApplicationFlow.instance.reverse("queue"))
    task = decide_task()
    assert response.status_code == 200
    assert task.flow_task.reverse("index", args=[task.process_id, task.pk]) in response.content.decode()


def decide_task():
    return ApplicationFlow.task_class.objects.get(flow_task=ApplicationFlow.decide)


def test_taking_a_task_in_viewflow_then_opening_it_leads_to_the_application_page(signed, staff, client):
    client.force_login(staff)
    task = decide_task()
    response = client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "ASSIGNED" and task.owner == staff
    assert [(t.node, t.assigned) for t in open_tasks_for(staff)] == [("decide", True)]
    assert task.flow_task.reverse("index", args=[task.process_id, task.pk]) in client.get(
        ApplicationFlow.instance.reverse("inbox")).content.decode()

    for view in ("index", "execute"):
        response = client.get(task.flow_task.reverse(view, args=[task.process_id, task.pk]))
        assert response.status_code == 302 and response.url == f"/applications/{signed.pk}/"
    task.refresh_from_db()
    assert task.status == "ASSIGNED"  # opening it never completes it: deciding does

    application_decide(application_id=signed.pk, by=staff)
    task.refresh_from_db()
    assert task.status == "DONE"


def test_without_an_application_page_the_links_fall_back_to_viewflow(signed, staff, client, monkeypatch):
    monkeypatch.setattr("workflows.views.application_page", lambda application_id: None)
    client.force_login(staff)
    task = decide_task()
    response = client.get(task.flow_task.reverse("index", args=[task.process_id, task.pk]))
    assert response.url == task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    with task.activation() as activation:
        activation.assign(staff)
    response = client.get(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))
    assert response.url == task.flow_task.reverse("detail", args=[task.process_id, task.pk])


def test_users_without_the_flow_permission_get_no_flow_pages(signed, applicant, client):
    client.force_login(applicant.user)
    assert client.get(ApplicationFlow.instance.reverse("queue")).status_code == 403
    client.logout()
    response = client.get(ApplicationFlow.instance.reverse("queue"))
    assert response.status_code == 403 and "/accounts/login/?next=" in response.content.decode()
