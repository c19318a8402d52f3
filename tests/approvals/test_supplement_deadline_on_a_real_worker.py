"""The supplement deadline is a database row read by a periodic sweep: it survives restarts and runs on a
real Celery worker against PostgreSQL (run by .ci/run)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import ApplicationState, Supplement
from approvals.services import (
    application_accept_lenient, application_choose_commitment, application_start, signature_sign,
)
from approvals.tasks import supplements_sweep
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.conftest import needs_worker

pytestmark = [pytest.mark.worker, needs_worker(), pytest.mark.django_db(transaction=True)]


def test_the_worker_fails_an_application_whose_supplement_is_overdue(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    application_accept_lenient(application_id=application.pk, by=staff,
                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    Supplement.objects.update(deadline=timezone.localdate() - timedelta(days=1))  # as if days had passed

    assert supplements_sweep.delay().get(timeout=60) == {"overdue": 1, "failed": 1, "violations": 0}
    application.refresh_from_db()
    assert application.state == ApplicationState.FAILED
