from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from approvals.selectors import model_columns, rows_as_models

from .models import Objection, ObjectionState, Restriction, RestrictionState, Violation, ViolationState


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
    for restriction in rows_as_models(
        Restriction,
        f"SELECT {model_columns(Restriction)} FROM {Restriction._meta.db_table} "  # nosec B608
        f"WHERE subject_id IN ({', '.join(['%s'] * len(ids))}) "
        "AND starts_at <= %s AND ends_at > %s AND state <> %s AND (lifted_at IS NULL OR lifted_at > %s) "
        "ORDER BY ends_at DESC",
        [*ids, moment, moment, RestrictionState.WITHDRAWN, moment],
    ):
        found.setdefault(restriction.subject_id, []).append(restriction)
    return found


def _open_objection(field: str = "pk"):
    return Exists(Objection.objects.filter(violation=OuterRef(field), state=ObjectionState.OPEN))


def published_restrictions(at: datetime) -> QuerySet[Restriction]:
    """The public restriction list: in force now, and not frozen by an open objection to its finding."""
    return (restrictions_active_at(at).exclude(Q(violation__isnull=False) & _open_objection("violation"))
            .select_related("subject", "matter", "violation").order_by("-starts_at", "-pk"))


def published_violations(at: datetime) -> QuerySet[Violation]:
    """Concluded cases within their publication period, none with an open objection (frozen)."""
    return (Violation.objects.filter(state=ViolationState.CLOSED, publish_until__gt=at)
            .exclude(_open_objection()).select_related("subject", "kind").order_by("-closed_at", "-pk"))


def key_supervision_targets(at: datetime) -> QuerySet[Restriction]:
    """重点监管对象: subjects under a restriction in force flagged for key supervision (regulators only)."""
    return restrictions_active_at(at).filter(key_supervision=True).select_related("subject", "violation").order_by(
        "ends_at")


def violations_of_user(user) -> QuerySet[Violation]:
    """The cases of the subjects the user is or acts for (the applicant's own page)."""
    from approvals.selectors import subjects_acting_for

    if not getattr(user, "is_authenticated", False):
        return Violation.objects.none()
    return Violation.objects.filter(subject__in=subjects_acting_for(user)).select_related("subject", "kind")
