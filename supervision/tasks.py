from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def applications_refresh() -> int:
    """The application facts and sums changed since the last run (a lost or repeated run does no harm)."""
    from .services import applications_refresh as refresh

    return refresh()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def obligations_refresh() -> int:
    from .services import obligations_refresh as refresh

    return refresh()
