from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def relay() -> int:
    """Celery beat (OUTBOX_RELAY_SECONDS): send again the outbox messages not sent or not done in time."""
    from .services import relay as run

    return run()
