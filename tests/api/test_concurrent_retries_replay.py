"""Retries racing each other with one Idempotency-Key: one decision, one licence, every client the same answer
(PostgreSQL: the second insert of the key waits for the first transaction, then replays)."""

import threading

import pytest
from django.db import connection, connections  # noqa: F401 (connection: the skipif below)

from approvals.models import Licence
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.api.helpers import apply, client_for, commit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_ten_racing_retries_decide_once(applicant, matter, staff):
    me = client_for(applicant.user)
    application_id = apply(me, applicant).json()["id"]
    commit(me, application_id)
    clients = [client_for(staff) for _ in range(10)]
    barrier = threading.Barrier(len(clients))
    responses = []

    def retry(client):
        try:
            barrier.wait()
            responses.append(client.post(f"/api/applications/{application_id}/decide/",
                                         headers={"Idempotency-Key": "race-1"}))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in responses] == [200] * 10
    assert len({r.content for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
    assert Licence.objects.count() == 1
