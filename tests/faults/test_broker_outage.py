"""The broker (Redis) goes away while 100 applications are signed and decided, and comes back empty (no
persistence): nothing is lost. Every document (commitment letter, certificate) is rendered and every
credit-feed record is pushed and acknowledged after it returns.

Bounded: Redis is down for OUTAGE_SECONDS = 60 s (as the issue says), or for as long as the 100 decisions take if
that is longer. Redis here is the
test's own redis-server on a free loopback port, never the machine's shared one. The relay is run from the
test every second, as celery beat's `outbox-relay` entry does; `sanctions.tasks.feed_push` is sent the same way
(beat's `credit-feed-push`)."""

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from approvals.services import application_choose_commitment, application_decide, application_start, signature_sign
from documents.models import Document, DocumentKind, RenderStatus
from outbox.models import Message, MessageState
from outbox.services import get_task
from sanctions.models import FeedRecord
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, matter, staff  # noqa: F401
from approvals.roles import APPLICANT
from tests.faults.conftest import FAULTS, relay_until, wait_until

pytestmark = FAULTS

APPLICATIONS = 100
OUTAGE_SECONDS = 60


class CreditPlatform(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        keys = [record["key"] for record in body["records"]]
        CreditPlatform.received.extend(keys)
        reply = json.dumps({"acknowledged": keys}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def platform():
    CreditPlatform.received = []
    server = HTTPServer(("127.0.0.1", 0), CreditPlatform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/feed"
    server.shutdown()


def test_nothing_is_lost_while_the_broker_is_away(matter, staff, own_redis, to_broker, workers, platform,
                                                  settings):
    queue = f"faults-outage-{os.getpid()}"
    settings.CREDIT_FEED_URL = platform
    settings.OUTBOX_GRACE_SECONDS = 2
    settings.OUTBOX_REPUBLISH_SECONDS = 60
    workers(broker_url=own_redis.url, queue=queue, concurrency=2, env={"CREDIT_FEED_URL": platform})
    to_broker(own_redis.url, queue)

    # 100 applicants, each notified (notices rendered by the worker while the broker is up)
    people = []
    for _ in range(APPLICATIONS):
        person = PersonFactory(user=UserFactory(role=APPLICANT))
        CreditGradeFactory(subject=person, grade="A")
        people.append(person)
    applications = []
    for person in people:
        application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online",
                                        by=person.user)
        application_choose_commitment(application_id=application.pk, by=person.user)
        applications.append(application)
    assert wait_until(lambda: not Message.objects.exclude(state=MessageState.DONE).exists(), 300, 1)

    own_redis.stop()  # the broker is gone; what it held is lost with it
    down_at = time.monotonic()
    for person, application in zip(people, applications):
        signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
        application_decide(application_id=application.pk, by=staff)
    decided_in = time.monotonic() - down_at
    waiting = Message.objects.exclude(state=MessageState.DONE).count()
    assert waiting == 2 * APPLICATIONS  # a letter and a certificate each, none sent
    relay_until(lambda: False, timeout=max(0.0, OUTAGE_SECONDS - decided_in))  # the relay fails meanwhile
    sent_late = list(Message.objects.filter(state=MessageState.PENDING).values_list("pk", flat=True))
    assert len(sent_late) == 2 * APPLICATIONS

    own_redis.start()  # back, empty
    back_at = time.monotonic()
    feed_push = get_task("sanctions.tasks.feed_push")

    def all_done():
        feed_push.apply_async(queue=queue, retry=False)
        return (not Message.objects.exclude(state=MessageState.DONE).exists()
                and not FeedRecord.objects.filter(pushed_at__isnull=True).exists())

    assert relay_until(all_done, timeout=300, every=2), Message.objects.exclude(state=MessageState.DONE).count()
    recovered_in = time.monotonic() - back_at

    documents = Document.objects.filter(application__in=applications)
    for kind in (DocumentKind.NOTICE, DocumentKind.COMMITMENT_LETTER, DocumentKind.CERTIFICATE):
        assert documents.filter(kind=kind, status=RenderStatus.RENDERED).count() == APPLICATIONS, kind
    assert not documents.exclude(status=RenderStatus.RENDERED).exists()
    feed = FeedRecord.objects.filter(category="commitment")
    assert feed.count() == APPLICATIONS and not feed.filter(pushed_at__isnull=True).exists()
    assert set(str(k) for k in feed.values_list("key", flat=True)) <= set(CreditPlatform.received)
    sends = sum(Message.objects.filter(pk__in=sent_late).values_list("publish_count", flat=True))
    print(f"\nFAULT broker outage: {APPLICATIONS} applications signed+decided in {decided_in:.1f} s with Redis down "
          f"(outage {max(decided_in, OUTAGE_SECONDS):.0f} s); after it returned every one of "
          f"{3 * APPLICATIONS} documents rendered and {feed.count()} feed records acknowledged in "
          f"{recovered_in:.1f} s; 0 lost; {sends} sends for {len(sent_late)} messages")
