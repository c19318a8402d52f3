"""Decide and issue (当场发证): the credit check is repeated at the decision (批中核查, case 14 Dezhou);
one licence per matter (多证齐发, case 15 Wuhan) numbered from a gapless per-matter, per-year sequence."""

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from ..lifecycles import LicenceLifecycle
from ..models import (
    ApplicationState, CheckStage, Licence, LicenceCounter, Mode, StateChange,
)
from ..ports import licence_issued_handlers
from ._common import Refused, lock_application, move, require_staff
from .credit_check import credit_check_run


class EntitlementChanged(Refused):
    """The decision-time credit check no longer allows the mode the application is in."""


def _next_number(matter, year: int) -> int:
    # gapless per matter and year, hence the lock: a rolled-back decision gives its number back
    try:
        with transaction.atomic():
            LicenceCounter.objects.get_or_create(matter=matter, year=year)
    except IntegrityError:
        pass  # created concurrently; lock it below
    counter = LicenceCounter.objects.select_for_update().get(matter=matter, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def licence_issue(*, application_matter, by) -> Licence:
    version = application_matter.matter_version
    matter = version.matter
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = _next_number(matter, year)
    valid_from = timezone.localdate(now)
    licence = Licence.objects.create(
        application_matter=application_matter, matter=matter, holder=application_matter.application.subject,
        number=f"{matter.code}-{year}-{sequence:06d}", year=year, sequence=sequence, valid_from=valid_from,
        valid_to=valid_from + relativedelta(months=version.validity_months) - relativedelta(days=1)
        if version.validity_months else None,
        issued_at=now, issued_by=by,
    )
    StateChange.record(licence, "", licence.state, by=by, reason=_("issued"))
    for handler in licence_issued_handlers:
        handler(licence=licence)
    return licence


def _decide_locked(application, by) -> list[Licence] | list[str]:
    if application.state == ApplicationState.DECIDED:
        raise Refused(_("This application was already decided at %(at)s.")
                      % {"at": timezone.localtime(application.decided_at).strftime("%Y-%m-%d %H:%M")}, code="decided")
    if application.state not in (ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS,
                                 ApplicationState.UNDER_REVIEW):
        move(application, "decide", by=by, action=_("decided"))  # refuses with the state's name
    check = credit_check_run(application_id=application.pk, stage=CheckStage.DECISION)
    if application.mode != Mode.STANDARD:
        changed = [
            f"{am.matter_version.matter.name}：{'；'.join(check.entitlements[str(am.matter_version_id)]['reasons'])}"
            for am in application.matters.select_related("matter_version__matter")
            if not check.allows(am.matter_version_id, application.mode)
        ]
        if changed:
            return changed
    move(application, "decide", by=by, action=_("decided"))
    application.decided_at, application.decided_by = timezone.now(), by
    application.save(update_fields=["decided_at", "decided_by"])
    return [licence_issue(application_matter=am, by=by)
            for am in application.matters.select_related("matter_version__matter", "application__subject")]


def application_decide(*, application_id: int, by) -> list[Licence]:
    """Decide on the spot without substantive review and issue every licence at once.

    The decision-time credit check is stored even when it refuses (it is evidence of why)."""
    require_staff(by)
    with transaction.atomic():
        application = lock_application(application_id)
        outcome = _decide_locked(application, by)
    if outcome and isinstance(outcome[0], str):
        raise EntitlementChanged(
            [_("The applicant's credit status changed since intake; notify-and-commit no longer applies:")] + outcome
            + [_("Move the application to standard review or terminate it.")], code="entitlement")
    return outcome


@transaction.atomic
def application_reject(*, application_id: int, by, reason: str):
    """Standard review: reject with the reasons."""
    require_staff(by)
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reasons for the rejection.")})
    application = lock_application(application_id)
    move(application, "reject", by=by, reason=reason, action=_("rejected"))
    application.decided_at, application.decided_by, application.outcome_reason = timezone.now(), by, reason
    application.save(update_fields=["decided_at", "decided_by", "outcome_reason"])
    return application


@transaction.atomic
def licence_revoke(*, licence_id: int, by, reason: str) -> Licence:
    """Revoke a licence (L2/L3 of the ladder, case 14); irreversible. A second caller waits, then is refused."""
    licence = Licence.objects.select_for_update().get(pk=licence_id)
    try:
        LicenceLifecycle(licence, by=by, reason=reason).revoke()
    except fsm.TransitionNotAllowed:
        raise Refused(_("Licence %(number)s is %(state)s and cannot be revoked.")
                      % {"number": licence.number, "state": licence.get_state_display()}, code="state")
    return licence
