"""The restriction list (违诺制约名单): imposed by a level-3 act or a supervisor's act with a legal basis; it
ends exactly at its end (the credit check reads the dates; the sweep only records it), early after credit
repair, or is withdrawn when the finding behind it is overturned."""

from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow import fsm

from approvals.models import Matter, StateChange, Subject

from ..lifecycles import RestrictionLifecycle
from ..models import (
    FeedAction, FeedCategory, FeedRecord, Restriction, RestrictionScope, RestrictionState, Violation,
)
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


def restrictions_expire(*, now: datetime | None = None, chunk: int = 25000) -> int:
    """Record as expired the restrictions whose end has passed, a chunk per transaction (state, state change
    and feed withdrawal together); rows another act holds are skipped and left to the next run. Safe to re-run;
    the credit check never waits for it (it reads the dates). On PostgreSQL each chunk is one statement (lock,
    update, insert the state changes and the feed records built by the database: issue 8, 100,000 in seconds);
    elsewhere the rows are read and written from Python."""
    from django.contrib.contenttypes.models import ContentType

    now = now or timezone.now()
    reason = _("restriction period ended")
    content_type = ContentType.objects.get_for_model(Restriction)
    expire_chunk = _expire_chunk_sql if connection.vendor == "postgresql" else _expire_chunk_python
    expired = 0
    while True:
        with transaction.atomic():
            done = expire_chunk(now=now, chunk=chunk, reason=reason, content_type=content_type)
        if not done:
            return expired
        expired += done


def _expire_chunk_python(*, now, chunk, reason, content_type) -> int:
    from approvals.bulk import Writer

    batch = list(Restriction.objects.select_for_update(of=("self",), skip_locked=True)
                 .select_related("subject", "matter", "violation")
                 .filter(state=RestrictionState.ACTIVE, ends_at__lte=now).order_by("pk")[:chunk])
    if not batch:
        return 0
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
    return len(batch)


def _iso(column: str) -> str:
    """SQL for Python's isoformat() of a timestamptz read back in UTC (as Django reads it): 2026-06-01T08:00:00+00:00,
    with .ffffff only when there are microseconds; NULL stays NULL."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {utc}) = {utc} "
            f"THEN '' ELSE to_char({utc}, '.US') END || '+00:00')")


def _expire_chunk_sql(*, now, chunk, reason, content_type) -> int:
    """One statement: lock up to `chunk` ended active restrictions (SKIP LOCKED, by id), mark them expired, and
    insert their state changes and feed withdrawals, the payload built as feed_restriction_row builds it (the
    same JSON; tests compare the two). The statement-level audit trigger logs the update as for any other."""
    at = timezone.now()
    sql = f"""
WITH picked AS (
    SELECT id FROM {Restriction._meta.db_table}
     WHERE state = %(active)s AND ends_at <= %(now)s
     ORDER BY id LIMIT %(chunk)s FOR UPDATE SKIP LOCKED
), expired AS (
    UPDATE {Restriction._meta.db_table} r SET state = %(expired)s FROM picked WHERE r.id = picked.id
    RETURNING r.*
), changes AS (
    INSERT INTO {StateChange._meta.db_table} (content_type_id, object_id, source, target, by_id, reason, at)
    SELECT %(content_type)s, id, %(active)s, %(expired)s, NULL, %(reason)s, %(at)s FROM expired ORDER BY id
), feed AS (
    INSERT INTO {FeedRecord._meta.db_table} ("key", category, action, object_id, payload, created_at, pushed_at,
                                              attempts, last_error)
    SELECT gen_random_uuid(), %(category)s, %(action)s, r.id, jsonb_build_object(
               'subject', jsonb_build_object('name', s.name, 'number', s.number, 'kind', s.kind),
               'scope', r.scope, 'matter', m.code, 'reason', r.reason, 'legal_act', r.legal_act,
               'starts_at', {_iso("r.starts_at")}, 'ends_at', {_iso("r.ends_at")}, 'state', r.state,
               'case', v.number, 'lifted_at', {_iso("r.lifted_at")}),
           %(at)s, NULL, 0, ''
      FROM expired r
      JOIN {Subject._meta.db_table} s ON s.id = r.subject_id
      LEFT JOIN {Matter._meta.db_table} m ON m.id = r.matter_id
      LEFT JOIN {Violation._meta.db_table} v ON v.id = r.violation_id
     ORDER BY r.id
    RETURNING 1
)
SELECT count(*) FROM feed"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"active": RestrictionState.ACTIVE, "expired": RestrictionState.EXPIRED, "now": now,
                             "chunk": chunk, "content_type": content_type.pk, "reason": str(reason), "at": at,
                             "category": FeedCategory.RESTRICTION, "action": FeedAction.WITHDRAW})
        return cursor.fetchone()[0]
