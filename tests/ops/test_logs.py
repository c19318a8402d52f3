"""Structured logs: the request id (X-Request-ID or made here) is on every line of the request and goes with the
tasks the request enqueues, into the worker that runs them."""

import copy
import io
import json
import logging
import logging.config

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from config.celery import app
from ops.logs import RequestIdFilter, request_id_var
from ops.middleware import RequestIdMiddleware
from ops.models import Heartbeat
from ops.tasks import heartbeat
from tests.conftest import broker_swapped, wait_for
from tests.outbox.tasks_for_tests import RUNS, record_run  # registered before the worker starts


@pytest.fixture
def json_lines():
    """The console handler as LOG_FORMAT=json configures it, writing to a buffer."""
    configured = copy.deepcopy(settings.LOGGING)  # the configurator consumes what it reads
    configurator = logging.config.DictConfigurator(configured)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(configurator.configure_formatter(configured["formatters"]["json"]))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines():
        found = []
        for line in buffer.getvalue().splitlines():
            try:
                found.append(json.loads(line))
            except ValueError:  # the worker thread may be writing it just now
                pass
        return found

    yield lines
    root.removeHandler(handler)


@pytest.mark.django_db
def test_the_request_id_from_the_load_balancer_is_on_the_log_line_and_returned(client, json_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-7f3a-0001")
    assert response.status_code == 404 and response["X-Request-ID"] == "lb-7f3a-0001"
    (line,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == "lb-7f3a-0001" and line["level"] == "WARNING" and "timestamp" in line
    assert request_id_var.get() == "-"  # cleared once the response is finished


@pytest.mark.django_db
def test_a_request_id_is_made_when_none_or_a_strange_one_comes(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="x" * 500)["X-Request-ID"] != "x" * 500
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nInjected: 1")["X-Request-ID"] != "bad id\nInjected: 1"


@pytest.fixture
def memory_broker():
    """A real broker in memory and a real worker (in a thread, with a context of its own): the request id can
    only reach it through the task message's headers."""
    with broker_swapped("memory://", result_backend="cache+memory://"), \
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="INFO",
                         queues=[settings.CELERY_TASK_DEFAULT_QUEUE]):
        yield


@pytest.mark.django_db(transaction=True)
def test_the_request_id_follows_the_request_into_the_task_it_enqueues(memory_broker, json_lines):
    enqueued = []

    def view(request):
        enqueued.append(heartbeat.delay("request-id-test"))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-from-lb-42"))
    assert response["X-Request-ID"] == "req-from-lb-42"
    assert enqueued
    request_id_var.set("-")  # as at the end of a request: only the message carries it from here on
    assert wait_for(lambda: Heartbeat.objects.filter(name="request-id-test").exists(), timeout=30)
    assert wait_for(lambda: any("succeeded" in line["message"] for line in json_lines()), timeout=10)
    worker_lines = [line for line in json_lines() if line["logger"] in ("ops.tasks", "celery.app.trace")]
    assert [line["request_id"] for line in worker_lines] == ["req-from-lb-42", "req-from-lb-42"], worker_lines


@pytest.mark.django_db(transaction=True)
def test_a_task_the_relay_sends_later_still_carries_the_request_id(memory_broker, json_lines, monkeypatch):
    """The message was not sent at the commit (broker away): the relay sends it later from a context of its own,
    and the worker's lines still name the request that enqueued it."""
    from datetime import timedelta

    from django.utils import timezone

    import outbox
    from outbox import services
    from outbox.models import Message, MessageState

    sending = services._send_many
    monkeypatch.setattr(services, "_send_many", lambda messages: 0)  # the commit's send fails

    def view(request):
        outbox.enqueue(record_run, ["relayed-request-id"])
        return HttpResponse("ok")

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-relayed-7"))
    request_id_var.set("-")  # the relay runs later, in no request
    message = Message.objects.get(task_name__endswith="record_run")
    assert message.headers == {"request_id": "req-relayed-7"} and message.state == MessageState.PENDING

    monkeypatch.setattr(services, "_send_many", sending)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.relay() == 1
    assert wait_for(lambda: "relayed-request-id" in RUNS, timeout=30)
    assert wait_for(lambda: any("succeeded" in line["message"] and "record_run" in line["message"]
                                for line in json_lines()), timeout=10)
    worker_lines = [line for line in json_lines() if line["logger"] == "celery.app.trace"
                    and "record_run" in line["message"]]
    assert worker_lines and {line["request_id"] for line in worker_lines} == {"req-relayed-7"}, worker_lines
