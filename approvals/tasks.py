from celery import shared_task
from django.db import OperationalError

from outbox import outbox_task


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def supplements_sweep() -> dict:
    """Database-backed deadline: the sweep reads the deadlines from the table, so it survives restarts."""
    from .services import supplements_sweep as sweep

    return sweep()


@outbox_task  # idempotent by key, retried with backoff, an incident when retries run out
def package_prepare(package_id: int) -> str:
    """Prepare a large packaged commitment (打包承诺); a no-op once prepared, so a redelivery is harmless."""
    from .services import package_prepare as prepare

    return prepare(package_id=package_id).status


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def packages_prepare_sweep() -> dict:
    """Database-backed: prepares packages whose task was never enqueued or was lost."""
    from .services import packages_prepare_sweep as sweep

    return sweep()
