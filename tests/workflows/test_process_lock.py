"""A decision made while someone holds the process lock (e.g. a colleague taking the task in viewflow's queue):
the process follows it once the lock is free (here at once after the commit, in-process, as in the embedded
default): the flow lock waits instead of NOWAIT (PostgreSQL, real threads)."""

import threading
import time

import pytest
from django.db import connection, connections  # noqa: F401 (connection: the skipif condition)

from approvals.roles import WINDOW_STAFF
from approvals.services import application_choose_commitment, application_decide, application_start, signature_sign
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.workflows.helpers import process_of
from workflows.flows import ApplicationFlow

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_deciding_waits_for_a_colleague_taking_the_task(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    colleague = UserFactory(role=WINDOW_STAFF)
    task = ApplicationFlow.task_class.objects.get(flow_task=ApplicationFlow.decide)
    locked, failures = threading.Event(), []

    def take_task():
        try:
            with task.activation() as activation:  # the process row stays locked until this block ends
                activation.assign(colleague)
                locked.set()
                time.sleep(0.5)
        except Exception as error:
            failures.append(error)
            locked.set()
        finally:
            connections.close_all()

    taker = threading.Thread(target=take_task)
    taker.start()
    assert locked.wait(10)
    began = time.monotonic()
    application_decide(application_id=application.pk, by=staff)
    waited = time.monotonic() - began
    taker.join()

    assert not failures and waited > 0.3
    task.refresh_from_db()
    assert task.status == "DONE" and task.owner == staff  # the colleague took it; the decider is recorded
    assert process_of(application).status == "DONE"
