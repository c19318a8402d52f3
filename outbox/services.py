"""The transactional outbox.

`enqueue` writes a Message in the caller's transaction; when that transaction commits, a fast path sends it to
Celery at once (apply_async, no broker retries: a broker outage must not hold the request). If the broker is
unreachable then, or the message is lost later (Redis restarted without persistence, a worker killed before
acknowledging), the periodic relay sends it again; the task marks the message done only when it has run
(`outbox.decorators.outbox_task`), and a task run for a key already done does nothing."""

import importlib
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from . import ports
from .models import Incident, Message, MessageState, Resolution

logger = logging.getLogger(__name__)

# the keyword argument that carries a message's key to its task
KEY_ARGUMENT = "outbox_key"
OPEN = (MessageState.PENDING, MessageState.PUBLISHED)
ERROR_MAX = 4000


def _grace() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_GRACE_SECONDS)


def _republish_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_REPUBLISH_SECONDS)


def task_name_of(task) -> str:
    return task if isinstance(task, str) else task.name


def get_task(name: str):
    """The registered Celery task `name` ("app.tasks.function"): its module is imported first, so the task is
    registered in a process that has not autodiscovered tasks (a web process)."""
    from celery import current_app

    module = name.rsplit(".", 1)[0]
    if module:
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    return current_app.tasks[name]


def enqueue(task, args=(), kwargs=None, *, key=None) -> Message:
    """Write the message in the current transaction (the caller's) and send it once that commits. `task` is a
    task or its name; args and kwargs must be JSON. A key already enqueued returns that message unchanged:
    the work of one key is done once."""
    return enqueue_many(task, [args], kwargs=kwargs, keys=[key])[0]


def enqueue_many(task, args_list: list, *, kwargs=None, keys: list | None = None) -> list[Message]:
    """enqueue() for many messages of one task (e.g. a package's render chunks), each with its args and the same
    kwargs: one INSERT in the current transaction, and at its commit one hook that sends them all in order and
    marks them sent in one UPDATE. A key already enqueued returns that message unchanged (and it is not sent
    again here). -> the messages"""
    keys = [str(key) if key else str(uuid.uuid4()) for key in (keys or [None] * len(args_list))]
    name, due = task_name_of(task), timezone.now() + _grace()
    headers = {}
    for source in ports.header_sources:
        headers.update(source())
    messages = [Message(key=key, task_name=name, args=list(args), kwargs=dict(kwargs or {}), headers=headers,
                        next_attempt_at=due) for key, args in zip(keys, args_list)]
    # one statement and no savepoint (get_or_create took four each); a key already there, or a concurrent twin's
    # once it commits, inserts nothing
    inserted = insert_new(Message, messages, key="key")
    if inserted:
        # the rows as written: nothing else touches them between the commit and this (the relay waits the grace
        # period), so they are sent without being read again
        transaction.on_commit(lambda: _send_many(inserted), robust=True)
    if len(inserted) == len(messages):
        return messages
    new = {message.key for message in inserted}
    existing = Message.objects.in_bulk([key for key in keys if key not in new], field_name="key")
    return [message if message.key in new else existing[message.key] for message in messages]


def insert_new(model, objs: list, *, key: str) -> list:
    """INSERT … ON CONFLICT DO NOTHING RETURNING (SQLite: INSERT OR IGNORE … RETURNING), in batches the
    database accepts: an object whose unique `key` is already there is skipped (no savepoint, no read first).
    -> the objects inserted, their pk set"""
    from django.db import connections, router
    from django.db.models.constants import OnConflict
    from django.db.models.sql import InsertQuery

    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    by_key = {getattr(obj, key): obj for obj in objs}
    batch = max(1, min(1000, connection.ops.bulk_batch_size(fields, objs)))  # as bulk_create(batch_size=1000) was
    inserted = []
    for start in range(0, len(objs), batch):
        query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
        query.insert_values(fields, objs[start:start + batch])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = [meta.pk, meta.get_field(key)]
        with connection.cursor() as cursor:
            for sql, params in compiler.as_sql():
                cursor.execute(sql, params)
            rows = cursor.fetchall()
        for pk, value in rows:
            obj = by_key[value]
            obj.pk = pk
            obj._state.adding, obj._state.db = False, using
            inserted.append(obj)
    return inserted


def publish(message_id: int) -> bool:
    """Send the message unless its work is done (the relay, an administrator's retry). -> sent"""
    message = Message.objects.filter(pk=message_id, state__in=OPEN).first()
    return _send(message) if message else False


def _send(message: Message) -> bool:
    return _send_many([message]) == 1


def _send_many(messages: list[Message]) -> int:
    """Send the messages in order, stopping at the first broker error (the rest are left to the relay); those
    sent are marked so in one UPDATE per publish count. -> how many were sent"""
    sent = []
    options = {"queue": settings.OUTBOX_QUEUE} if settings.OUTBOX_QUEUE else {}
    for message in messages:
        try:
            task = get_task(message.task_name)
            # retry=False: fail fast when the broker is away, the relay sends it later. In the embedded default
            # (CELERY_TASK_ALWAYS_EAGER) this runs the task here and now, as `.delay()` did.
            task.apply_async(args=message.args, kwargs={**message.kwargs, KEY_ARGUMENT: message.key}, retry=False,
                             headers=message.headers or None, **options)
        except Exception as error:  # noqa: BLE001 - the broker's errors vary by transport; the row keeps the work
            unsent = messages[len(sent):]
            logger.warning("outbox: sending %s failed, the relay will send it again: %s", message, error)
            Message.objects.filter(pk__in=[m.pk for m in unsent], state__in=OPEN).update(
                last_error=f"{type(error).__name__}: {error}"[:ERROR_MAX], next_attempt_at=timezone.now() + _grace())
            break
        sent.append(message)
    now = timezone.now()
    by_count: dict[int, list[int]] = {}
    for message in sent:
        by_count.setdefault(message.publish_count, []).append(message.pk)
    for count, ids in by_count.items():
        # sent again only if still not done after the republish delay, doubled at each send (a long queue behind
        # a busy worker is not flooded with copies); a fast worker (or the eager run) may have marked it done
        # already: that is never undone (one UPDATE: the count always, the state only while open)
        wait = _republish_after() * 2 ** min(count, 4)
        still_open = Q(state__in=OPEN)
        Message.objects.filter(pk__in=ids).update(
            publish_count=F("publish_count") + 1,
            state=Case(When(still_open, then=Value(MessageState.PUBLISHED)), default=F("state")),
            published_at=Case(When(still_open, then=Value(now)), default=F("published_at")),
            next_attempt_at=Case(When(still_open, then=Value(now + wait)), default=F("next_attempt_at")))
    return len(sent)


def relay(*, limit: int | None = None) -> int:
    """Send again what is due: pending messages the fast path did not send within the grace period, and sent
    ones whose task has not finished long after (a lost message). Rows are claimed with SKIP LOCKED, so two
    relays never send the same row at once; sending stops at the first broker error. -> messages sent"""
    limit = limit or settings.OUTBOX_RELAY_BATCH
    now = timezone.now()
    with transaction.atomic():
        ids = list(Message.objects.select_for_update(skip_locked=True)
                   .filter(state__in=OPEN, next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        Message.objects.filter(pk__in=ids).update(next_attempt_at=now + _grace())  # claimed
    sent = 0
    for message in Message.objects.filter(pk__in=ids, state__in=OPEN).order_by("pk"):
        if not _send(message):
            break
        sent += 1
    if ids:
        logger.info("outbox relay: %d due, %d sent", len(ids), sent)
    return sent


# --- used by the task decorator (outbox.decorators) -------------------------------------------------------

def run_started(key: str) -> bool:
    """A task run for `key` begins: False when its work is already done (the run does nothing)."""
    if Message.objects.filter(key=key).exclude(state=MessageState.DONE).update(run_count=F("run_count") + 1):
        return True
    return not Message.objects.filter(key=key, state=MessageState.DONE).exists()


def run_done(key: str) -> None:
    Message.objects.filter(key=key).exclude(state=MessageState.DONE).update(
        state=MessageState.DONE, done_at=timezone.now(), last_error="")


def run_retrying(key: str, error: BaseException, countdown: float) -> None:
    """A retry is scheduled: the relay keeps away from the message while the retries run."""
    Message.objects.filter(key=key, state__in=OPEN).update(
        last_error=f"{type(error).__name__}: {error}"[:ERROR_MAX],
        next_attempt_at=timezone.now() + timedelta(seconds=countdown) + _republish_after())


def incident_open(*, task_name: str, args, kwargs, key: str | None, error: BaseException, retries: int) -> Incident:
    """The retries ran out: an incident for the administrator; the message is failed (the relay leaves it)."""
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX]
    message = Message.objects.filter(key=key).first() if key else None
    with transaction.atomic():
        if message:
            Message.objects.filter(pk=message.pk).exclude(state=MessageState.DONE).update(
                state=MessageState.FAILED, last_error=text)
        incident = Incident.objects.create(message=message, task_name=task_name, args=list(args or []),
                                           kwargs=dict(kwargs or {}), error=text, retries=retries)
    logger.error("outbox: %s gave up after %d retries: %s", task_name, retries, text)
    return incident


def incidents_retry(incidents, *, by) -> int:
    """Admin: run the incidents' tasks again (through the outbox) and mark them resolved. -> incidents retried"""
    count = 0
    with transaction.atomic():
        for incident in Incident.objects.select_for_update().filter(pk__in=[i.pk for i in incidents],
                                                                     resolved_at__isnull=True):
            message = incident.message
            if message is not None and message.state != MessageState.DONE:
                Message.objects.filter(pk=message.pk).update(
                    state=MessageState.PENDING, next_attempt_at=timezone.now() + _grace(), last_error="")
                transaction.on_commit(lambda pk=message.pk: publish(pk), robust=True)
            elif message is None:
                enqueue(incident.task_name, incident.args, incident.kwargs)
            incident.resolved_at, incident.resolved_by, incident.resolution = timezone.now(), by, Resolution.RETRIED
            incident.save(update_fields=["resolved_at", "resolved_by", "resolution"])
            count += 1
    return count


def incidents_resolve(incidents, *, by) -> int:
    """Admin: close the incidents without running them again (handled by hand)."""
    return Incident.objects.filter(pk__in=[i.pk for i in incidents], resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by, resolution=Resolution.BY_HAND)
