"""Two (or twenty) staff deciding at once produce one decision and one licence; licence numbers stay
gapless and unique under concurrency (PostgreSQL, real threads and connections)."""

import threading

import pytest
from django.db import connection, connections

from approvals.models import Licence, Signature
from approvals.services import (
    Refused, application_choose_commitment, application_decide, application_start, signature_sign,
)
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def run_concurrently(n, fn):
    barrier = threading.Barrier(n)
    outcomes = []

    def worker(i):
        try:
            barrier.wait()
            outcomes.append(("ok", fn(i)))
        except Refused as refusal:
            outcomes.append(("refused", refusal))
        except Exception as error:  # anything else would be a server error
            outcomes.append(("error", error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def committed_application(person):
    application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    return application


def test_twenty_concurrent_decisions_issue_one_licence(applicant, matter, staff):
    application = committed_application(applicant)
    outcomes = run_concurrently(20, lambda i: application_decide(application_id=application.pk, by=staff))
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1 and kinds.count("refused") == 19 and "error" not in kinds, outcomes
    assert Licence.objects.count() == 1


def test_concurrent_decisions_of_different_applications_number_without_gaps(applicant, matter, staff):
    applications = [committed_application(applicant) for _ in range(8)]
    outcomes = run_concurrently(8, lambda i: application_decide(application_id=applications[i].pk, by=staff))
    assert [kind for kind, _ in outcomes] == ["ok"] * 8, outcomes
    assert sorted(Licence.objects.values_list("sequence", flat=True)) == list(range(1, 9))


def test_two_clicks_on_sign_leave_one_signature(applicant, matter):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    outcomes = run_concurrently(5, lambda i: signature_sign(application_id=application.pk, user=applicant.user,
                                                            method="password", secret=PASSWORD))
    assert [kind for kind, _ in outcomes] == ["ok"] * 5, outcomes
    assert Signature.objects.count() == 1
    assert len({signature.pk for _, signature in outcomes}) == 1
