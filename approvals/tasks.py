from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def supplements_sweep() -> dict:
    """Database-backed deadline: the sweep reads the deadlines from the table, so it survives restarts."""
    from .services import supplements_sweep as sweep

    return sweep()
