import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser.fixtures import browser, new_page, screenshot  # noqa: F401  (one Chromium for the suite)


def pytest_configure(config):
    """Under pytest-xdist (`pytest -n 2`: make test, .ci/run) every worker process stores files in a directory of
    its own: two workers render documents with the same numbers at the same time. In one process MEDIA_ROOT stays as
    configured (.ci/run's real Celery worker stores into that same directory)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from django.conf import settings

        settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix=f"approvals-test-media-{worker}-"))
        config._approvals_media_root = settings.MEDIA_ROOT


def pytest_unconfigure(config):
    media_root = getattr(config, "_approvals_media_root", None)
    if media_root:
        shutil.rmtree(media_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts from none (local memory only: a CACHE_URL
    Redis is left alone)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _usable_celery_pools():
    """A test that runs a real worker in a thread (tests/ops/test_logs.py) can leave the app's connection or
    producer pool closed when the worker shuts down; even an eager apply_async takes a producer from that pool,
    so every later send would fail with "Acquire on closed pool". Each test starts with usable pools."""
    from kombu import pools

    from config.celery import app

    if any(getattr(pool, "_closed", False) for pool in list(pools.connections.values())) or \
            getattr(app._pool, "_closed", False):
        _forget_connections(app)
    yield


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests see the product as users do: Simplified Chinese by default. Passwords hash fast in tests."""
    settings.LANGUAGE_CODE = "zh-hans"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def needs_worker():
    return pytest.mark.skipif(
        not (os.environ.get("CI_CELERY_WORKER") and os.environ.get("CELERY_BROKER_URL")),
        reason="needs a real Celery worker: run by .ci/run",
    )


@contextmanager
def tasks_in_process():
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@contextmanager
def broker_swapped(url: str, *, result_backend: str = "disabled", eager: bool = False):
    """Point this process's Celery app at another broker for a while, and back. Celery reads CELERY_BROKER_URL and
    CELERY_RESULT_BACKEND from the environment *before* its configuration (celery.app.utils.Settings), and .ci/run
    sets the first: setting app.conf alone would leave every send on CI's broker and queue. So both places are
    swapped, and the connections, producers and result backend made for the old settings are forgotten both ways."""
    from config.celery import app

    keys = ("broker_url", "result_backend", "task_always_eager")
    saved_conf = {key: app.conf.get(key) for key in keys}
    saved_env = {name: os.environ.get(name) for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    os.environ.update(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=result_backend)
    app.conf.update(broker_url=url, result_backend=result_backend, task_always_eager=eager)
    _forget_connections(app)
    try:
        yield app
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        app.conf.update(saved_conf)
        _forget_connections(app)


def _forget_connections(app):
    from kombu import pools

    pools.reset()  # kombu's process-wide registry (one pool per URL), which the app's pool is taken from
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def wait_for(check, *, timeout: float = 60.0):
    """Poll the database until the real worker's effect shows (no result.get(): the effect is what counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.fixture
def celery_eager():
    """Run tasks in-process even when CI points CELERY_BROKER_URL at a real worker: the worker cannot see a
    test's uncommitted rows, and a worker still rendering a document while a transactional test flushes the
    database deadlocks the flush. Restored afterwards, so the real-worker tests stay real."""
    with tasks_in_process():
        yield


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_marked_worker(request):
    """Only tests marked `worker` send tasks to the real worker (.ci/run); every other test runs them in-process."""
    if request.node.get_closest_marker("worker"):
        yield
    else:
        yield request.getfixturevalue("celery_eager")


_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}


@pytest.fixture(autouse=True)
def _calendar_covers_the_coming_year(request):
    """Deadlines run up to a year ahead of today, and chinese-calendar only knows the years it shipped with:
    from December on, a 20-working-day deadline reaches a year nobody has declared and the product (rightly)
    refuses to guess. Production has an administrator declare the year; the demo declares it provisionally;
    here every database test gets this year and the next declared provisionally when the package lacks them.
    Tests of the undeclared-year refusal itself are marked `calendar_as_shipped`."""
    if request.node.get_closest_marker("calendar_as_shipped"):
        return
    if request.node.get_closest_marker("django_db") is None and not _DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")  # the test's database access, set up as its marker asks
    from datetime import date

    from django.utils import timezone

    from approvals.services import calendar_covers, calendar_year_declare_provisional

    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        if not calendar_covers(date(year, 12, 31)):
            calendar_year_declare_provisional(year=year)


@pytest.fixture(autouse=True)
def _join_blocking_restored():
    """A Celery worker started in a thread (tests/ops) sets Celery's process-wide "a task is running here"
    flag; left set, every later eager `.get()` raises "Never call result.get() within a task"."""
    from celery.result import _set_task_join_will_block, task_join_will_block

    saved = task_join_will_block()
    yield
    _set_task_join_will_block(saved)
