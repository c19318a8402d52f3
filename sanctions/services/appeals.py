"""Objections (异议, seed 002) and credit repair (信用修复, case 13 Huzhou): filed by the subject (or whoever acts
for it), decided by a supervisor with reasons."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from approvals.models import StateChange
from approvals.services._common import acts_for
from approvals.services.calendar import add_working_days

from ..models import (
    FeedAction, Objection, ObjectionState, Repair, RepairState, RestrictionState, ViolationState,
)
from ..ports import announce
from ._common import Refused, lock_violation, move_case, require_supervisor, required
from .feed import feed_violation
from .restrictions import restriction_lift, restriction_withdraw


def _published(violation) -> bool:
    return (violation.state == ViolationState.CLOSED and violation.publish_until is not None
            and violation.publish_until > timezone.now())


@transaction.atomic
def objection_file(*, violation_id: int, by, grounds: str) -> Objection:
    """One objection per finding; while it is open the finding is not published."""
    violation = lock_violation(violation_id)
    if not acts_for(by, violation.subject):
        raise PermissionDenied(_("Only the subject of the case, or whoever acts for it, may object."))
    grounds = required(grounds, "grounds", _("Say what is wrong with the finding."))
    if violation.state == ViolationState.WITHDRAWN:
        raise Refused(_("Case %(number)s has been withdrawn; there is nothing to object to.")
                      % {"number": violation.number}, code="state")
    if violation.objections.exists():
        raise Refused(_("An objection to case %(number)s has already been filed.") % {"number": violation.number},
                      code="duplicate")
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                violation=violation, filed_by=by, grounds=grounds,
                due_on=add_working_days(timezone.localdate(), settings.SANCTIONS_OBJECTION_DAYS))
    except IntegrityError:
        raise Refused(_("An objection to case %(number)s has already been filed.") % {"number": violation.number},
                      code="duplicate")
    StateChange.record(objection, "", objection.state, by=by, reason=grounds)
    announce("objection_filed", objection)
    if _published(violation):  # frozen: the platform takes it down until the objection is decided
        feed_violation(violation, FeedAction.WITHDRAW)
    return objection


@transaction.atomic
def objection_decide(*, objection_id: int, by, upheld: bool, reasons: str) -> Objection:
    """Upheld: the finding is corrected — the case is withdrawn with its restriction and publication, at once
    (the rule allows 3 working days). Rejected: publication resumes."""
    require_supervisor(by)
    reasons = required(reasons, "reasons", _("Give the reasons for the decision."))
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    violation = lock_violation(objection.violation_id)
    if objection.state != ObjectionState.OPEN:
        raise Refused(_("This objection was already decided (%(state)s).") % {"state": objection.get_state_display()},
                      code="state")
    was_published = _published(violation)
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    objection.decided_at, objection.decided_by, objection.reasons = timezone.now(), by, reasons
    objection.save(update_fields=["state", "decided_at", "decided_by", "reasons"])
    StateChange.record(objection, ObjectionState.OPEN, objection.state, by=by, reason=reasons)
    if upheld:
        for restriction in violation.restrictions.select_for_update():
            restriction_withdraw(restriction, by=by, reason=reasons)
        move_case(violation, "withdraw", by=by, reason=reasons, action=pgettext("case action", "withdraw"))
        violation.publish_until = objection.decided_at
        violation.save(update_fields=["publish_until"])
    elif was_published:
        feed_violation(violation, FeedAction.PUBLISH)
    announce("objection_decided", objection)
    return objection


@transaction.atomic
def repair_file(*, violation_id: int, by, evidence: str) -> Repair:
    """After rectification the subject asks for credit repair, with evidence."""
    violation = lock_violation(violation_id)
    if not acts_for(by, violation.subject):
        raise PermissionDenied(_("Only the subject of the case, or whoever acts for it, may apply for repair."))
    evidence = required(evidence, "evidence", _("Describe the rectification and attach what proves it."))
    active = violation.restrictions.filter(state=RestrictionState.ACTIVE, ends_at__gt=timezone.now()).exists()
    if violation.state != ViolationState.CLOSED or not (active or _published(violation)):
        raise Refused(_("Case %(number)s has nothing to repair: it is not concluded, or its restriction and "
                        "publication have already ended.") % {"number": violation.number}, code="state")
    if violation.repairs.filter(state=RepairState.SUBMITTED).exists():
        raise Refused(_("A repair application for case %(number)s is already being reviewed.")
                      % {"number": violation.number}, code="duplicate")
    repair = Repair.objects.create(violation=violation, filed_by=by, evidence=evidence)
    StateChange.record(repair, "", repair.state, by=by, reason=evidence)
    return repair


@transaction.atomic
def repair_decide(*, repair_id: int, by, approved: bool, reasons: str) -> Repair:
    """Approved: the case's restriction is lifted early and its publication ends now."""
    require_supervisor(by)
    reasons = required(reasons, "reasons", _("Give the reasons for the decision."))
    repair = Repair.objects.select_for_update().get(pk=repair_id)
    violation = lock_violation(repair.violation_id)
    if repair.state != RepairState.SUBMITTED:
        raise Refused(_("This repair application was already decided (%(state)s).")
                      % {"state": repair.get_state_display()}, code="state")
    repair.state = RepairState.APPROVED if approved else RepairState.REJECTED
    repair.decided_at, repair.decided_by, repair.reasons = timezone.now(), by, reasons
    repair.save(update_fields=["state", "decided_at", "decided_by", "reasons"])
    StateChange.record(repair, RepairState.SUBMITTED, repair.state, by=by, reason=reasons)
    if approved:
        now = timezone.now()
        for restriction in violation.restrictions.filter(state=RestrictionState.ACTIVE, ends_at__gt=now):
            restriction_lift(restriction_id=restriction.pk, by=by, reason=reasons)
        if _published(violation):
            violation.publish_until = now
            violation.save(update_fields=["publish_until"])
            feed_violation(violation, FeedAction.WITHDRAW)
    announce("repair_decided", repair)
    return repair
