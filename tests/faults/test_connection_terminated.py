"""A PostgreSQL connection terminated in the middle of a transaction (pg_terminate_backend from a second
connection, as a failover or an administrator does): the transaction is rolled back whole, the request gets a
clear 503 in the user's language (approvals.middleware.DatabaseUnavailableMiddleware), and the next request
works. The decision is held mid-transaction on the licence counter's row lock, which the test takes first:
by then it has locked the application, stored the decision-time credit check and moved the application."""

import threading

import psycopg
from django.db import connection
from django.test import Client
from django.utils import timezone

from approvals.models import Application, CreditCheck, Licence, LicenceCounter, StateChange
from documents.models import Document
from outbox.models import Message
from tests.api.helpers import client_for
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application
from tests.faults.conftest import FAULTS, wait_until

pytestmark = FAULTS


def dsn() -> str:
    db = connection.settings_dict
    return (f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']} "
            f"user={db['USER'] or 'postgres'}")


def snapshot(application):
    application.refresh_from_db()
    return {
        "state": application.state, "decided_at": application.decided_at,
        "licences": Licence.objects.count(), "changes": StateChange.objects.count(),
        "checks": CreditCheck.objects.filter(application=application).count(),
        "documents": Document.objects.count(), "messages": Message.objects.count(),
    }


def test_a_terminated_connection_rolls_back_the_decision_and_answers_503(applicant, matter, staff):
    application = committed_application(applicant)
    before = snapshot(application)
    counter, _ = LicenceCounter.objects.get_or_create(matter=matter.matter, year=timezone.localdate().year)
    client = client_for(staff)
    responses = []

    with psycopg.connect(dsn(), autocommit=False) as holder, psycopg.connect(dsn(), autocommit=True) as admin:
        holder.execute(f"SELECT 1 FROM {LicenceCounter._meta.db_table} WHERE id = %s FOR UPDATE", [counter.pk])
        holder_pid = holder.info.backend_pid
        request = threading.Thread(target=lambda: responses.append(
            client.post(f"/api/applications/{application.pk}/decide/", format="json")))
        request.start()

        def blocked_pid():
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                "AND %s = ANY(pg_blocking_pids(pid))", [holder_pid]).fetchone()
            return row and row[0]

        assert wait_until(blocked_pid, 30, 0.05), "the decision never reached the counter lock"
        pid = blocked_pid()
        # mid-transaction: it has written (uncommitted) rows already
        assert admin.execute("SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                             [pid]).fetchone()[0]
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
        request.join(30)
        holder.rollback()

    (response,) = responses
    assert response.status_code == 503, response.content
    body = response.json()
    assert body["code"] == "database_unavailable" and "数据库" in body["detail"][0], body
    assert response["Retry-After"]
    assert snapshot(application) == before  # rolled back whole: no licence, state change, check or document

    again = client.post(f"/api/applications/{application.pk}/decide/", format="json")  # a new connection
    assert again.status_code == 200, again.content
    assert Licence.objects.filter(application_matter__application=application).count() == 1
    assert Application.objects.get(pk=application.pk).state == "decided"
    print(f"\nFAULT pg_terminate_backend mid-decision: 503 {body['code']}, rolled back whole, retry 200")


def test_the_page_says_so_too(applicant, matter, staff):
    """The same on a page: a plain 503 page in Chinese (no base template: it would query the database). Here
    the first query to fail is the session's, in a middleware (Django turns that into a 500 before any view
    runs; the middleware replaces it). The client does not re-raise, as a real server does not."""
    client = Client(raise_request_exception=False)
    with psycopg.connect(dsn(), autocommit=True) as admin:
        client.force_login(staff)
        responses = []

        def terminate_then_request():
            # the request's own connection is killed between two queries of the view
            from django.db import connection as request_connection

            request_connection.ensure_connection()
            admin.execute("SELECT pg_terminate_backend(%s)",
                          [request_connection.connection.info.backend_pid])
            responses.append(client.get("/applications/"))

        thread = threading.Thread(target=terminate_then_request)
        thread.start()
        thread.join(30)
    (response,) = responses
    assert response.status_code == 503
    page = response.content.decode()
    assert "服务暂时不可用" in page and "数据库" in page and 'lang="zh-hans"' in page
