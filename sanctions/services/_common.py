"""Shared by the sanctions services: who may act, locking a case, moving it, refusals in the user's language."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from viewflow import fsm

from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role
from approvals.services._common import Refused

from ..lifecycles import ViolationLifecycle
from ..models import Violation

__all__ = ["Refused", "require_supervisor", "lock_violation", "move_case", "add_months", "required"]


def require_supervisor(user) -> None:
    """Violations, the restriction list, objections and repairs: supervisors and administrators."""
    if not has_role(user, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only supervisors may do this."))


def lock_violation(violation_id: int) -> Violation:
    # only the case row: locking the kind row too would serialise every case of that kind
    return Violation.objects.select_for_update(of=("self",)).select_related("subject", "kind").get(pk=violation_id)


def move_case(violation: Violation, transition: str, *, by=None, reason: str = "", action: str) -> None:
    """Apply a ViolationLifecycle transition or refuse, naming the case's state and the action."""
    try:
        getattr(ViolationLifecycle(violation, by=by if getattr(by, "pk", None) else None, reason=reason),
                transition)()
    except fsm.TransitionNotAllowed:
        raise Refused(
            _("Case %(number)s is “%(state)s”; you cannot %(action)s it now.")
            % {"number": violation.number, "state": violation.get_state_display(), "action": action},
            code="state",
        )


def add_months(at: datetime, months: int) -> datetime:
    """Calendar months (Dezhou: six months from the act), the same clock time."""
    return at + relativedelta(months=months)


def required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Refused({field: message}, code=field)
    return value
