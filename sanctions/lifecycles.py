from django.utils import timezone
from viewflow import fsm

from approvals.models import StateChange

from .models import RestrictionState


class RestrictionLifecycle:
    """active → expired (at its end) · active → lifted (after credit repair) · active → withdrawn (objection upheld)."""

    state = fsm.State(RestrictionState, default=RestrictionState.ACTIVE)

    def __init__(self, restriction, *, by=None, reason=""):
        self.restriction, self.by, self.reason = restriction, by, reason

    @state.getter()
    def _get(self):
        return RestrictionState(self.restriction.state)

    @state.setter()
    def _set(self, value):
        self.restriction.state = value

    @state.on_success()
    def _record(self, descriptor, source, target, **kwargs):
        self.restriction.save()
        StateChange.record(self.restriction, source, target, by=self.by, reason=self.reason)

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.EXPIRED)
    def expire(self):
        pass

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.LIFTED)
    def lift(self):
        self.restriction.lifted_at = timezone.now()
        self.restriction.lifted_by = self.by
        self.restriction.lift_reason = self.reason

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.WITHDRAWN)
    def withdraw(self):
        pass
