from django.utils import timezone
from viewflow import fsm

from approvals.lifecycles import Lifecycle, wire

from .models import RestrictionState
from .models import ViolationState as V


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


class ViolationLifecycle(Lifecycle):
    """The ladder (case 14 Dezhou): opened → graded; L1 → rectification_ordered → rectified → closed, or
    → not_rectified → revoked; L2 → revoked → closed; L3 → revoked → restricted → closed. A supervisor may
    escalate a graded or running L1 case back to graded at a higher level; an upheld objection withdraws it."""

    state = fsm.State(V, default=V.OPENED)
    _get, _set, _done = wire(state, V)

    @state.transition(source=V.OPENED, target=V.GRADED)
    def grade(self):
        pass

    @state.transition(source=[V.GRADED, V.RECTIFICATION_ORDERED, V.NOT_RECTIFIED], target=V.GRADED)
    def escalate(self):
        pass

    @state.transition(source=V.GRADED, target=V.RECTIFICATION_ORDERED, conditions=[lambda self: self.obj.level == 1])
    def order_rectification(self):
        pass

    @state.transition(source=V.RECTIFICATION_ORDERED, target=V.RECTIFIED)
    def rectify(self):
        pass

    @state.transition(source=V.RECTIFICATION_ORDERED, target=V.NOT_RECTIFIED)
    def fail_rectification(self):
        pass

    @state.transition(source=[V.GRADED, V.NOT_RECTIFIED], target=V.REVOKED,
                      conditions=[lambda self: (self.obj.level or 0) >= 2])
    def revoke(self):
        pass

    @state.transition(source=V.REVOKED, target=V.RESTRICTED, conditions=[lambda self: self.obj.level == 3])
    def restrict(self):
        pass

    @state.transition(source=[V.RECTIFIED, V.REVOKED, V.RESTRICTED], target=V.CLOSED)
    def close(self):
        self.obj.closed_at = timezone.now()

    @state.transition(
        source=[V.OPENED, V.GRADED, V.RECTIFICATION_ORDERED, V.RECTIFIED, V.NOT_RECTIFIED, V.REVOKED, V.RESTRICTED,
                V.CLOSED],
        target=V.WITHDRAWN,
    )
    def withdraw(self):
        pass
