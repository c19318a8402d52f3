from celery import shared_task
from django.db import OperationalError

import outbox


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def obligations_sweep_overdue() -> int:
    from .services import obligations_sweep_overdue as sweep

    return sweep()


@outbox.outbox_task  # idempotent: a draw already in effect is left alone, an interrupted one resumes
def draw_apply(draw_id: int) -> int:
    """A run draw's assignments and obligation states, after the run's commit (inspections.services.draw_apply)."""
    from .services import draw_apply as apply

    return apply(draw_id).applied
