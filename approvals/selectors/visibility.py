"""Object-level rules: who may see which applications and subjects."""

from django.db.models import Q, QuerySet

from ..models import Application, Subject
from ..roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role


def subjects_acting_for(user) -> QuerySet[Subject]:
    """The person the user is, and the organisations they represent or are authorised agents of."""
    person = Subject.objects.filter(user=user)
    return Subject.objects.filter(
        Q(pk__in=person) | Q(legal_representative__in=person) | Q(agents__in=person)
    ).distinct()


def applications_visible_to(user) -> QuerySet[Application]:
    """Staff and supervisors see all; an applicant only their own and their organisations', and those their
    organisations filed in a packaged commitment (打包承诺)."""
    if not user.is_authenticated:
        return Application.objects.none()
    if has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        return Application.objects.all()
    acting = subjects_acting_for(user)
    return Application.objects.filter(Q(subject__in=acting) | Q(package__organisation__in=acting))


def subjects_visible_to(user) -> QuerySet[Subject]:
    if not user.is_authenticated:
        return Subject.objects.none()
    if has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        return Subject.objects.all()
    return subjects_acting_for(user)


def can_see_full_numbers(user) -> bool:
    """Full ID numbers only on staff pages."""
    return user.is_authenticated and has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR)


def can_see_credit_check(user, application) -> bool:
    """Staff, and the applicant themself (or their organisation's people); not an organisation that filed a
    package for other people."""
    return can_see_full_numbers(user) or subjects_acting_for(user).filter(pk=application.subject_id).exists()
