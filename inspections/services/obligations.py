"""Verification obligations: one per notify-and-commit licence, due within the matter's window. An open obligation
is overdue from the day after its due date: derived from `due_on` when read (selectors.overdue_obligations),
never written; the sweep only counts the newly overdue ones."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from approvals.models import Mode, VerificationScope
from approvals.selectors import current_grade, current_grades
from outbox.services import insert_new

from ..models import Obligation, ObligationState

OPEN = [ObligationState.DUE, ObligationState.ASSIGNED]

logger = logging.getLogger(__name__)


def obligation_create(*, licence, **kwargs) -> Obligation | None:
    """Each licence issued by notify-and-commit is due for verification within its matter's window
    (case 12 Delingha: on site within 3 months). For a random-share matter, its chance of being drawn is the
    share configured for the holder's grade at issue (e.g. A 3 %, B 5 %, C 20 %, D 100 %)."""
    if licence.application_matter.mode != Mode.COMMITMENT:
        return None
    obligation = _obligation(licence, current_grade(licence.holder))
    # one INSERT … ON CONFLICT DO NOTHING (one obligation per licence): no read first, no savepoint
    if not insert_new(Obligation, [obligation], key="licence_id"):
        obligation = Obligation.objects.get(licence=licence)
    return obligation


def obligations_create(*, licences, **kwargs) -> list[Obligation]:
    """obligation_create for many licences (a package's chunk): the holders' grades in one query, the
    obligations in one INSERT … ON CONFLICT DO NOTHING. -> the obligations inserted"""
    licences = [lic for lic in licences if lic.application_matter.mode == Mode.COMMITMENT]
    if not licences:
        return []
    grades = current_grades([lic.holder_id for lic in licences])
    return insert_new(Obligation, [_obligation(lic, grades.get(lic.holder_id)) for lic in licences],
                      key="licence_id")


obligation_create.many = obligations_create


def _obligation(licence, found) -> Obligation:
    version = licence.application_matter.matter_version
    grade = found.grade if found else settings.CREDIT_UNGRADED_AS
    share = 100
    if version.verification_scope == VerificationScope.RANDOM:
        share = int(round(float(version.verification_shares.get(grade, 100))))
    return Obligation(
        licence=licence, holder=licence.holder, matter_id=licence.matter_id, issued_on=licence.valid_from,
        method=version.verification_method, scope=version.verification_scope, grade=grade, share=share,
        due_on=licence.valid_from + timedelta(days=version.verification_window_days))


def obligations_sweep_overdue(*, today: date | None = None, since: date | None = None) -> int:
    """How many open obligations became overdue on a day from `since` to `today` (by default today only: those due
    yesterday); logged. Nothing is written: overdue is derived from `due_on` where it is shown (the supervisors'
    list, their daily digest), so a re-run or a missed run changes nothing. One COUNT on (state, due_on)."""
    today = today or timezone.localdate()
    since = since or today
    count = Obligation.objects.filter(state__in=OPEN, due_on__gte=since - timedelta(days=1), due_on__lt=today).count()
    logger.info("verification obligations newly overdue from %s to %s: %d", since, today, count)
    return count
