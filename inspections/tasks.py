from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def obligations_sweep_overdue() -> int:
    from .services import obligations_sweep_overdue as sweep

    return sweep()
