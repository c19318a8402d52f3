"""Shared set-up for benchmarks: a throwaway test database, timing, and a ratio to an in-run baseline."""

import os
import statistics
import time
from contextlib import contextmanager


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


@contextmanager
def throwaway_database():
    """A fresh test database (test_<name>, or $BENCH_DATABASE_NAME) with migrations applied, dropped afterwards."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    # DEBUG off, as in production and as Django's test runner does: with it on, every query also goes through
    # the debug cursor (SQL rendered and logged), which the product never pays
    setup_test_environment(debug=False)
    old_name = connection.settings_dict["NAME"]
    if os.environ.get("BENCH_DATABASE_NAME"):  # a name of one's own when several runs share a server
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ["BENCH_DATABASE_NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


@contextmanager
def unconsumed_queue(broker: str):
    """Set before django.setup(): tasks sent after commit go to `broker` on a queue of this run's own that no worker
    reads (deleted afterwards), as a production request publishes and leaves the work to workers; without it,
    the embedded default (Celery eager) would run them, PDFs and all, inside what is measured."""
    queue = f"bench-unconsumed-{os.getpid()}"
    os.environ.update(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND="", CELERY_TASK_DEFAULT_QUEUE=queue)
    try:
        yield queue
    finally:
        import redis

        client = redis.Redis.from_url(broker)
        client.delete(*(client.keys(f"*{queue}*") or [queue]))


def measure(fn, *, repeat: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 3),
    }
