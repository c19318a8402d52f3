from datetime import datetime

from django.db.models import Q, QuerySet

from .models import Restriction, RestrictionState


def restrictions_active_at(at: datetime) -> QuerySet[Restriction]:
    """Restrictions in force at a moment, by their dates (so an expiry is exact even before the sweep runs)."""
    return Restriction.objects.filter(starts_at__lte=at, ends_at__gt=at).exclude(
        state=RestrictionState.WITHDRAWN
    ).filter(Q(lifted_at__isnull=True) | Q(lifted_at__gt=at))


def active_restrictions(subject, at: datetime) -> list[Restriction]:
    """The subject's restrictions in force at `at`, the one ending last first."""
    return list(restrictions_active_at(at).filter(subject=subject).select_related("matter").order_by("-ends_at"))


def restrictions_in_force(subjects, at: datetime) -> dict[int, list[Restriction]]:
    """For the credit check port: each subject's restrictions in force at `at`, in one query."""
    found: dict[int, list[Restriction]] = {}
    for restriction in restrictions_active_at(at).filter(subject__in=subjects).select_related("matter").order_by("-ends_at"):
        found.setdefault(restriction.subject_id, []).append(restriction)
    return found
