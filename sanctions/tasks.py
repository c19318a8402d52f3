from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def restrictions_expire() -> int:
    from .services import restrictions_expire as expire

    return expire()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def rectifications_sweep() -> int:
    from .services import rectifications_sweep as sweep

    return sweep()


@shared_task(acks_late=True)
def feed_push() -> int:
    """Every minute from the scheduler: push what the credit platform has not acknowledged (a failed run is
    simply the next run's work; the records stay in the outbox until acknowledged)."""
    from .services import feed_push as push

    acknowledged, _failed = push()
    return acknowledged
