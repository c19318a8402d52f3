from django.db.models import QuerySet

from approvals.roles import ADMINISTRATOR, INSPECTOR, SUPERVISOR, has_role

from .models import Obligation


def obligations_visible_to(user) -> QuerySet[Obligation]:
    """Supervisors see every verification obligation; an inspector only the checks assigned to them."""
    if not user.is_authenticated:
        return Obligation.objects.none()
    if has_role(user, SUPERVISOR, ADMINISTRATOR):
        return Obligation.objects.all()
    if has_role(user, INSPECTOR):
        return Obligation.objects.filter(assignments__inspector=user).distinct()
    return Obligation.objects.none()


def checks_assigned_to(user) -> QuerySet[Obligation]:
    """The inspector's open checks, the earliest due first (the phone page)."""
    from .models import ObligationState

    return (Obligation.objects.filter(assignments__inspector=user, state=ObligationState.ASSIGNED)
            .select_related("licence__holder", "licence__matter").order_by("due_on", "pk").distinct())


def overdue_obligations(today=None) -> QuerySet[Obligation]:
    """For supervisors: open obligations past their due date (overdue since the day after it), the longest overdue
    first. Derived when read, nothing flags them: a page reads the partial index obligation_open_due in order, a
    count the (state, due_on) one."""
    from django.utils import timezone

    from .models import ObligationState

    today = today or timezone.localdate()
    return (Obligation.objects.filter(state__in=[ObligationState.DUE, ObligationState.ASSIGNED], due_on__lt=today)
            .select_related("licence__holder", "licence__matter").order_by("due_on", "pk"))


def published_draws():
    """双随机、一公开: run draws, newest first (their lists are public; results as checks conclude)."""
    from .models import Draw, DrawState

    return Draw.objects.exclude(state=DrawState.DEFINED).order_by("-drawn_at")
