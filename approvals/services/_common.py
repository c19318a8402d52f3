"""Helpers shared by the application-process services: locking, refusals in the user's language."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from viewflow import fsm

from ..lifecycles import ApplicationLifecycle
from ..models import Application, StateChange, Subject
from ..ports import emit, emit_many
from ..roles import ADMINISTRATOR, WINDOW_STAFF, has_role


class Refused(ValidationError):
    """A request the process refuses; the message says why, in the user's language."""

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code  # also for a {field: message} refusal, which ValidationError leaves without one


def lock_application(application_id: int) -> Application:
    # the row lock serialises every change to one application: two staff deciding at once
    # means the second waits, then finds it decided
    # (the subject's row is locked too; its login is read along, unlocked, for the messages the act sends)
    return (Application.objects.select_for_update(of=("self", "subject"))
            .select_related("subject__user").get(pk=application_id))


EVENTS = {
    "check": "started", "choose_commitment": "notified", "choose_standard": "standard_review", "sign": "signed",
    "withdraw_signature": "signature_withdrawn",
    "convert_to_standard": "converted_to_standard", "accept_lenient": "accepted_lenient", "decide": "decided",
    "reject": "rejected", "fail": "failed", "terminate": "terminated",
}


def _refusal(application: Application, action: str) -> Refused:
    return Refused(
        _("This application is “%(state)s”; it cannot be %(action)s now.")
        % {"state": application.get_state_display(), "action": action},
        code="state",
    )


def move(application: Application, transition: str, *, by=None, reason: str = "", action: str) -> None:
    """Apply an ApplicationLifecycle transition, or refuse naming the current state and the action;
    then tell the process listeners (ports.emit) in the same transaction."""
    lifecycle = ApplicationLifecycle(application, by=by if getattr(by, "pk", None) else None, reason=reason)
    try:
        getattr(lifecycle, transition)()
    except fsm.TransitionNotAllowed:
        raise _refusal(application, action)
    if transition in EVENTS:
        application.event_by = lifecycle.by  # who made it, for the listeners (as recorded on the StateChange)
        emit(EVENTS[transition], application)


def put(model, *, defaults: dict, **lookup):
    """update_or_create for a row that only the holder of the application's lock writes (its notice, its letter):
    a read and a write, where update_or_create took two savepoints besides (six statements)."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **defaults)
    for name, value in defaults.items():
        setattr(row, name, value)
    row.save(update_fields=list(defaults))
    return row


class _PlannedLifecycle(ApplicationLifecycle):
    """The same lifecycle, run in memory: each transition is checked as usual, but the change is collected
    instead of saved and recorded one row at a time (for the package paths, which save many together)."""

    def __init__(self, obj, *, by=None, reason=""):
        super().__init__(obj, by=by, reason=reason)
        self.changes: list[tuple[str, str]] = []

    def _record(self, source, target):
        self.changes.append((source, target))


def plan(application: Application, *transitions: str, by=None, reason: str = "", action: str
         ) -> list[tuple[str, str]]:
    """Apply lifecycle transitions to the application in memory only (it may be unsaved); refuse as move()
    does. -> the (source, target) of each, for StateChange.row once the application is saved."""
    lifecycle = _PlannedLifecycle(application, by=by, reason=reason)
    for transition in transitions:
        try:
            getattr(lifecycle, transition)()
        except fsm.TransitionNotAllowed:
            raise _refusal(application, action)
    return lifecycle.changes


def move_many(applications: list[Application], transition: str, *, by=None, reason: str = "", action: str) -> None:
    """move() for many locked applications (a package): every one must be able to make the transition, else
    nothing moves; the states are saved in one update per target, the changes recorded together, then each
    application's event is told to the listeners, in the same transaction."""
    by = by if getattr(by, "pk", None) else None
    rows, targets = [], {}
    for application in applications:
        for source, target in plan(application, transition, by=by, reason=reason, action=action):
            rows.append(StateChange.row(application, source, target, by=by, reason=reason))
            targets.setdefault(str(target), []).append(application.pk)
    for target, ids in targets.items():
        Application.objects.filter(pk__in=ids).update(state=target)
    StateChange.objects.bulk_create(rows)
    if transition in EVENTS:
        for application in applications:
            application.event_by = by
        emit_many(EVENTS[transition], applications)


def require_staff(user) -> None:
    """Counter work (intake, decision, supplements review): window staff and administrators; supervisors
    handle violations and the lists, not licences."""
    if not has_role(user, WINDOW_STAFF, ADMINISTRATOR):
        raise PermissionDenied(_("Only service-window staff may do this."))


def person_of(user) -> Subject | None:
    return Subject.objects.filter(user=user).first() if getattr(user, "pk", None) else None


def acts_for(user, subject: Subject) -> bool:
    """The user is the subject, or the organisation's legal representative or authorised agent."""
    if subject.user_id is not None and subject.user_id == getattr(user, "pk", None):
        return True  # the subject's own login (one subject per login): no query
    person = person_of(user)
    if person is None:
        return False
    if subject.pk == person.pk:
        return True
    return subject.legal_representative_id == person.pk or subject.agents.filter(pk=person.pk).exists()
