"""Queues: a package's certificate batch goes to the bulk queue, so it never delays the single documents and
notifications on the default queue; both names follow CELERY_TASK_DEFAULT_QUEUE (parallel runs keep apart)."""

import pytest
from django.conf import settings

from config.celery import app
from outbox.models import Message, MessageState
from tests.conftest import needs_worker, wait_for


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_batch_rendering_goes_to_the_bulk_queue_and_the_rest_to_the_default_one():
    assert settings.CELERY_BULK_QUEUE == f"{settings.CELERY_TASK_DEFAULT_QUEUE}-bulk"
    for bulk in ("documents.tasks.certificates_render", "documents.tasks.certificate_listing_render",
                 "approvals.tasks.package_prepare"):
        assert queue_of(bulk) == settings.CELERY_BULK_QUEUE, bulk
    for default in ("documents.tasks.document_render", "ops.tasks.heartbeat", "outbox.tasks.relay",
                    "approvals.tasks.supplements_sweep"):
        assert queue_of(default) == settings.CELERY_TASK_DEFAULT_QUEUE, default


@pytest.mark.worker
@needs_worker()
@pytest.mark.django_db(transaction=True)
def test_the_worker_serves_the_bulk_queue_and_the_scheduler_heartbeat():
    """.ci/run's worker consumes both queues: a bulk task sent through the outbox is done, and so is a heartbeat."""
    from documents.tasks import certificate_listing_render
    from ops.models import Heartbeat
    from ops.tasks import heartbeat
    from outbox import enqueue

    message = enqueue(certificate_listing_render, args=(987654321,))  # no such package: a no-op, then done
    heartbeat.delay("ci")
    assert wait_for(lambda: Message.objects.get(pk=message.pk).state == MessageState.DONE)
    assert wait_for(lambda: Heartbeat.objects.filter(name="ci").exists())
