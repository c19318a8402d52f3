"""The incident list as an administrator sees it, at a phone's and a desk's width: in Chinese, the failed task
and its error shown, and "run again" from the action menu resolves it."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

import outbox
from outbox.models import Incident
from tests.outbox.tasks_for_tests import always_fails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_an_administrator_runs_a_failed_task_again(live_server, new_page, screenshot, size):
    get_user_model().objects.create_superuser("root", "root@example.cn", "pw-12345678")
    with transaction.atomic():
        outbox.enqueue(always_fails, ["证照生成"], key="browser-incident")
    incident = Incident.objects.get()

    page = new_page(size)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/outbox/incident/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-12345678")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/outbox/incident/")
    body = page.inner_text("body")
    assert "任务故障" in body and "cannot do 证照生成" in body
    screenshot(page, f"outbox-incidents-{size}")

    page.check(f"input[name=_selected_action][value='{incident.pk}']")
    page.select_option("select[name=action]", "retry")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert "已重新发送 1 项任务" in page.inner_text("body")
    screenshot(page, f"outbox-incidents-retried-{size}")
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolution == "retried"
