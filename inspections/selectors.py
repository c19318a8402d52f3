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
