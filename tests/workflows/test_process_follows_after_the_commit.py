"""The act records the event; the process follows it after the commit (workflows.sync): never inside the act's
transaction, in the order the events were written, once, and later by the sweep if the task was never sent."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from viewflow.workflow.status import STATUS

from approvals.services import application_choose_commitment, application_start, signature_sign
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.workflows.helpers import history, open_nodes, process_of
from workflows import sync
from workflows.models import ProcessEvent

D, N, A = STATUS.DONE, STATUS.NEW, STATUS.ASSIGNED


def start(person):
    return application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)


@pytest.mark.django_db
def test_the_act_writes_the_event_and_the_process_follows_after_the_commit(applicant, matter,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        application = start(applicant)
        application_choose_commitment(application_id=application.pk, by=applicant.user)
    # inside the act's transaction: the events, no process yet
    assert process_of(application) is None
    assert list(ProcessEvent.objects.values_list("application", "event", "by")) == [
        (application.pk, "started", applicant.user.pk), (application.pk, "notified", applicant.user.pk)]

    for callback in sent:  # the commit's: one task per event; the first follows both, in order
        callback()

    assert history(application) == [("start", D), ("choose_mode", D), ("route", D),
                                    ("await_signature", STATUS.STARTED), ("sign", A), ("withdrawn_before_signing", N)]
    assert not ProcessEvent.objects.exists()
    assert sync.follow(application.pk) == 0  # a redelivered task finds nothing left


@pytest.mark.django_db
def test_a_failed_send_leaves_the_event_for_the_sweep(applicant, matter, django_capture_on_commit_callbacks,
                                                      monkeypatch, caplog):
    def broker_away(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("workflows.tasks.process_follow.apply_async", broker_away)
    with django_capture_on_commit_callbacks(execute=True):
        application = start(applicant)
    assert process_of(application) is None and ProcessEvent.objects.count() == 1
    assert "will follow at the next sweep" in caplog.text

    assert sync.follow_stale() == 0  # not yet stale: its task may still be on its way
    ProcessEvent.objects.update(at=timezone.now() - timedelta(minutes=2))
    assert sync.follow_stale() == 1
    assert open_nodes(application) == ["choose_mode"] and not ProcessEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_the_process_cannot_follow_is_logged_and_taken_off(applicant, matter,
                                                                    django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        application = start(applicant)
    caplog.set_level(logging.INFO, logger="workflows")
    ProcessEvent.objects.create(application=application, event="signed")  # no sign task is open

    assert sync.follow(application.pk) == 1
    assert "no open sign task" in caplog.text
    assert open_nodes(application) == ["choose_mode"] and not ProcessEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_two_runs_at_once_follow_each_event_once(applicant, matter, monkeypatch):
    monkeypatch.setattr("workflows.sync._send", lambda application_id: None)  # the tasks are run below, by hand
    application = start(applicant)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    assert ProcessEvent.objects.count() == 3 and process_of(application) is None

    counts, failures, barrier = [], [], threading.Barrier(2)

    def run():
        try:
            barrier.wait(5)
            counts.append(sync.follow(application.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not failures and sorted(counts) == [0, 3]
    assert [node for node, status in history(application)] == [
        "start", "choose_mode", "route", "await_signature", "sign", "withdrawn_before_signing", "await_decision",
        "decide", "withdrawn_after_signing"]
    assert open_nodes(application) == ["await_decision", "decide", "withdrawn_after_signing"]
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_one_run_follows_several_applications_each_in_its_order(applicant, matter, monkeypatch, caplog):
    """A package's chunk is followed in one transaction; an event that fails is rolled back to its own savepoint
    and taken off, and the other applications' events are applied all the same."""
    monkeypatch.setattr("workflows.sync._send", lambda application_ids: None)  # followed below, by hand
    first, second = start(applicant), start(applicant)
    for application in (second, first):
        application_choose_commitment(application_id=application.pk, by=applicant.user)
    follows = sync.HANDLERS["notified"]

    def fails_for_the_second(application, event):
        if application.pk == second.pk:
            raise RuntimeError("the process store went away")
        follows(application, event)

    monkeypatch.setitem(sync.HANDLERS, "notified", fails_for_the_second)
    assert sync.follow(first.pk, second.pk) == 4

    assert open_nodes(first) == ["await_signature", "sign", "withdrawn_before_signing"]
    assert open_nodes(second) == ["choose_mode"]  # started, then out of step, as the log says
    assert f"Application #{second.pk}: the process could not follow 'notified'" in caplog.text
    assert not ProcessEvent.objects.exists()
