"""Many transactions writing at once never wait for one another on the log, and the chain stays one line: every
committed entry sealed exactly once, including one whose transaction commits long after entries numbered above it
were sealed (PostgreSQL, real threads and connections)."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction  # noqa: F401 (connection: the skipif)

from audit.models import AuditEntry, AuditSeal
from audit.seal import seal
from audit.verify import verify
from sanctions.models import Restriction
from tests.approvals.test_concurrent_decisions import run_concurrently
from tests.sanctions.factories import RestrictionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL"),
]


def test_twelve_writers_and_a_sealer_at_once_leave_one_verified_chain():
    restrictions = [RestrictionFactory() for _ in range(24)]
    stop = threading.Event()
    sealer_errors = []

    def sealer():
        try:
            while not stop.is_set():
                seal(max_rows=7)  # small batches: several runs interleave with the writers
                time.sleep(0.01)
        except Exception as error:  # pragma: no cover - reported below
            sealer_errors.append(error)
        finally:
            connections.close_all()

    def writer(i):
        rng = random.Random(i)
        for round_ in range(3):
            with transaction.atomic():
                mine = restrictions[2 * i: 2 * i + 2]
                for r in mine:
                    Restriction.objects.filter(pk=r.pk).update(lift_reason=f"{i}-{round_}")
                    time.sleep(rng.random() / 50)  # commit in an order other than the entries' numbers
        return i

    thread = threading.Thread(target=sealer)
    thread.start()
    outcomes = run_concurrently(12, writer)
    stop.set()
    thread.join()

    assert [kind for kind, _ in outcomes] == ["ok"] * 12 and not sealer_errors, (outcomes, sealer_errors)
    seal()
    report = verify()
    # the test's own entries are counted: a real worker beside the suite (.ci/run) may write audited rows too
    mine = AuditEntry.objects.filter(table_name=Restriction._meta.db_table, object_id__in=[r.pk for r in restrictions])
    assert mine.count() == 24 + 12 * 3 * 2
    assert not mine.exclude(pk__in=AuditSeal.objects.values("entry_id")).exists(), "an entry left out of the chain"
    sealed = AuditSeal.objects.count()
    assert report.ok and report.links == sealed, report
    assert sorted(AuditSeal.objects.values_list("seq", flat=True)) == list(range(1, sealed + 1))
    assert AuditSeal.objects.values("entry_id").distinct().count() == sealed


def test_an_entry_committed_late_is_sealed_after_later_numbers_and_the_chain_holds():
    early, late = RestrictionFactory(), RestrictionFactory()
    seal()
    holding, release = threading.Event(), threading.Event()
    thread = _hold(holding, release, write_pk=early.pk)  # written first, committed last
    Restriction.objects.filter(pk=late.pk).update(lift_reason="written second, committed first")
    assert seal() == 1  # the committed one; the other is not visible yet, and sealing does not wait for it
    release.set()
    thread.join()

    assert seal() == 1
    first_written = AuditEntry.objects.get(object_id=early.pk, op="U")
    second_written = AuditEntry.objects.get(object_id=late.pk, op="U")
    assert first_written.pk < second_written.pk
    assert (AuditSeal.objects.get(entry_id=first_written.pk).seq > AuditSeal.objects.get(entry_id=second_written.pk).seq)
    report = verify()
    assert report.ok and report.unsealed == 0 and report.links == AuditEntry.objects.count()


def test_the_sealing_mark_moves_up_once_older_transactions_have_ended_and_nothing_is_skipped():
    from audit.models import AuditSealMark

    restrictions = [RestrictionFactory() for _ in range(3)]
    seal()  # notes what was handed out so far
    deadline = time.monotonic() + 60
    while AuditSealMark.objects.get().low == 0:  # other sessions of the cluster may hold the horizon a while
        if time.monotonic() > deadline:
            held = _horizon_held_elsewhere()
            if held:  # a transaction left open by someone else (the mark waits for it, by design)
                pytest.skip(f"a transaction of another database holds the cluster's xmin: {held}")
            pytest.fail("the mark never moved")
        Restriction.objects.filter(pk=restrictions[0].pk).update(lift_reason=str(time.monotonic()))
        seal()
        time.sleep(0.2)
    mark = AuditSealMark.objects.get()
    assert 3 <= mark.low <= AuditEntry.objects.order_by("-id").first().pk
    Restriction.objects.filter(pk=restrictions[1].pk).update(lift_reason="after the mark moved")
    seal()
    report = verify()
    assert report.ok and report.unsealed == 0 and report.links == AuditEntry.objects.count()


def _horizon_held_elsewhere() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname, state, now() - xact_start FROM pg_stat_activity "
                       "WHERE backend_xid IS NOT NULL AND datname <> current_database()")
        return cursor.fetchall()


def _hold(started: threading.Event, release: threading.Event, write_pk=None):
    """A transaction that takes its transaction id (and, given a restriction, writes an audited row), then waits."""
    def body():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_current_xact_id()")
                if write_pk:
                    Restriction.objects.filter(pk=write_pk).update(lift_reason="held open")
                started.set()
                release.wait(30)
        finally:
            connections.close_all()
    thread = threading.Thread(target=body)
    thread.start()
    assert started.wait(30)
    return thread


def test_the_mark_never_passes_an_entry_whose_writer_started_after_an_older_open_transaction():
    """Writer B takes its transaction id and stays open; writer A, newer, writes an entry and stays open; the
    sealer runs; B commits; the sealer runs again (the mark may move only once A has ended too); A commits. A's
    entry must be sealed. (With the snapshot's xmax as the horizon, the mark moved past A's entry while A was open,
    and the entry was never sealed.)"""
    restriction = RestrictionFactory()
    seal()
    b_started, b_release, a_started, a_release = (threading.Event() for _ in range(4))
    b = _hold(b_started, b_release)
    a = _hold(a_started, a_release, write_pk=restriction.pk)
    seal()  # A's entry is numbered but not visible: the mark notes what was handed out
    b_release.set()
    b.join()
    seal()
    seal()
    a_release.set()
    a.join()
    seal()
    entry = AuditEntry.objects.get(object_id=restriction.pk, op="U")
    assert AuditSeal.objects.filter(entry_id=entry.pk).count() == 1
    report = verify()
    assert report.ok and report.unsealed == 0 and report.links == AuditEntry.objects.count(), report
