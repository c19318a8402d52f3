"""Reads: whose messages a user sees, unread counts, failed deliveries."""

from django.db.models import Prefetch, Q, QuerySet

from approvals.selectors.visibility import acting_ids

from .models import Delivery, DeliveryStatus, Message


def messages_for(user) -> QuerySet[Message]:
    """Everything the authority sent the user: to their account, and to the subjects they are or act for
    (their organisation's own e-mail/SMS copies, messages sent before they had a login)."""
    if not getattr(user, "pk", None):
        return Message.objects.none()
    acting = acting_ids(user)
    condition = Q(recipient=user)
    if acting:
        condition |= Q(recipient__isnull=True, subject__in=acting)
    return (Message.objects.filter(condition)
            .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("channel"))))


def unread_count(user) -> int:
    if not getattr(user, "pk", None):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def failed_deliveries() -> QuerySet[Delivery]:
    return (Delivery.objects.filter(status=DeliveryStatus.FAILED)
            .select_related("message", "message__recipient", "message__subject").order_by("-created_at", "-pk"))


def reachability(subject) -> dict:
    """Whether the authority can reach the subject outside the product: its own e-mail/phone or, for an
    organisation, its legal representative's and agents'. {email: bool, sms: bool, login: bool}"""
    from .services import for_subject

    recipients = for_subject(subject)
    return {"email": any(r.email for r in recipients), "sms": any(r.phone for r in recipients),
            "login": any(r.user is not None for r in recipients)}
