"""Two administrators revising the same matter at once get two distinct version numbers (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from approvals.models import MatterVersion
from approvals.services import matter_version_revise
from tests.approvals.factories import MatterVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL")
def test_concurrent_revisions_get_distinct_numbers():
    version = MatterVersionFactory()
    barrier = threading.Barrier(4)
    errors = []

    def revise():
        try:
            barrier.wait()
            matter_version_revise(version_id=version.pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revise) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(MatterVersion.objects.filter(matter=version.matter).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
