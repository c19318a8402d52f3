"""Fault tests (issue 9): real services on loopback, bounded. Each test is marked `faults` and runs only on
PostgreSQL (`.ci/run`, or DATABASE_URL=postgres://... pytest -m faults); `make test` (SQLite) skips them.

The Celery workers here are the test's own subprocesses: their own queue, on the machine's Redis with their
own DB number (FAULTS_REDIS_DB, default 9; CI's is 7) or on a redis-server the test starts itself on a free
loopback port, against the test database; stopped before the database is flushed."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.db import connection

from outbox.services import relay
from tests.conftest import broker_swapped

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
REDIS_DB = int(os.environ.get("FAULTS_REDIS_DB", "9"))

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="fault tests run on PostgreSQL")
FAULTS = [pytest.mark.faults, pytest.mark.postgres, on_postgresql, pytest.mark.django_db(transaction=True)]


def redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port(preferred: int = 6390) -> int:
    for port in [preferred, 0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")


def wait_until(check, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return bool(check())


class RedisServer:
    """redis-server on a loopback port, no persistence (what is queued is lost when it stops)."""

    def __init__(self, port: int, directory: Path):
        self.port, self.directory, self.process = port, directory, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: redis_up(self.port), 10), "redis-server did not start"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()  # as an outage does: no shutdown, nothing saved
            self.process.wait(10)
        assert wait_until(lambda: not redis_up(self.port), 5)


class Worker:
    """A Celery worker subprocess (own process group) on `broker_url`, consuming `queue`."""

    def __init__(self, *, broker_url: str, queue: str, log: Path, media_root: Path, concurrency: int = 2,
                 fresh_child: bool = False, env: dict | None = None):
        self.broker_url, self.queue, self.log, self.media_root = broker_url, queue, log, media_root
        self.concurrency, self.fresh_child, self.extra_env = concurrency, fresh_child, env or {}
        self.process = None
        self.starts = 0

    def start(self):
        db = connection.settings_dict
        env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                                              f"{db['PORT'] or 5432}/{db['NAME']}",
               "CELERY_BROKER_URL": self.broker_url, "CELERY_RESULT_BACKEND": self.broker_url,
               "CELERY_TASK_DEFAULT_QUEUE": self.queue, "MEDIA_ROOT": str(self.media_root),
               "DJANGO_SETTINGS_MODULE": "config.settings", **self.extra_env}
        env.pop("CI_CELERY_WORKER", None)
        self.starts += 1
        name = f"{self.queue}-{self.starts}@%h"
        command = [CELERY, "-A", "config", "worker", "-Q", self.queue, "-c", str(self.concurrency),
                   "--pool=prefork", "-n", name, "-I", "tests.outbox.tasks_for_tests", "--loglevel=INFO",
                   "--without-gossip", "--without-mingle", "--without-heartbeat"]
        if self.fresh_child:
            command.append("--max-tasks-per-child=1")
        self.mark = self.log.stat().st_size if self.log.exists() else 0
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        ready = wait_until(lambda: b" ready." in self.log.read_bytes()[self.mark:] or self.process.poll() is not None,
                           90, 0.3)
        assert ready and self.process.poll() is None, self.tail()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def kill(self):
        """SIGKILL to the worker and its pool children at once: nothing is acknowledged or cleaned up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def to_broker(settings):
    """Send tasks from this test process to a real broker (not in-process); restored afterwards."""
    with ExitStack() as stack:
        def switch(url: str, queue: str):
            settings.OUTBOX_QUEUE = queue
            stack.enter_context(broker_swapped(url))

        yield switch


@pytest.fixture
def machine_redis():
    """The machine's Redis, own DB number (skipped when it is not running)."""
    if not redis_up(6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return f"redis://127.0.0.1:6379/{REDIS_DB}"


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    (tmp_path / "redis").mkdir()
    server = RedisServer(free_port(), tmp_path / "redis")
    server.start()
    yield server
    server.stop() if server.process and server.process.poll() is None else None


@pytest.fixture
def workers(transactional_db, tmp_path, settings):
    """Start workers with `workers(...)`; all are stopped before the test database is flushed."""
    started = []
    settings.MEDIA_ROOT = tmp_path / "media"

    def start(**kwargs):
        worker = Worker(log=tmp_path / "worker.log", media_root=settings.MEDIA_ROOT, **kwargs)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def relay_until(check, *, timeout: float, every: float = 1.0) -> bool:
    """What celery beat does (outbox-relay), run from the test: the relay, then the check, until true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        relay()
        if check():
            return True
        time.sleep(every)
    return bool(check())
