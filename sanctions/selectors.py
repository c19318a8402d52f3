from datetime import datetime

from django.db import connection
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
    """For the credit check port: each subject's restrictions in force at `at`, in one raw query (the same
    rule as restrictions_active_at; the credit check runs on every application, so it must be cheap)."""
    ids = [s.pk for s in subjects]
    moment = connection.ops.adapt_datetimefield_value(at)
    found: dict[int, list[Restriction]] = {}
    for restriction in Restriction.objects.raw(
        f"SELECT * FROM {Restriction._meta.db_table} WHERE subject_id IN ({', '.join(['%s'] * len(ids))}) "
        "AND starts_at <= %s AND ends_at > %s AND state <> %s AND (lifted_at IS NULL OR lifted_at > %s) "
        "ORDER BY ends_at DESC",
        [*ids, moment, moment, RestrictionState.WITHDRAWN, moment],
    ):
        found.setdefault(restriction.subject_id, []).append(restriction)
    return found
