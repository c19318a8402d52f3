"""The feed to the credit platform (Delingha pushed 403 records): commitments, violations, restrictions and
their withdrawals, written in the act's own transaction (an outbox) and pushed until acknowledged."""

import http.client
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from ..models import FeedAction, FeedCategory, FeedRecord

logger = logging.getLogger(__name__)


def _subject(subject) -> dict:
    return {"name": subject.name, "number": subject.number, "kind": subject.kind}


def _at(value) -> str | None:
    return value.isoformat() if value else None


def feed_violation(violation, action: str) -> FeedRecord:
    return FeedRecord.objects.create(
        category=FeedCategory.VIOLATION, action=action, object_id=violation.pk,
        payload={"case": violation.number, "subject": _subject(violation.subject), "kind": violation.kind.code,
                 "kind_name": violation.kind.name, "level": violation.level, "findings": violation.findings,
                 "state": violation.state, "closed_at": _at(violation.closed_at),
                 "publish_until": _at(violation.publish_until)},
    )


def feed_restriction_row(restriction, action: str) -> FeedRecord:
    """The unsaved record (for sweeps that write many with bulk_create)."""
    return FeedRecord(
        category=FeedCategory.RESTRICTION, action=action, object_id=restriction.pk,
        payload={"subject": _subject(restriction.subject), "scope": restriction.scope,
                 "matter": restriction.matter.code if restriction.matter_id else None,
                 "reason": restriction.reason, "legal_act": restriction.legal_act,
                 "starts_at": _at(restriction.starts_at), "ends_at": _at(restriction.ends_at),
                 "state": restriction.state, "case": restriction.violation.number if restriction.violation_id else None,
                 "lifted_at": _at(restriction.lifted_at)},
    )


def feed_restriction(restriction, action: str) -> FeedRecord:
    record = feed_restriction_row(restriction, action)
    record.save(force_insert=True)
    return record


def feed_commitment(application) -> FeedRecord | None:
    """承诺 on record: the signed letter of a notify-and-commit application (process event `signed`)."""
    letter = getattr(application, "letter", None)
    signature = letter.active_signature() if letter else None
    if signature is None:
        return None
    return FeedRecord.objects.create(
        category=FeedCategory.COMMITMENT, action=FeedAction.PUBLISH, object_id=signature.pk,
        payload={"application": application.pk, "subject": _subject(application.subject),
                 "matters": [am.matter_version.matter.code
                             for am in application.matters.select_related("matter_version__matter")],
                 "signed_at": _at(signature.signed_at), "text_sha256": letter.sha256},
    )


def on_process_event(event: str, application) -> None:
    if event == "signed":
        feed_commitment(application)


def feed_committed_up_to() -> int:
    """The highest id at or below which every record is committed (or rolled back for good). Ids are taken at
    insert but transactions commit in any order, so on PostgreSQL a SHARE lock first waits for the transactions
    writing records; a cursor past a record still being written would skip it for ever."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {FeedRecord._meta.db_table} IN SHARE MODE")
        return FeedRecord.objects.aggregate(top=Max("pk"))["top"] or 0


def feed_pending(after: int = 0, limit: int = 500):
    """The records after the cursor `after`, by id: only committed ones, so none is skipped or repeated."""
    return FeedRecord.objects.filter(pk__gt=after, pk__lte=feed_committed_up_to()).order_by("pk")[:limit]


def _post(url: str, records: list[dict], timeout: float) -> set[str]:
    if not url.lower().startswith(("https://", "http://")):  # never file:// or a custom scheme from a setting
        raise ValueError(f"CREDIT_FEED_URL must be an http(s) address, not {url!r}")
    body = json.dumps({"records": records}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
        reply = json.loads(response.read() or b"{}")
    keys = reply.get("acknowledged", []) if isinstance(reply, dict) else None
    if not isinstance(keys, list):  # a malformed reply is a failed push, not a crash of the run
        raise ValueError("the reply has no list of acknowledged keys")
    return {str(key) for key in keys}


def record_json(record: FeedRecord) -> dict:
    return {"id": record.pk, "key": str(record.key), "category": record.category, "action": record.action,
            "created_at": record.created_at.isoformat(), "data": record.payload}


def feed_push(*, url: str | None = None, batch: int | None = None, timeout: float = 10.0) -> tuple[int, int]:
    """Send the unacknowledged records in order, a batch at a time; mark those the platform acknowledges by
    key. A failure stops the run (the next run starts again from the oldest unacknowledged record); a record
    the platform has already seen is sent again with the same key, so the platform drops the repeat.
    -> (acknowledged, failed batches)."""
    url = url if url is not None else settings.CREDIT_FEED_URL
    batch = batch or settings.CREDIT_FEED_BATCH
    if not url:
        return 0, 0
    acknowledged = 0
    last = 0
    while True:
        records = list(FeedRecord.objects.filter(pushed_at__isnull=True, pk__gt=last).order_by("pk")[:batch])
        if not records:
            return acknowledged, 0
        last = records[-1].pk
        ids = [r.pk for r in records]
        FeedRecord.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1)
        try:
            keys = _post(url, [record_json(r) for r in records], timeout)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
            logger.warning("credit feed push failed: %s", error)
            FeedRecord.objects.filter(pk__in=ids).update(last_error=str(error)[:2000])
            return acknowledged, 1
        done = [r.pk for r in records if str(r.key) in keys]
        with transaction.atomic():
            acknowledged += FeedRecord.objects.filter(pk__in=done, pushed_at__isnull=True).update(
                pushed_at=timezone.now(), last_error="")
        if len(done) < len(records):  # some not acknowledged: try them again next run, in order
            FeedRecord.objects.filter(pk__in=ids, pushed_at__isnull=True).update(last_error="not acknowledged")
            return acknowledged, 1
