"""The expiry sweep runs on a real Celery worker against PostgreSQL (run by .ci/run)."""

import pytest

from sanctions.models import Restriction, RestrictionState
from sanctions.tasks import restrictions_expire
from tests.conftest import needs_worker, wait_for
from tests.sanctions.factories import RestrictionFactory

pytestmark = [pytest.mark.worker, needs_worker(), pytest.mark.django_db(transaction=True)]


def test_the_worker_expires_an_ended_restriction():
    ended = RestrictionFactory(ended=True)
    restrictions_expire.delay()
    assert wait_for(lambda: Restriction.objects.get(pk=ended.pk).state == RestrictionState.EXPIRED)
