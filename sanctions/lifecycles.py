from django.utils import timezone
from viewflow import fsm

from approvals.lifecycles import Lifecycle, wire

from .models import RestrictionState


class RestrictionLifecycle(Lifecycle):
    """active → expired (at its end) · active → lifted (after credit repair) · active → withdrawn (objection upheld)."""

    state = fsm.State(RestrictionState, default=RestrictionState.ACTIVE)
    _get, _set, _done = wire(state, RestrictionState)

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.EXPIRED)
    def expire(self):
        pass

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.LIFTED)
    def lift(self):
        self.obj.lifted_at = timezone.now()
        self.obj.lifted_by = self.by
        self.obj.lift_reason = self.reason

    @state.transition(source=RestrictionState.ACTIVE, target=RestrictionState.WITHDRAWN)
    def withdraw(self):
        pass
