"""A Celery worker killed with SIGKILL in the middle of rendering a document: after a restart the document is
produced exactly once (one PDF, one counted attempt), and its outbox message is done.

The worker is killed whole (parent and pool child, SIGKILL to its process group), so nothing is acknowledged
or requeued by the worker itself: with Redis the delivered message would come back only after the visibility
timeout (1 h); the outbox relay sends it again after OUTBOX_REPUBLISH_SECONDS (here 3 s instead of 900 s)."""

import os

from django.contrib.contenttypes.models import ContentType

from approvals.services import application_decide
from documents.models import Document, DocumentKind, RenderStatus
from outbox.models import Message, MessageState
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application
from tests.faults.conftest import FAULTS, relay_until, wait_until

pytestmark = FAULTS


def test_a_worker_killed_mid_render_produces_the_document_once(applicant, matter, staff, machine_redis, to_broker,
                                                               workers, settings):
    application = committed_application(applicant)  # notice and letter rendered in-process
    queue = f"faults-kill-{os.getpid()}"
    worker = workers(broker_url=machine_redis, queue=queue, concurrency=1, fresh_child=True)
    to_broker(machine_redis, queue)
    settings.OUTBOX_REPUBLISH_SECONDS = 3

    (licence,) = application_decide(application_id=application.pk, by=staff)  # the render goes to the worker
    certificate = Document.objects.get(kind=DocumentKind.CERTIFICATE, object_id=licence.pk,
                                       content_type=ContentType.objects.get_for_model(licence))
    message = Message.objects.get(key=f"document-render:{certificate.pk}")

    # the task has begun (its run is counted before the work starts): kill the worker while it renders
    assert wait_until(lambda: Message.objects.get(pk=message.pk).run_count >= 1, 60, 0.02), worker.tail()
    worker.kill()
    certificate.refresh_from_db()
    assert certificate.status == RenderStatus.PENDING and not certificate.pdf, "killed too late: not mid-render"
    message.refresh_from_db()
    assert message.state == MessageState.PUBLISHED

    worker.start()  # a fresh worker; the relay sends the unfinished message again
    assert relay_until(lambda: Document.objects.get(pk=certificate.pk).status == RenderStatus.RENDERED,
                       timeout=90), worker.tail()
    certificate.refresh_from_db()
    message.refresh_from_db()
    first = (certificate.sha256, certificate.rendered_at)

    # more relay rounds and redeliveries change nothing: produced once
    relay_until(lambda: False, timeout=8)
    certificate.refresh_from_db()
    assert (certificate.sha256, certificate.rendered_at) == first
    assert certificate.attempts == 1  # the killed attempt was rolled back with its transaction
    pdfs = list((settings.MEDIA_ROOT / os.path.dirname(certificate.pdf.name)).glob(f"{certificate.token}*"))
    assert [p.name for p in pdfs] == [f"{certificate.token}.pdf"]
    message.refresh_from_db()
    assert message.state == MessageState.DONE and message.run_count >= 2 and message.publish_count >= 2
    print(f"\nFAULT worker SIGKILL mid-render: runs={message.run_count} sends={message.publish_count} "
          f"attempts={certificate.attempts} pdfs={len(pdfs)}")
