from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, ignore_result=True)
def process_follow(application_ids: list[int]) -> int:
    """The processes of these applications (one, or a package's chunk) follow the events their acts recorded
    (workflows.sync.follow), in one transaction; idempotent: a second run finds nothing left."""
    from .sync import follow

    return follow(*application_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def process_follow_sweep() -> int:
    """Database-backed: follows the events whose task was never sent or was lost."""
    from .sync import follow_stale

    return follow_stale()
