"""The transactional outbox in the embedded default (tasks in-process): written with the act, sent at commit,
relayed when the broker was away, idempotent by key, incidents when retries run out, the admin in Chinese."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import outbox
from outbox.decorators import backoff
from outbox.models import Incident, Message, MessageState
from outbox.services import KEY_ARGUMENT, relay
from tests.conftest import broker_swapped
from tests.outbox import tasks_for_tests
from tests.outbox.tasks_for_tests import RUNS, always_fails, record_run

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: on_commit fires as in production


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield
    RUNS.clear()


def test_the_task_runs_after_the_commit_and_the_message_is_done():
    with transaction.atomic():
        message = outbox.enqueue(record_run, ["a"], key="k-a")
        assert RUNS == []  # nothing before the commit
    assert RUNS == ["a"]
    message.refresh_from_db()
    assert message.state == MessageState.DONE and message.done_at and message.run_count == 1
    assert message.publish_count == 1 and message.task_name == "tests.outbox.tasks_for_tests.record_run"


def test_a_rolled_back_transaction_leaves_no_message_and_no_run():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.enqueue("tests.outbox.tasks_for_tests.record_run", ["never"])
        1 / 0  # noqa: B018
    assert RUNS == [] and not Message.objects.exists()


def test_one_key_is_one_message_and_one_run():
    with transaction.atomic():
        first = outbox.enqueue(record_run, ["x"], key="same")
        second = outbox.enqueue(record_run, ["x"], key="same")
    assert first.pk == second.pk and Message.objects.count() == 1
    assert RUNS == ["x"]
    # a redelivery of the done message (the relay's copy, a broker redelivery) does nothing
    assert record_run.apply(args=["x"], kwargs={KEY_ARGUMENT: "same"}).get() is None
    assert RUNS == ["x"]
    assert Message.objects.get().run_count == 1


def test_a_message_is_written_by_one_statement_and_is_the_row_stored(django_assert_num_queries):
    """No read-first and no savepoint (they were four statements per document issued); what enqueue returns is
    what the table holds, and a key already there is read back, not written again."""
    with transaction.atomic():
        with django_assert_num_queries(1):
            message = outbox.enqueue(record_run, ["y"], key="one-statement")
        stored = Message.objects.get(pk=message.pk)
        assert (stored.key, stored.task_name, stored.args, stored.kwargs, stored.state) == (
            "one-statement", "tests.outbox.tasks_for_tests.record_run", ["y"], {}, MessageState.PENDING)
        assert stored.next_attempt_at == message.next_attempt_at and stored.created_at == message.created_at
        with django_assert_num_queries(2):  # the insert that inserts nothing, then the read
            again = outbox.enqueue(record_run, ["other"], key="one-statement")
        assert again.pk == message.pk and again.args == ["y"]
    assert RUNS == ["y"] and Message.objects.count() == 1


def test_insert_new_skips_the_keys_already_there_across_batches():
    """More rows than SQLite takes in one statement (999 parameters): every new one is inserted with its pk
    set, the ones whose key is there already are skipped and left as they were."""
    from outbox.services import insert_new

    with transaction.atomic():
        Message.objects.create(key="k-7", task_name="old", next_attempt_at=timezone.now())
        rows = [Message(key=f"k-{i}", task_name="new", next_attempt_at=timezone.now()) for i in range(300)]
        inserted = insert_new(Message, rows, key="key")
        assert len(inserted) == 299 and "k-7" not in {m.key for m in inserted}
        assert {m.pk: m.key for m in inserted} == dict(
            Message.objects.filter(task_name="new").values_list("pk", "key"))
        assert Message.objects.get(key="k-7").task_name == "old"
        assert insert_new(Message, [Message(key="k-1", task_name="again", next_attempt_at=timezone.now())],
                          key="key") == []


def test_many_messages_are_one_insert_sent_in_order_at_commit_and_marked_in_one_update(django_assert_num_queries):
    """enqueue_many (a package's render chunks): one statement in the transaction, the runs after the commit in
    the order given, each message done; a key already there is returned as it is and not sent again."""
    with transaction.atomic():
        old = outbox.enqueue(record_run, ["old"], key="m-0")
    RUNS.clear()
    with transaction.atomic():
        with django_assert_num_queries(2):  # the insert; then the read of the key already there
            messages = outbox.enqueue_many(record_run, [["a"], ["b"], ["c"]], keys=["m-1", "m-0", "m-2"])
        assert [m.key for m in messages] == ["m-1", "m-0", "m-2"] and messages[1].pk == old.pk
        assert messages[1].args == ["old"] and RUNS == []
    assert RUNS == ["a", "c"]
    for message in Message.objects.filter(key__in=["m-1", "m-2"]):
        assert message.state == MessageState.DONE and message.publish_count == 1 and message.run_count == 1
    with transaction.atomic():
        unkeyed = outbox.enqueue_many(record_run, [["d"], ["e"]])
    assert len({m.key for m in unkeyed}) == 2 and RUNS == ["a", "c", "d", "e"]


def test_many_messages_rolled_back_leave_nothing():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.enqueue_many(record_run, [["never"], ["again"]])
        1 / 0  # noqa: B018
    assert RUNS == [] and not Message.objects.exists()


def test_many_messages_with_the_broker_away_all_wait_for_the_relay():
    with broker_swapped("redis://127.0.0.1:1/0"), transaction.atomic():
        messages = outbox.enqueue_many(record_run, [["x"], ["y"]], keys=["w-1", "w-2"])
    for message in Message.objects.filter(pk__in=[m.pk for m in messages]):
        assert message.state == MessageState.PENDING and message.last_error and message.publish_count == 0
    assert RUNS == []
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert relay() == 2 and sorted(RUNS) == ["x", "y"]


def test_a_broker_that_is_away_at_commit_loses_nothing(settings):
    """No stub: the Celery app really tries a broker on a closed loopback port and fails; the message stays
    pending; once the broker is back (here: the in-process mode) the relay sends it after the grace period."""
    with broker_swapped("redis://127.0.0.1:1/0"), transaction.atomic():
        message = outbox.enqueue(record_run, ["late"], key="k-late")
    message.refresh_from_db()
    assert message.state == MessageState.PENDING and message.last_error and RUNS == []
    assert relay() == 0  # within the grace period the relay leaves it (the fast path may still be sending)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert relay() == 1
    message.refresh_from_db()
    assert RUNS == ["late"] and message.state == MessageState.DONE and message.publish_count == 1


def test_the_relay_sends_again_a_message_sent_but_never_done_and_never_a_done_one():
    with transaction.atomic():
        lost = Message.objects.create(task_name=record_run.name, args=["lost"], key="lost",
                                      state=MessageState.PUBLISHED, publish_count=1,
                                      next_attempt_at=timezone.now() - timedelta(seconds=1))
        Message.objects.create(task_name=record_run.name, args=["done"], key="done", state=MessageState.DONE,
                               next_attempt_at=timezone.now() - timedelta(hours=1))
        Message.objects.create(task_name=record_run.name, args=["soon"], key="soon", state=MessageState.PUBLISHED,
                               next_attempt_at=timezone.now() + timedelta(minutes=10))
    assert relay() == 1
    lost.refresh_from_db()
    assert RUNS == ["lost"] and lost.state == MessageState.DONE and lost.publish_count == 2


def test_exhausted_retries_become_an_incident_that_the_admin_runs_again(admin_client, monkeypatch):
    with transaction.atomic():
        message = outbox.enqueue(always_fails, ["twice"], key="k-fail")
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and "cannot do twice" in message.last_error
    incident = Incident.objects.get()
    assert incident.message == message and incident.task_name == always_fails.name and incident.args == ["twice"]
    assert relay() == 0  # a failed message waits for a person

    page = admin_client.get(reverse("admin:outbox_incident_changelist")).content.decode()
    assert "任务故障" in page and "cannot do twice" in page and "重新运行所选任务" in page

    monkeypatch.setattr(tasks_for_tests, "RUNS", RUNS)
    RUNS.clear()
    response = admin_client.post(reverse("admin:outbox_incident_changelist"),
                                 {"action": "retry", "_selected_action": [incident.pk]}, follow=True)
    assert response.status_code == 200 and "已重新发送 1 项任务" in response.content.decode()
    incident.refresh_from_db()
    assert incident.resolved_at and incident.resolution == "retried"
    assert RUNS == ["twice"]  # it ran again (and failed again: a new incident)
    assert Incident.objects.filter(resolved_at__isnull=True).count() == 1


def test_a_task_called_without_the_outbox_still_runs():
    assert record_run.delay("direct").get() == "direct" and RUNS == ["direct"]
    assert not Message.objects.exists()


def test_backoff_grows_exponentially_and_is_capped(settings):
    settings.OUTBOX_RETRY_BACKOFF_SECONDS, settings.OUTBOX_RETRY_BACKOFF_MAX = 10, 600
    assert 8 <= backoff(0) <= 12 and 16 <= backoff(1) <= 24 and 64 <= backoff(3) <= 96
    assert backoff(12) <= 720
    # the longest retry countdown stays under the broker's visibility timeout (a delayed message would be
    # redelivered after it) and the relay's republish delay is longer than a whole retry chain
    assert settings.OUTBOX_RETRY_BACKOFF_MAX * 1.2 < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    chain = sum(min(settings.OUTBOX_RETRY_BACKOFF_SECONDS * 2 ** n, settings.OUTBOX_RETRY_BACKOFF_MAX) * 1.2
                for n in range(settings.OUTBOX_MAX_RETRIES))
    assert chain < settings.OUTBOX_REPUBLISH_SECONDS


def test_the_relay_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-relay"]
    assert entry["task"] == "outbox.tasks.relay" and entry["schedule"] <= 60
