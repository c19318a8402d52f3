"""The supplement deadline is a database row read by a periodic sweep: it survives restarts and runs on a
real Celery worker against PostgreSQL (run by .ci/run)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Application, ApplicationState, Supplement
from approvals.services import (
    application_accept_lenient, application_choose_commitment, application_start, signature_sign,
)
from approvals.tasks import supplements_sweep
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.conftest import needs_worker, tasks_in_process, wait_for

pytestmark = [pytest.mark.worker, needs_worker(), pytest.mark.django_db(transaction=True)]


def test_the_worker_fails_an_application_whose_supplement_is_overdue(applicant, matter, staff):
    with tasks_in_process():  # the documents of the set-up render here; only the sweep goes to the worker
        application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter",
                                        by=staff)
        application_choose_commitment(application_id=application.pk, by=applicant.user)
        signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
        application_accept_lenient(application_id=application.pk, by=staff,
                                   missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    Supplement.objects.update(deadline=timezone.localdate() - timedelta(days=1))  # as if days had passed

    supplements_sweep.delay()
    assert wait_for(lambda: Application.objects.get(pk=application.pk).state == ApplicationState.FAILED)
    assert Supplement.objects.get().state == "overdue"
