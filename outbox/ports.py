"""What other apps plug into the outbox (the outbox imports none of them).

header_sources: called when a message is enqueued; the Celery message headers they return are stored with the
message and sent with it, at the commit or later by the relay (ops: the request id, so that a relayed task's log
lines still name the request that caused it)."""

from typing import Callable

header_sources: list[Callable[[], dict]] = []
