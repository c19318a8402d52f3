from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from approvals.models import StateChange

from .lifecycles import RestrictionLifecycle
from .models import Restriction, RestrictionScope, RestrictionState, Violation, ViolationKind


@transaction.atomic
def restriction_impose(
    *, subject, reason: str, legal_act: str, starts_at: datetime, ends_at: datetime, by=None,
    scope: str = RestrictionScope.ALL, matter=None, key_supervision: bool = True,
) -> Restriction:
    """Put a subject on the restriction list (违诺制约, case 14 Dezhou)."""
    restriction = Restriction(
        subject=subject, reason=reason, legal_act=legal_act, starts_at=starts_at, ends_at=ends_at,
        scope=scope, matter=matter, key_supervision=key_supervision, created_by=by,
    )
    restriction.full_clean()
    restriction.save()
    StateChange.record(restriction, "", restriction.state, by=by, reason=reason)
    return restriction


@transaction.atomic
def restriction_lift(*, restriction_id: int, by, reason: str) -> Restriction:
    """Lift a restriction early after credit repair (case 13 Huzhou); the reason is required."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for lifting the restriction early.")})
    restriction = Restriction.objects.select_for_update().get(pk=restriction_id)
    try:
        RestrictionLifecycle(restriction, by=by, reason=reason).lift()
    except fsm.TransitionNotAllowed:
        raise ValidationError(
            _("This restriction is %(state)s and can no longer be lifted.")
            % {"state": restriction.get_state_display()}
        )
    return restriction


def restrictions_expire(*, now: datetime | None = None) -> int:
    """Mark restrictions whose end has passed as expired; each in its own transaction, safe to re-run."""
    now = now or timezone.now()
    expired = 0
    for pk in Restriction.objects.filter(state=RestrictionState.ACTIVE, ends_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            restriction = Restriction.objects.select_for_update().get(pk=pk)
            if restriction.state != RestrictionState.ACTIVE:  # someone else got there first
                continue
            RestrictionLifecycle(restriction, reason=_("restriction period ended")).expire()
            expired += 1
    return expired


def violation_open(*, subject, kind: str, findings: str, source_key: str, application=None, licences=()) -> Violation:
    """Open a violation case once per source (the same overdue supplement never opens two)."""
    violation, created = Violation.objects.get_or_create(
        source_key=source_key,
        defaults={"subject": subject, "kind": kind, "findings": findings, "application": application},
    )
    if created:
        violation.licences.set(licences)
        StateChange.record(violation, "", violation.state, reason=findings)
    return violation


def violation_open_for_overdue_supplement(*, supplement, application) -> Violation:
    """容缺不补 after an on-the-spot decision (case 14 Dezhou, level 1)."""
    from approvals.models import Licence

    return violation_open(
        subject=application.subject, kind=ViolationKind.NOT_SUPPLIED, application=application,
        licences=Licence.objects.filter(application_matter__application=application),
        source_key=f"supplement:{supplement.pk}",
        findings=_("The deferred material “%(name)s” was not supplied by %(deadline)s.")
        % {"name": supplement.material.name, "deadline": supplement.deadline.isoformat()},
    )
