"""Many people acting at once, through the API (the test client in real threads, each with its own database
connection, PostgreSQL row locks). The service-level twin is tests/approvals/test_concurrent_decisions.py
(20 application_decide calls); these go through HTTP: sessions, serializers, the error handler.

- 20 concurrent decisions of one application: 1 licence, 19 clean refusals (409 "decided"), 0 server errors.
- A restriction committed while 20 decisions of the same applicant are in flight: no application is decided
  (gets its notify-and-commit licence) after the restriction has committed; the rest are refused (409
  "entitlement"), none is a server error, and a new notify-and-commit application is refused."""

import threading
import time
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from approvals.models import Application, Licence
from approvals.roles import SUPERVISOR
from outbox.models import Message
from sanctions.models import Restriction
from sanctions.services import restriction_impose_manual
from tests.api.helpers import apply, client_for
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application
from tests.faults.conftest import FAULTS, wait_until

pytestmark = FAULTS


def in_threads(calls):
    """Run the callables at once (a barrier); -> their results in order. Each thread closes its connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i):
        try:
            barrier.wait()
            results[i] = calls[i]()
        except Exception as error:  # noqa: BLE001 - reported as the outcome
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_twenty_concurrent_decisions_through_the_api(applicant, matter, staff):
    application = committed_application(applicant)
    clients = [client_for(staff) for _ in range(20)]
    url = f"/api/applications/{application.pk}/decide/"
    responses = in_threads([lambda c=c: c.post(url, format="json") for c in clients])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19, responses
    refusals = [r.json() for r in responses if r.status_code == 409]
    assert all(body["code"] == "decided" and body["detail"] for body in refusals)
    assert "已于" in refusals[0]["detail"][0]  # the refusal names the earlier decision, in Chinese
    assert Licence.objects.count() == 1
    assert Message.objects.filter(key__startswith="document-render:").count() == 3  # notice, letter, certificate
    print(f"\nFAULT 20 concurrent decisions (API): 1 licence, {len(refusals)} refusals (409), 0 errors")


def test_a_restriction_committed_while_twenty_decisions_are_in_flight(applicant, matter, staff, to_broker):
    supervisor = UserFactory(role=SUPERVISOR)
    applications = [committed_application(applicant) for _ in range(20)]
    # documents wait in the outbox (a closed port as the broker): rendering them in these threads would
    # take the interpreter away from the race being tested
    to_broker("redis://127.0.0.1:1/0", "faults-none")
    clients = [client_for(staff) for _ in range(20)]
    decided_when_restricted = []

    def restrict():
        # once a few are through, so that others are still queued on the applicant's row lock
        wait_until(lambda: Application.objects.filter(pk__in=[a.pk for a in applications],
                                                      state="decided").count() >= 3, 60, 0.05)
        now = timezone.now()
        restriction_impose_manual(subject=applicant, reason="提供虚假材料（三级违诺）", legal_basis="《实施办法》第十条",
                                  starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=180),
                                  by=supervisor)
        # committed: what is decided now was decided before; nothing may be decided after this point
        decided_when_restricted.extend(Application.objects.filter(
            pk__in=[a.pk for a in applications], state="decided").values_list("pk", flat=True))
        return "restricted"

    def decide(client, application, i):
        time.sleep(0.5 * i)  # arriving over ten seconds; the restriction comes in among them
        return client.post(f"/api/applications/{application.pk}/decide/", format="json")

    calls = [lambda c=c, a=a, i=i: decide(c, a, i) for i, (c, a) in enumerate(zip(clients, applications))]
    calls.insert(10, restrict)  # in the middle of the start order; all wait on one barrier
    results = in_threads(calls)
    assert results.pop(10) == "restricted", results
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {200, 409} and 500 not in statuses, results
    refused = [r.json() for r in results if r.status_code == 409]
    assert all(body["code"] == "entitlement" for body in refused), refused

    decided = set(Application.objects.filter(pk__in=[a.pk for a in applications], state="decided")
                  .values_list("pk", flat=True))
    assert decided == set(decided_when_restricted)  # none decided after the restriction's commit
    assert 3 <= len(decided) < 20, decided  # a real race: some before, some after
    assert len(decided) == statuses.count(200) and len(refused) == 20 - len(decided)
    assert Licence.objects.count() == len(decided)
    assert Restriction.objects.filter(subject=applicant).count() == 1

    desk = client_for(applicant.user)  # and a new application cannot take notify-and-commit
    started = apply(desk, applicant)
    assert started.status_code == 201, started.content
    chosen = desk.post(f"/api/applications/{started.json()['id']}/choose-commitment/")
    assert chosen.status_code == 409 and chosen.json()["code"] == "entitlement"
    print(f"\nFAULT restriction during 20 decisions: {len(decided)} decided before its commit, "
          f"{len(refused)} refused (409 entitlement), 0 decided after, 0 errors")
