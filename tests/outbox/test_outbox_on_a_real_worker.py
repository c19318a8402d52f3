"""Through the real worker of .ci/run: the documents of a decision go through the outbox and are marked done
by the worker once rendered."""

import pytest

from approvals.services import application_decide
from documents.models import Document, RenderStatus
from outbox.models import Message, MessageState
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application
from tests.conftest import needs_worker, wait_for

pytestmark = [pytest.mark.worker, needs_worker(), pytest.mark.django_db(transaction=True)]


def test_the_worker_renders_and_marks_the_messages_done(applicant, matter, staff):
    application = committed_application(applicant)
    application_decide(application_id=application.pk, by=staff)
    messages = Message.objects.filter(key__startswith="document-render:")
    assert messages.count() == 3  # notice, letter, certificate
    assert wait_for(lambda: not messages.exclude(state=MessageState.DONE).exists(), timeout=120)
    assert not Document.objects.filter(application=application).exclude(status=RenderStatus.RENDERED).exists()
    assert all(m.run_count == 1 and m.publish_count == 1 for m in messages)
