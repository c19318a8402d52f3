"""The application, licence and case pages show their change log from the audit table: who, when and what, with
the fields and states in Chinese; the public licence page shows none."""

import re

import pytest

from approvals.models import Licence
from approvals.roles import SUPERVISOR
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import committed, element, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(client, staff, applicant, matter):  # noqa: F811
    staff.first_name = "窗口李"
    staff.save()
    application = committed(applicant)
    client.force_login(staff)
    client.post(f"{page_url(application)}decide/")  # through the page: the middleware names the user
    return application


def log_of(html: str) -> str:
    return re.sub(r"\s+", "", element(html, "audit-timeline"))  # the text without the layout's spaces


def test_the_application_page_shows_who_changed_what(client, decided, staff):  # noqa: F811
    log = log_of(client.get(page_url(decided)).content.decode())
    assert "变更记录" in log
    assert "办件#" in log and "新建（状态：草稿）" in log
    assert "状态：草稿→已提交" in log and "状态：已提交→完成信用核验" in log  # each step of the state its own
    # the decision, made through the page by this user: the state and its particulars in one entry
    decision = log[log.index("已签署承诺→已作出许可决定并发证"):]
    assert decision.index("决定人：—→窗口李") < decision.index("许可证")
    assert log[:log.index("已签署承诺→已作出许可决定并发证")].endswith("窗口李状态：")
    assert "签署记录#" in log  # the signature
    assert "state" not in log and "decided_at" not in log  # no database names


def test_the_licence_page_shows_its_log_to_those_who_may_see_the_application(client, decided, applicant):  # noqa: F811
    licence = Licence.objects.get()
    client.force_login(applicant.user)
    log = log_of(client.get(f"/licences/{licence.number}/").content.decode())
    assert f"许可证{licence.number}新建（状态：有效）" in log
    assert "核查任务#" in log  # its verification obligation

    client.logout()
    assert 'id="audit-timeline"' not in client.get(f"/licences/{licence.number}/").content.decode()


def test_the_case_page_shows_the_ladder_steps(client, decided, applicant):  # noqa: F811
    from sanctions import services

    supervisor = UserFactory(role=SUPERVISOR, first_name="监管员王")
    licence = Licence.objects.get()
    violation = services.violation_open_manual(subject=applicant, kind="false_materials", findings="提交伪造的检测报告",
                                               evidence="核查记录", licences=[licence], by=supervisor)
    client.force_login(supervisor)
    client.post(f"/sanctions/{violation.pk}/grade/", {"grade-level": "3"})
    client.post(f"/sanctions/{violation.pk}/revoke/", {"revoke-reason": "提供虚假承诺"})

    log = log_of(client.get(f"/sanctions/{violation.pk}/").content.decode())
    assert f"违诺案件{violation.number}新建（状态：已登记）" in log
    assert "监管员王状态：已登记→已定级等级：—→" in log  # graded, by whom, with the level
    assert f"许可证{licence.number}修改监管员王状态：有效→已撤销" in log  # the licence revoked by the case
    assert "违诺制约#" in log  # and the restriction it imposed
