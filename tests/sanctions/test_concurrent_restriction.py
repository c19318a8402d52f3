"""A restriction committing while applications are in flight: every decision, and every choice of
notify-and-commit, either finished before the restriction started or sees it (PostgreSQL, real threads and
connections)."""

import pytest
from django.db import connection  # noqa: F401 - read by the skipif condition
from django.utils import timezone

from approvals.models import CheckStage, CreditCheck, Licence, Notice
from approvals.roles import SUPERVISOR
from approvals.services import (
    EntitlementChanged, Refused, application_choose_commitment, application_decide, application_start,
)
from sanctions.services import restriction_impose_manual
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application, run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def race_with_a_restriction(subject, applications: list, act) -> tuple:
    """act(application) on each of twelve applications and, among them, a restriction imposed on `subject`, all at
    once on their own connections. -> (the restriction, the refusals); no other error"""
    supervisor = UserFactory(role=SUPERVISOR)

    def run(i):
        if i == 6:
            now = timezone.now()
            return restriction_impose_manual(subject=subject, reason="提供虚假材料", legal_basis="《办法》第十二条",
                                             starts_at=now, ends_at=now + timezone.timedelta(days=180),
                                             by=supervisor)
        return act(applications[i if i < 6 else i - 1])

    outcomes = run_concurrently(13, run)
    assert "error" not in [kind for kind, _ in outcomes], outcomes
    restriction = next(value for kind, value in outcomes if kind == "ok" and hasattr(value, "ends_at"))
    return restriction, [value for kind, value in outcomes if kind == "refused"]


def test_no_licence_is_issued_on_notify_and_commit_after_a_restriction_commits(applicant, matter, staff):
    applications = [committed_application(applicant) for _ in range(12)]
    restriction, refused = race_with_a_restriction(
        applicant, applications, lambda a: application_decide(application_id=a.pk, by=staff))
    assert all(isinstance(refusal, EntitlementChanged) for refusal in refused), refused
    licences = list(Licence.objects.all())
    assert len(licences) + len(refused) == 12
    # the restriction row was written after the subject lock was granted: every licence was issued before it
    assert all(licence.issued_at < restriction.created_at for licence in licences), (
        [licence.issued_at for licence in licences], restriction.created_at)


def test_no_notice_is_issued_after_a_restriction_commits(applicant, matter):
    """The choice of notify-and-commit, racing a restriction: each notice was issued before the restriction was
    written, or the choice was refused on a fresh check that saw it (kept as evidence)."""
    applications = [application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                      by=applicant.user) for _ in range(12)]
    restriction, refused = race_with_a_restriction(
        applicant, applications, lambda a: application_choose_commitment(application_id=a.pk, by=applicant.user))
    assert all(isinstance(r, Refused) and r.code == "entitlement" for r in refused), refused
    notices = list(Notice.objects.all())
    assert len(notices) + len(refused) == 12
    assert all(notice.issued_at < restriction.created_at for notice in notices)
    assert CreditCheck.objects.filter(stage=CheckStage.CHOICE).count() == len(refused)
