"""The request id: taken from X-Request-ID (a load balancer's) or made here, put on every log line while the
request is handled, and carried in the headers of the Celery tasks it enqueues (ops.signals) so the worker's
lines carry it too."""

import contextvars
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
HEADER = "request_id"  # the Celery message header
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def accepted_or_new(value: str | None) -> str:
    """An incoming id is kept if it is short and plain (it lands in every log line); otherwise a new one."""
    if value and _ACCEPTED.match(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()


def outbox_headers() -> dict:
    """outbox.ports.header_sources: the request id goes with a message into the outbox, so that the relay, sending
    it later from a context of its own, still sends it (the before_task_publish signal only sees the sender's)."""
    request_id = request_id_var.get()
    return {HEADER: request_id} if request_id != "-" else {}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True
