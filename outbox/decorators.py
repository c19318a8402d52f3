"""@outbox_task: a Celery task that the outbox relays, idempotent by key, retried with exponential backoff,
an incident when its retries run out.

    @outbox_task
    def document_render(document_id): ...

    @outbox_task(max_retries=3)
    def certificates_render(document_ids): ...

The function gets its own arguments; the message key travels as the `outbox_key` keyword, which the wrapper
takes off. A run for a key already done returns None without calling the function. A run that raises is
retried (countdown OUTBOX_RETRY_BACKOFF_SECONDS * 2**retry, capped, with jitter), and after the last retry
(at once in the embedded eager mode, where nothing would retry later) becomes an outbox.Incident; the error is
not raised further. Called without a key (a direct `.delay()`), it runs the same, without the bookkeeping."""

import random

from celery import shared_task
from celery.exceptions import Ignore, Retry
from django.conf import settings

from .services import KEY_ARGUMENT, incident_open, run_done, run_retrying, run_started


def backoff(retries: int) -> float:
    base = settings.OUTBOX_RETRY_BACKOFF_SECONDS * 2 ** retries
    return min(base, settings.OUTBOX_RETRY_BACKOFF_MAX) * random.uniform(0.8, 1.2)  # noqa: S311 - jitter


def _run(task, fn, args, kwargs, key):
    if key and not run_started(key):
        return None  # already done: a redelivery, or the relay's copy of a message the fast path sent
    try:
        result = fn(*args, **kwargs)
    except (Retry, Ignore):
        raise
    except Exception as error:  # noqa: BLE001 - any failure is retried, then an incident
        retries = task.request.retries or 0
        limit = task.max_retries if task.max_retries is not None else settings.OUTBOX_MAX_RETRIES
        if not task.request.is_eager and retries < limit:
            countdown = backoff(retries)
            if key:
                run_retrying(key, error, countdown)
            raise task.retry(exc=error, countdown=countdown, max_retries=limit)
        incident_open(task_name=task.name, args=args, kwargs=kwargs, key=key, error=error, retries=retries)
        return None
    if key:
        run_done(key)
    return result


def outbox_task(fn=None, **options):
    def decorate(fn):
        def run(self, *args, **kwargs):
            key = kwargs.pop(KEY_ARGUMENT, None)
            return _run(self, fn, args, kwargs, key)

        run.__name__, run.__qualname__, run.__module__, run.__doc__ = (
            fn.__name__, fn.__qualname__, fn.__module__, fn.__doc__)
        # acks_late + reject_on_worker_lost: a worker killed mid-run gives the message back to the broker
        # ignore_result: the effect is the result (and sending needs no result backend while Redis is away)
        opts = {"bind": True, "acks_late": True, "reject_on_worker_lost": True, "typing": False, "ignore_result": True,
                "max_retries": None, **options}  # None: OUTBOX_MAX_RETRIES, read at run time
        task = shared_task(**opts)(run)
        task.outbox_function = fn
        return task

    return decorate(fn) if fn is not None else decorate
