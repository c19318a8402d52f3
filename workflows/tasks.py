from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, ignore_result=True)
def process_follow(application_id: int) -> int:
    """The application's process follows the events its acts recorded (workflows.sync.follow); idempotent: a
    second run finds nothing left to follow."""
    from .sync import follow

    return follow(application_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, ignore_result=True)
def process_follow_many(application_ids: list[int]) -> int:
    """process_follow for the applications of one package chunk, one after the other."""
    from .sync import follow

    return sum(follow(application_id) for application_id in application_ids)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def process_follow_sweep() -> int:
    """Database-backed: follows the events whose task was never sent or was lost."""
    from .sync import follow_stale

    return follow_stale()
