"""Lifecycles (viewflow.fsm): a plain state field on the model, the transitions here, driven by services
that hold the row lock. Each transition is recorded with author and reason."""

from viewflow import fsm

from .models import ApplicationState as A
from .models import LicenceState as L
from .models import StateChange
from .models import SupplementState as S


class Lifecycle:
    """Wraps one model instance; its `state` field holds the value. Subclasses declare `state` and call
    wire(state, Enum) in their body."""

    def __init__(self, obj, *, by=None, reason=""):
        self.obj, self.by, self.reason = obj, by, reason

    def _record(self, source, target):
        self.obj.save()
        StateChange.record(self.obj, source, target, by=self.by, reason=self.reason)


def wire(state: fsm.State, states) -> tuple:
    """The getter, setter and on_success every lifecycle here shares: read and write obj.state; on success
    save the object and record the change (who, why)."""

    @state.getter()
    def _get(self):
        return states(self.obj.state)

    @state.setter()
    def _set(self, value):
        self.obj.state = value

    @state.on_success()
    def _done(self, descriptor, source, target, **kwargs):
        self._record(source, target)

    return _get, _set, _done


class ApplicationLifecycle(Lifecycle):
    state = fsm.State(A, default=A.DRAFT)
    _get, _set, _done = wire(state, A)

    @state.transition(source=A.DRAFT, target=A.SUBMITTED)
    def submit(self):
        pass

    @state.transition(source=A.SUBMITTED, target=A.CHECKED)
    def check(self):
        pass

    @state.transition(source=A.CHECKED, target=A.NOTIFIED)
    def choose_commitment(self):
        pass

    @state.transition(source=A.CHECKED, target=A.UNDER_REVIEW)
    def choose_standard(self):
        pass

    @state.transition(source=A.NOTIFIED, target=A.COMMITTED)
    def sign(self):
        pass

    @state.transition(source=[A.NOTIFIED, A.COMMITTED], target=A.CHECKED)
    def withdraw_signature(self):
        pass

    @state.transition(source=[A.NOTIFIED, A.COMMITTED, A.AWAITING_SUPPLEMENTS], target=A.UNDER_REVIEW)
    def convert_to_standard(self):
        pass

    @state.transition(source=A.COMMITTED, target=A.AWAITING_SUPPLEMENTS)
    def accept_lenient(self):
        pass

    @state.transition(source=[A.COMMITTED, A.AWAITING_SUPPLEMENTS, A.UNDER_REVIEW], target=A.DECIDED)
    def decide(self):
        pass

    @state.transition(source=A.UNDER_REVIEW, target=A.REJECTED)
    def reject(self):
        pass

    @state.transition(source=A.AWAITING_SUPPLEMENTS, target=A.FAILED)
    def fail(self):
        pass

    @state.transition(
        source=[A.DRAFT, A.SUBMITTED, A.CHECKED, A.NOTIFIED, A.COMMITTED, A.AWAITING_SUPPLEMENTS, A.UNDER_REVIEW],
        target=A.TERMINATED,
    )
    def terminate(self):
        pass


class SupplementLifecycle(Lifecycle):
    """pending → supplied → accepted | returned → supplied …; pending|returned → overdue at the deadline."""

    state = fsm.State(S, default=S.PENDING)
    _get, _set, _done = wire(state, S)

    @state.transition(source=[S.PENDING, S.RETURNED], target=S.SUPPLIED)
    def supply(self):
        pass

    @state.transition(source=S.SUPPLIED, target=S.ACCEPTED)
    def accept(self):
        pass

    @state.transition(source=S.SUPPLIED, target=S.RETURNED)
    def give_back(self):
        pass

    @state.transition(source=[S.PENDING, S.RETURNED], target=S.OVERDUE)
    def expire(self):
        pass


class LicenceLifecycle(Lifecycle):
    """valid → revoked (irreversible) · valid → expired · valid → superseded · valid ⇄ suspended."""

    state = fsm.State(L, default=L.VALID)
    _get, _set, _done = wire(state, L)

    @state.transition(source=[L.VALID, L.SUSPENDED], target=L.REVOKED)
    def revoke(self):
        from django.utils import timezone

        self.obj.revoked_at = timezone.now()

    @state.transition(source=L.VALID, target=L.SUSPENDED)
    def suspend(self):
        pass

    @state.transition(source=L.SUSPENDED, target=L.VALID)
    def reinstate(self):
        pass

    @state.transition(source=L.VALID, target=L.EXPIRED)
    def expire(self):
        pass

    @state.transition(source=L.VALID, target=L.SUPERSEDED)
    def supersede(self):
        pass
