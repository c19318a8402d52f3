"""Violation cases on the three-level ladder (case 14 Dezhou). Every step: lock the case, check, change,
record who and why, issue the document the subject receives, and write the feed record — one transaction."""

import uuid
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from approvals.lifecycles import LicenceLifecycle
from approvals.models import ApplicationState, Licence, LicenceState, StateChange
from approvals.sequences import take_numbers
from approvals.services._common import lock_application, move
from approvals.services.calendar import add_working_days

from ..models import (
    NOT_SUPPLIED, UNTRUE, FeedAction, Level, ObjectionState, Violation, ViolationCounter, ViolationKind, ViolationState,
)
from ..ports import announce
from ._common import Refused, add_months, lock_violation, move_case, require_supervisor, required
from .feed import feed_violation
from .restrictions import restriction_impose

RUNNING = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.CHECKED, ApplicationState.NOTIFIED,
           ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS, ApplicationState.UNDER_REVIEW]


def _number() -> str:
    year = timezone.localdate().year
    return f"WN-{year}-{take_numbers(ViolationCounter, year=year):06d}"


@transaction.atomic
def violation_open(*, subject, kind: str, findings: str, source_key: str, application=None, licences=(),
                   evidence: str = "", by=None) -> Violation:
    """Open a violation case once per source (the same overdue supplement never opens two)."""
    existing = Violation.objects.filter(source_key=source_key).first()
    if existing:
        return existing
    kind_row = ViolationKind.objects.filter(code=kind).first()
    if kind_row is None:
        raise Refused({"kind": _("Unknown kind of violation: %(kind)s.") % {"kind": kind}}, code="kind")
    try:
        with transaction.atomic():
            violation = Violation.objects.create(
                number=_number(), subject=subject, kind=kind_row, findings=findings, evidence=evidence,
                application=application, source_key=source_key,
                opened_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # the same source opened it concurrently: that case is the one
        return Violation.objects.get(source_key=source_key)
    violation.licences.set(licences)
    StateChange.record(violation, "", violation.state, by=violation.opened_by, reason=findings)
    return violation


def violation_open_manual(*, subject, kind: str, findings: str, evidence: str = "", application=None,
                          licences=(), by) -> Violation:
    """A supervisor opens a case from a complaint, a check or a tip-off: findings required."""
    require_supervisor(by)
    findings = required(findings, "findings", _("Describe the findings."))
    for licence in licences:
        if licence.holder_id != subject.pk:
            raise Refused({"licences": _("Licence %(number)s is not held by %(name)s.")
                           % {"number": licence.number, "name": subject.name}}, code="licences")
    if application is not None and application.subject_id != subject.pk:
        raise Refused({"application": _("That application is not the subject's.")}, code="application")
    return violation_open(subject=subject, kind=kind, findings=findings, evidence=evidence,
                          application=application, licences=licences, by=by, source_key=f"manual:{uuid.uuid4()}")


def violation_open_for_overdue_supplement(*, supplement, application) -> Violation:
    """容缺不补 after an on-the-spot decision (case 14 Dezhou, level 1)."""
    return violation_open(
        subject=application.subject, kind=NOT_SUPPLIED, application=application,
        licences=Licence.objects.filter(application_matter__application=application),
        source_key=f"supplement:{supplement.pk}",
        findings=_("The deferred material “%(name)s” was not supplied by %(deadline)s.")
        % {"name": supplement.material.name, "deadline": supplement.deadline.isoformat()},
    )


def violation_open_for_noncompliance(*, record, failed_items, by=None) -> Violation:
    """A non-compliant check (事后核查不合格) opens a case, 承诺不实 unless the supervisor grades it otherwise; where
    configured (Delingha, Wuzhou) the licensee also loses notify-and-commit for a period."""
    from .restrictions import restriction_for_noncompliance

    licence = record.obligation.licence
    findings = "\n".join(
        _("Item %(position)s “%(text)s” not met: %(note)s") % {"position": item.position, "text": item.text,
                                                             "note": item.note}
        for item in failed_items)
    violation = violation_open(subject=licence.holder, kind=UNTRUE, findings=findings, licences=[licence],
                               application=licence.application_matter.application, by=by,
                               source_key=f"inspection:{record.pk}",
                               evidence=_("Inspection record No. %(id)s") % {"id": record.pk})
    if not violation.restrictions.exists():
        restriction_for_noncompliance(subject=licence.holder, violation=violation, legal_act=violation.number,
                                      reason=_("Found non-compliant at verification after issuance (%(number)s)")
                                      % {"number": licence.number}, by=by)
    return violation


@transaction.atomic
def violation_grade(*, violation_id: int, by, level: int | None = None, reason: str = "") -> Violation:
    """定级: the kind's level by default; a higher level only with a reason; never lower."""
    require_supervisor(by)
    violation = lock_violation(violation_id)
    default = violation.kind.level
    level = int(level or default)
    if level not in Level.values:
        raise Refused({"level": _("The level must be 1, 2 or 3.")}, code="level")
    if level < default:
        raise Refused({"level": _("A “%(kind)s” case is at least level %(level)s.")
                       % {"kind": violation.kind.label, "level": default}}, code="level")
    if level > default:
        reason = required(reason, "reason", _("Give the reason for grading above the kind's level."))
    violation.level = level
    move_case(violation, "grade", by=by, reason=reason or str(Level(level).label), action=pgettext("case action", "grade"))
    return violation


@transaction.atomic
def violation_escalate(*, violation_id: int, by, level: int, reason: str) -> Violation:
    """A supervisor escalates a running case (e.g. fraud found during rectification); the documents of the
    higher level still follow, one act at a time."""
    require_supervisor(by)
    reason = required(reason, "reason", _("Give the reason for the escalation."))
    violation = lock_violation(violation_id)
    level = int(level)
    if level not in Level.values or level <= (violation.level or 0):
        raise Refused({"level": _("Escalation must go above the current level %(level)s.")
                       % {"level": violation.level or "-"}}, code="level")
    violation.level = level
    move_case(violation, "escalate", by=by, reason=reason, action=pgettext("case action", "escalate"))
    return violation


@transaction.atomic
def violation_order_rectification(*, violation_id: int, by, deadline: date | None = None,
                                  reason: str = "") -> Violation:
    """限期整改 (level 1): a deadline in working days; the order is issued to the subject."""
    require_supervisor(by)
    violation = lock_violation(violation_id)
    today = timezone.localdate()
    deadline = deadline or add_working_days(today, settings.SANCTIONS_RECTIFICATION_DAYS)
    if deadline <= today:
        raise Refused({"deadline": _("The rectification deadline must be after today.")}, code="deadline")
    if violation.state == ViolationState.GRADED and violation.level != Level.RECTIFY:
        raise Refused(_("Case %(number)s is level %(level)s: rectification is for level 1 only.")
                      % {"number": violation.number, "level": violation.level}, code="level")
    violation.rectification_deadline = deadline
    move_case(violation, "order_rectification", by=by, reason=reason or _("rectification ordered"),
              action=pgettext("case action", "order rectification"))
    announce("rectification_ordered", violation)
    return violation


@transaction.atomic
def violation_record_rectified(*, violation_id: int, by, report: str) -> Violation:
    """Rectified in time → closed, the record kept. After the deadline it is not rectified (level 2)."""
    require_supervisor(by)
    report = required(report, "report", _("Describe how the subject rectified."))
    violation = lock_violation(violation_id)
    if (violation.state == ViolationState.RECTIFICATION_ORDERED and violation.rectification_deadline
            and timezone.localdate() > violation.rectification_deadline):
        raise Refused(_("The deadline %(deadline)s has passed; record the case as not rectified.")
                      % {"deadline": violation.rectification_deadline.isoformat()}, code="deadline")
    violation.rectification_report = report
    move_case(violation, "rectify", by=by, reason=report, action=pgettext("case action", "record as rectified"))
    _close(violation, by=by)
    return violation


def _not_rectified(violation: Violation, *, by, reason: str) -> None:
    violation.level = max(violation.level or 0, Level.REVOKE)
    move_case(violation, "fail_rectification", by=by, reason=reason, action=pgettext("case action", "record as not rectified"))


@transaction.atomic
def violation_record_not_rectified(*, violation_id: int, by, reason: str) -> Violation:
    """Refuses to rectify, or still fails after: level 2."""
    require_supervisor(by)
    reason = required(reason, "reason", _("Give the reason."))
    violation = lock_violation(violation_id)
    _not_rectified(violation, by=by, reason=reason)
    return violation


def rectifications_sweep(*, today: date | None = None) -> int:
    """The deadline passed without rectification → not rectified (level 2); each case in its own transaction."""
    today = today or timezone.localdate()
    moved = 0
    for pk in Violation.objects.filter(state=ViolationState.RECTIFICATION_ORDERED,
                                       rectification_deadline__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            violation = lock_violation(pk)
            if violation.state != ViolationState.RECTIFICATION_ORDERED:
                continue
            _not_rectified(violation, by=None, reason=_("The rectification deadline %(deadline)s passed.")
                           % {"deadline": violation.rectification_deadline.isoformat()})
            moved += 1
    return moved


@transaction.atomic
def violation_revoke(*, violation_id: int, by, reason: str) -> Violation:
    """撤销 (level 2 and 3): the case's licences are revoked (the QR page says so at once); at level 3 a
    running application is terminated and the subject restricted for the configured months; the case then
    closes. Each act issues its document."""
    require_supervisor(by)
    reason = required(reason, "reason", _("Give the reasons for the revocation."))
    violation = lock_violation(violation_id)
    licences = list(violation.licences.select_for_update().filter(state__in=[LicenceState.VALID,
                                                                             LicenceState.SUSPENDED]))
    running = None
    if violation.application_id and violation.level == Level.RESTRICT:
        application = lock_application(violation.application_id)
        running = application if application.state in RUNNING else None
    if violation.level == Level.REVOKE and not licences:
        raise Refused(_("Case %(number)s names no valid licence to revoke.") % {"number": violation.number},
                      code="licences")
    move_case(violation, "revoke", by=by, reason=reason, action=pgettext("case action", "revoke"))
    for licence in licences:
        LicenceLifecycle(licence, by=by, reason=reason).revoke()
    if running is not None:
        move(running, "terminate", by=by, reason=reason, action=_("terminated"))
        running.outcome_reason = reason
        running.save(update_fields=["outcome_reason"])
    announce("revoked", violation)
    if violation.level == Level.RESTRICT:
        now = timezone.now()
        restriction = restriction_impose(
            subject=violation.subject, violation=violation, by=by, starts_at=now,
            ends_at=add_months(now, settings.SANCTIONS_RESTRICTION_MONTHS),
            reason=violation.findings, legal_act=violation.number, key_supervision=True,
            legal_basis=_("Level 3 of the notify-and-commit sanction ladder (弄虚作假、恶意欺骗)"),
        )
        move_case(violation, "restrict", by=by, reason=restriction.reason, action=pgettext("case action", "restrict"))
    _close(violation, by=by)
    return violation


def _close(violation: Violation, *, by) -> None:
    """Concluded: published (unless an objection is open) until the later of the publication period and the
    end of its restriction."""
    move_case(violation, "close", by=by, reason=_("case concluded"), action=pgettext("case action", "close"))
    until = add_months(violation.closed_at, settings.SANCTIONS_PUBLICATION_MONTHS)
    for restriction in violation.restrictions.all():
        until = max(until, restriction.ends_at)
    violation.publish_until = until
    violation.save(update_fields=["publish_until"])
    if not violation.objections.filter(state=ObjectionState.OPEN).exists():
        feed_violation(violation, FeedAction.PUBLISH)
