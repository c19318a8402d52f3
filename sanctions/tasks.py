from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def restrictions_expire() -> int:
    from .services import restrictions_expire as expire

    return expire()
