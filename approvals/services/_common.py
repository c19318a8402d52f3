"""Helpers shared by the application-process services: locking, refusals in the user's language."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from viewflow import fsm

from ..lifecycles import ApplicationLifecycle
from ..models import Application, Subject
from ..ports import emit
from ..roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role


class Refused(ValidationError):
    """A request the process refuses; the message says why, in the user's language."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code  # also for a {field: message} refusal, which ValidationError leaves without one


def lock_application(application_id: int) -> Application:
    # the row lock serialises every change to one application: two staff deciding at once
    # means the second waits, then finds it decided
    return Application.objects.select_for_update().select_related("subject").get(pk=application_id)


EVENTS = {
    "check": "started", "choose_commitment": "notified", "choose_standard": "standard_review", "sign": "signed",
    "withdraw_signature": "signature_withdrawn",
    "convert_to_standard": "converted_to_standard", "accept_lenient": "accepted_lenient", "decide": "decided",
    "reject": "rejected", "fail": "failed", "terminate": "terminated",
}


def move(application: Application, transition: str, *, by=None, reason: str = "", action: str) -> None:
    """Apply an ApplicationLifecycle transition, or refuse naming the current state and the action;
    then tell the process listeners (ports.emit) in the same transaction."""
    lifecycle = ApplicationLifecycle(application, by=by if getattr(by, "pk", None) else None, reason=reason)
    try:
        getattr(lifecycle, transition)()
    except fsm.TransitionNotAllowed:
        raise Refused(
            _("This application is “%(state)s”; it cannot be %(action)s now.")
            % {"state": application.get_state_display(), "action": action},
            code="state",
        )
    if transition in EVENTS:
        emit(EVENTS[transition], application)


def require_staff(user) -> None:
    if not has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only service-window staff may do this."))


def person_of(user) -> Subject | None:
    return Subject.objects.filter(user=user).first() if getattr(user, "pk", None) else None


def acts_for(user, subject: Subject) -> bool:
    """The user is the subject, or the organisation's legal representative or authorised agent."""
    person = person_of(user)
    if person is None:
        return False
    if subject.pk == person.pk:
        return True
    return subject.legal_representative_id == person.pk or subject.agents.filter(pk=person.pk).exists()
