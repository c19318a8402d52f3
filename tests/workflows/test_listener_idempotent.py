"""The process listener is idempotent, skips applications without a process, and never fails the service."""

import logging

import pytest
from viewflow.workflow.status import PROCESS

from approvals import ports
from approvals.services import (
    application_choose_commitment, application_choose_standard, application_decide, application_start,
    application_terminate, signature_sign,
)
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.workflows.helpers import process_of
from workflows.flows import ApplicationFlow, ApplicationProcess
from workflows.sync import on_application_event

pytestmark = pytest.mark.django_db(transaction=True)  # acts commit: the process follows after the commit


def snapshot():
    processes = [(p.pk, p.status, p.finished, p.data) for p in ApplicationProcess.objects.order_by("pk")]
    tasks = [(t.pk, t.flow_task.name, t.status, t.owner_id, t.finished)
             for t in ApplicationFlow.task_class.objects.order_by("pk")]
    return processes, tasks


def start(applicant, by):
    return application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online", by=by)


def test_every_event_repeated_changes_nothing(applicant, matter, staff):
    application = start(applicant, applicant.user)
    steps = [
        ("started", lambda: None),
        ("notified", lambda: application_choose_commitment(application_id=application.pk, by=applicant.user)),
        ("signed", lambda: signature_sign(application_id=application.pk, user=applicant.user, method="password",
                                          secret=PASSWORD)),
        ("decided", lambda: application_decide(application_id=application.pk, by=staff)),
    ]
    for event, step in steps:
        step()
        application.refresh_from_db()
        before = snapshot()
        on_application_event(event, application)
        on_application_event(event, application)
        assert snapshot() == before, event
    # events that do not fit the process's position change nothing either
    before = snapshot()
    for event in ("started", "notified", "standard_review", "signed", "signature_withdrawn", "rejected",
                  "terminated", "failed", "no_such_event"):
        on_application_event(event, application)
    assert snapshot() == before
    assert process_of(application).status == PROCESS.DONE


def test_repeated_termination_changes_nothing(applicant, matter, staff):
    application = start(applicant, staff)
    application_terminate(application_id=application.pk, by=staff, reason="申请人撤回申请")
    before = snapshot()
    on_application_event("terminated", application)
    assert snapshot() == before and process_of(application).status == PROCESS.CANCELED


def test_an_application_without_a_process_is_skipped_and_logged(applicant, matter, staff, monkeypatch, caplog):
    monkeypatch.setattr(ports, "process_listeners", [])  # as if created before the flow existed
    application = start(applicant, staff)
    monkeypatch.undo()
    assert on_application_event in ports.process_listeners

    application_choose_standard(application_id=application.pk, by=staff)
    application_decide(application_id=application.pk, by=staff)  # the services go on as before

    application.refresh_from_db()
    assert application.state == "decided" and process_of(application) is None
    assert ApplicationProcess.objects.count() == 0
    assert any("has no process" in r.getMessage() for r in caplog.records)


def test_a_process_that_cannot_follow_never_fails_the_service(applicant, matter, staff, monkeypatch, caplog):
    application = start(applicant, staff)

    def broken(*args, **kwargs):
        raise RuntimeError("flow broken")

    monkeypatch.setattr(ApplicationFlow.choose_mode, "run", broken)
    application_choose_standard(application_id=application.pk, by=staff)
    application.refresh_from_db()
    assert application.state == "under_review"  # the staff's action stands; the process is out of step
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "workflows.sync"]
    assert len(errors) == 1 and "out of step" in errors[0].getMessage()
    caplog.clear()
