"""The restriction list (违诺制约名单): imposed by a level-3 act or a supervisor's act with a legal basis; it
ends exactly at its end (the credit check reads the dates; the sweep only records it), early after credit
repair, or is withdrawn when the finding behind it is overturned."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from approvals.models import StateChange, Subject

from ..lifecycles import RestrictionLifecycle
from ..models import FeedAction, FeedRecord, Restriction, RestrictionScope, RestrictionState
from ..ports import announce
from ._common import Refused, add_months, require_supervisor, required
from .feed import feed_restriction, feed_restriction_row


@transaction.atomic
def restriction_impose(
    *, subject, reason: str, legal_act: str, starts_at: datetime, ends_at: datetime, by=None,
    scope: str = RestrictionScope.ALL, matter=None, key_supervision: bool = True, violation=None,
    legal_basis: str = "",
) -> Restriction:
    """Put a subject on the restriction list (违诺制约, case 14 Dezhou); its notice is issued with it.

    The subject's row is locked first, as a decision locks it with its application: a decision in flight
    finishes before the restriction starts, and a decision after it waits and then sees it."""
    Subject.objects.select_for_update().filter(pk=subject.pk).first()
    restriction = Restriction(
        subject=subject, reason=reason, legal_act=legal_act, starts_at=starts_at, ends_at=ends_at,
        scope=scope, matter=matter, key_supervision=key_supervision, created_by=by, violation=violation,
        legal_basis=legal_basis,
    )
    if ends_at and starts_at and ends_at <= starts_at:
        raise Refused({"ends_at": _("A restriction must end after it starts.")}, code="ends_at")
    restriction.full_clean()
    restriction.save()
    StateChange.record(restriction, "", restriction.state, by=by, reason=reason)
    feed_restriction(restriction, FeedAction.PUBLISH)
    announce("restricted", restriction)
    return restriction


def restriction_impose_manual(*, subject, reason: str, legal_basis: str, starts_at: datetime, ends_at: datetime,
                              by, scope: str = RestrictionScope.ALL, matter=None,
                              key_supervision: bool = True) -> Restriction:
    """A supervisor's own act: only with its legal basis and reason."""
    require_supervisor(by)
    reason = required(reason, "reason", _("Give the reason for the restriction."))
    legal_basis = required(legal_basis, "legal_basis", _("Name the legal basis of the restriction."))
    return restriction_impose(subject=subject, reason=reason, legal_act=legal_basis, legal_basis=legal_basis,
                              starts_at=starts_at, ends_at=ends_at, by=by, scope=scope, matter=matter,
                              key_supervision=key_supervision)


def restriction_for_noncompliance(*, subject, reason: str, legal_act: str, by=None, violation=None
                                  ) -> Restriction | None:
    """Delingha/Wuzhou: a licensee found non-compliant loses notify-and-commit for the configured months."""
    months = settings.SANCTIONS_NONCOMPLIANCE_RESTRICTION_MONTHS
    if months <= 0:
        return None
    now = timezone.now()
    return restriction_impose(subject=subject, reason=reason, legal_act=legal_act, starts_at=now,
                              ends_at=add_months(now, months), by=by, key_supervision=False,
                              violation=violation, legal_basis=_("Loss of notify-and-commit after a non-compliant "
                                                                 "verification (cases 12 Delingha, 16 Wuzhou)"))


def _lock(restriction_id: int) -> Restriction:
    return Restriction.objects.select_for_update(of=("self",)).select_related("subject", "violation").get(
        pk=restriction_id)


def _refuse_ended(restriction: Restriction, action: str):
    now = timezone.now()
    if restriction.state == RestrictionState.ACTIVE and restriction.ends_at <= now:
        return Refused(_("This restriction ended on %(end)s and can no longer be %(action)s.")
                       % {"end": timezone.localtime(restriction.ends_at).strftime("%Y-%m-%d %H:%M"),
                          "action": action}, code="state")
    return Refused(_("This restriction is %(state)s and can no longer be %(action)s.")
                   % {"state": restriction.get_state_display(), "action": action}, code="state")


@transaction.atomic
def restriction_lift(*, restriction_id: int, by, reason: str) -> Restriction:
    """Lift a restriction early (credit repair, case 13 Huzhou); the reason is required. An expired one is
    refused even before the sweep has marked it."""
    reason = required(reason, "reason", _("Give the reason for lifting the restriction early."))
    restriction = _lock(restriction_id)
    if restriction.ends_at <= timezone.now() and restriction.state == RestrictionState.ACTIVE:
        raise _refuse_ended(restriction, _("lifted"))
    try:
        RestrictionLifecycle(restriction, by=by, reason=reason).lift()
    except fsm.TransitionNotAllowed:
        raise _refuse_ended(restriction, _("lifted"))
    feed_restriction(restriction, FeedAction.WITHDRAW)
    announce("restriction_lifted", restriction)
    return restriction


def restriction_lift_by_supervisor(*, restriction_id: int, by, reason: str) -> Restriction:
    require_supervisor(by)
    return restriction_lift(restriction_id=restriction_id, by=by, reason=reason)


def restriction_withdraw(restriction: Restriction, *, by, reason: str) -> None:
    """The finding behind it was overturned (objection upheld); the caller holds the locks."""
    if restriction.state != RestrictionState.ACTIVE:
        return
    RestrictionLifecycle(restriction, by=by, reason=reason).withdraw()
    feed_restriction(restriction, FeedAction.WITHDRAW)
    announce("restriction_withdrawn", restriction)


def restrictions_expire(*, now: datetime | None = None, chunk: int = 10000) -> int:
    """Record as expired the restrictions whose end has passed, a chunk per transaction (state, state change
    and feed withdrawal together, the rows written by COPY on PostgreSQL); rows another act holds are skipped and
    left to the next run. Safe to re-run; the credit check never waits for it (it reads the dates)."""
    from django.contrib.contenttypes.models import ContentType

    from approvals.bulk import Writer

    now = now or timezone.now()
    reason = _("restriction period ended")
    content_type = ContentType.objects.get_for_model(Restriction)
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(Restriction.objects.select_for_update(of=("self",), skip_locked=True)
                         .select_related("subject", "matter", "violation")
                         .filter(state=RestrictionState.ACTIVE, ends_at__lte=now).order_by("pk")[:chunk])
            if not batch:
                return expired
            Restriction.objects.filter(pk__in=[r.pk for r in batch]).update(state=RestrictionState.EXPIRED)
            for restriction in batch:
                restriction.state = RestrictionState.EXPIRED
            at = timezone.now()
            Writer(StateChange).write(({"content_type_id": content_type.pk, "object_id": r.pk,
                                        "source": RestrictionState.ACTIVE, "target": RestrictionState.EXPIRED,
                                        "reason": reason, "at": at} for r in batch), at)
            Writer(FeedRecord).write(({"category": record.category, "action": record.action,
                                       "object_id": record.object_id, "payload": record.payload, "key": record.key}
                                      for record in (feed_restriction_row(r, FeedAction.WITHDRAW) for r in batch)), at)
            expired += len(batch)
