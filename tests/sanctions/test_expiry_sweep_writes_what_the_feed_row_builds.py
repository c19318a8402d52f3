"""The expiry sweep writes, per restriction, the same state change and the same feed record as the Python path
(feed_restriction_row) builds: on PostgreSQL the database builds them (one statement per chunk), so the two are
compared field by field, the payload byte for byte as stored. A restriction another transaction holds is skipped
and left for the next run."""

import json
import threading
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from approvals.models import StateChange
from sanctions.models import (
    FeedAction, FeedCategory, FeedRecord, Restriction, RestrictionScope, RestrictionState, Violation, ViolationKind,
)
from sanctions.services import restrictions_expire
from sanctions.services.feed import feed_restriction_row
from sanctions.services.restrictions import _expire_chunk_python
from tests.approvals.factories import MatterFactory, OrganisationFactory, PersonFactory
from tests.sanctions.factories import RestrictionFactory


def varied_restrictions() -> list[Restriction]:
    """Ended restrictions of every shape the payload has: person and organisation, general and one matter, with and
    without a case, times with and without microseconds, a lifted_at, quotes and non-ASCII in the texts."""
    now = timezone.now()
    start = datetime(2025, 3, 1, 8, 0, 0, tzinfo=dt_timezone.utc)
    organisation = OrganisationFactory(name='德令哈"绿源"餐饮有限公司')
    case = Violation.objects.create(number="WN-2026-000042", subject=organisation,
                                    kind=ViolationKind.objects.order_by("pk").first(), findings="虚假承诺",
                                    source_key="test:expiry")
    return [
        RestrictionFactory(subject=PersonFactory(name="张三明"), starts_at=start, ends_at=start + timedelta(days=182)),
        RestrictionFactory(subject=organisation, violation=case, scope=RestrictionScope.MATTER,
                           matter=MatterFactory(), reason='提供虚假材料（三级违诺）\n"第二行"\\',
                           starts_at=now - timedelta(days=200, microseconds=-123456),
                           ends_at=now - timedelta(seconds=1)),
        RestrictionFactory(subject=PersonFactory(), violation=case, starts_at=start.replace(microsecond=10),
                           ends_at=start + timedelta(days=1, microseconds=999999), lifted_at=start),
        RestrictionFactory(subject=organisation, scope=RestrictionScope.MATTER, matter=MatterFactory(),
                           starts_at=datetime(2024, 12, 31, 23, 59, 59, 500000, tzinfo=dt_timezone.utc),
                           ends_at=datetime(2025, 1, 1, 16, 0, tzinfo=dt_timezone.utc)),
    ]


def expected_rows(restrictions) -> dict[int, dict]:
    """What the Python path writes: the restrictions read back as the sweep reads them, then marked expired."""
    rows = {}
    for r in Restriction.objects.select_related("subject", "matter", "violation").filter(
            pk__in=[r.pk for r in restrictions]):
        r.state = RestrictionState.EXPIRED
        rows[r.pk] = feed_restriction_row(r, FeedAction.WITHDRAW)
    return rows


def written(restrictions) -> tuple[dict, dict]:
    ids = [r.pk for r in restrictions]
    feed = {f.object_id: f for f in FeedRecord.objects.filter(object_id__in=ids, action=FeedAction.WITHDRAW)}
    changes = {c.object_id: c for c in StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Restriction), object_id__in=ids, target="expired")}
    return feed, changes


def stored_text(record_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT payload::text FROM {FeedRecord._meta.db_table} WHERE id = %s", [record_id])
        return cursor.fetchone()[0]


def as_stored(payload: dict) -> str:
    """The payload as the Python path stores it (Writer sends json.dumps; the column parses it)."""
    if connection.vendor != "postgresql":
        return json.dumps(payload)
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [json.dumps(payload)])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_sweep_writes_the_state_change_and_the_feed_record_the_python_path_builds():
    restrictions = varied_restrictions()
    running = RestrictionFactory()  # not ended: untouched
    expected = expected_rows(restrictions)
    before = timezone.now()

    assert restrictions_expire(chunk=3) == len(restrictions)  # two chunks

    feed, changes = written(restrictions)
    content_type = ContentType.objects.get_for_model(Restriction)
    assert set(feed) == set(changes) == set(expected)
    for pk, row in expected.items():
        record, change = feed[pk], changes[pk]
        assert (record.category, record.action, record.object_id) == (FeedCategory.RESTRICTION, "withdraw", pk)
        assert record.payload == row.payload
        if connection.vendor == "postgresql":
            assert stored_text(record.pk) == as_stored(row.payload)
        assert record.key.version == 4 and record.pushed_at is None and record.attempts == 0
        assert (change.content_type_id, change.source, change.target, change.by_id, change.reason) == (
            content_type.pk, "active", "expired", None, gettext("restriction period ended"))
        assert before <= change.at <= timezone.now() and before <= record.created_at <= timezone.now()
        if connection.vendor == "postgresql":  # one time per chunk (bulk_create elsewhere stamps each row itself)
            assert change.at == record.created_at
    assert len({record.key for record in feed.values()}) == len(feed)
    assert set(Restriction.objects.filter(state="expired").values_list("pk", flat=True)) == set(expected)
    assert Restriction.objects.get(pk=running.pk).state == RestrictionState.ACTIVE
    assert restrictions_expire() == 0  # safe to re-run: nothing twice
    assert FeedRecord.objects.filter(action=FeedAction.WITHDRAW).count() == len(expected)


@pytest.mark.django_db
def test_the_database_built_payload_equals_the_python_path_on_the_same_rows():
    """Both paths over the same restrictions (the Python one rolled back): identical rows but for the random key."""
    restrictions = varied_restrictions()
    content_type = ContentType.objects.get_for_model(Restriction)

    def run(path):
        with transaction.atomic():
            assert path(now=timezone.now(), chunk=100, reason="限制期满", content_type=content_type) == 4
            feed, changes = written(restrictions)
            rows = {pk: (f.category, f.action, stored_text(f.pk) if connection.vendor == "postgresql" else f.payload,
                         changes[pk].source, changes[pk].target, changes[pk].reason) for pk, f in feed.items()}
            transaction.set_rollback(True)
        return rows

    python = run(_expire_chunk_python)
    assert len(python) == 4
    if connection.vendor == "postgresql":
        from sanctions.services.restrictions import _expire_chunk_sql

        assert run(_expire_chunk_sql) == python


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restriction_another_transaction_holds_is_left_for_the_next_run():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    held, free = RestrictionFactory(ended=True), RestrictionFactory(ended=True)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Restriction.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        assert restrictions_expire() == 1  # does not wait for the held row
        assert Restriction.objects.get(pk=free.pk).state == RestrictionState.EXPIRED
        assert Restriction.objects.get(pk=held.pk).state == RestrictionState.ACTIVE
        assert not FeedRecord.objects.filter(object_id=held.pk, action=FeedAction.WITHDRAW).exists()
    finally:
        release.set()
        holder.join(10)
    assert restrictions_expire() == 1  # the next run takes it
    assert Restriction.objects.get(pk=held.pk).state == RestrictionState.EXPIRED
    assert StateChange.objects.filter(object_id=held.pk, target="expired").count() == 1
