"""Thin, idempotent tasks: ids in, the services do the work (a redelivered task finds the rows sent)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliveries_send(delivery_ids: list[int]) -> dict:
    """Send freshly written deliveries; each one that fails waits for the relay's next try (backoff)."""
    from .services import delivery_send

    outcome: dict[str, int] = {}
    for pk in delivery_ids:
        status = delivery_send(delivery_id=pk) or "skipped"
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliveries_relay() -> int:
    """Every minute: retries due after their backoff, and deliveries whose task was lost."""
    from .services import deliveries_relay as relay

    return relay()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def reminders_run() -> dict:
    """Deadline reminders, once each (keys); runs often, sends from the configured hour of the day."""
    from .reminders import reminders_run as run

    return run()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def digest_run() -> int:
    from .reminders import digest_run as run

    return run()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def licences_notify(licence_ids: list[int]) -> int:
    """A package's licences, told to their holders after the decision commits."""
    from .listeners import licences_notify as notify

    return notify(licence_ids=licence_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def draws_notify(draw_ids: list[int]) -> int:
    """A draw's assignments, told to their inspectors after the run commits."""
    from .listeners import draw_notify

    return sum(draw_notify(draw_id=pk) for pk in draw_ids)
