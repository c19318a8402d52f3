"""The API under load (issue 8): a gunicorn server on 127.0.0.1 against a PostgreSQL database filled by the
generator (and the demo logins), driven by locust (headless, in its own process) with N users for a bounded time.
Goal: p95 < 300 ms, 0 errors.

python -m bench.api_load [--subjects 100000] [--restrictions 10000] [--licences 50000] [--users 50]
                         [--duration 60] [--ramp 10]
Workers: BENCH_GUNICORN_WORKERS (default 2 × cores + 1). Documents (notices, letters, licences) are rendered off
the request path as in production: by one Celery worker on the machine's Redis (BENCH_CELERY_BROKER, default
redis://127.0.0.1:6379/0; a queue of its own, removed afterwards), competing for the same cores. The mix is in bench/_locustfile.py: window staff
(inbox, details, restriction search, deciding), supervisors (case list, restriction list), the public (published
restriction list, document verification) and applicants (apply → notify-and-commit → one-time code → sign).
Baseline in the same run, under the same load: GET /accounts/login/ (a page that reads nothing).
Figures are over the steady state (after the ramp-up); PostgreSQL only."""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench._harness import setup_django, throwaway_database

MATTER = "SCJG-SPJY-001"  # notify-and-commit, decided on the spot
GROUPS = ("read", "public", "write", "baseline")


def prepare(args, folder: Path) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Exists, OuterRef
    from django.test import Client

    from approvals.models import Application, CreditGrade, Subject
    from demo.generator import Generator
    from sanctions.models import Restriction

    started = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    generator = Generator(seed=16, progress=lambda message: None)
    generator.subjects(args.subjects)
    generator.restrictions(args.restrictions)
    generator.licences(args.licences)
    filled_s = time.perf_counter() - started

    User = get_user_model()

    def sessions(user, n: int) -> list[str]:
        found = []
        for _ in range(n):
            client = Client()
            client.force_login(user)
            found.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
        return found

    # applicants: generated persons graded A with no restriction at all, each given an account
    unrestricted = ~Exists(Restriction.objects.filter(subject=OuterRef("subject_id")))
    people = list(CreditGrade.objects.filter(unrestricted, grade="A", source="generate_data",
                                             subject__kind="person", subject__user__isnull=True)
                  .order_by("subject_id").values_list("subject_id", flat=True)[:args.users])
    applicants = []
    for subject_id in people:
        user = User.objects.create_user(f"bench-applicant-{subject_id}")  # no password: signs with a code
        Subject.objects.filter(pk=subject_id).update(user=user)
        applicants.append({"username": user.username, "subject_id": subject_id, "session": sessions(user, 1)[0]})

    from documents.models import Document

    document = Document.objects.order_by("pk").first()
    restricted = list(Restriction.objects.select_related("subject").order_by("?")[:200])
    queries = [r.subject.number for r in restricted[:100]] + [r.subject.name[:2] for r in restricted[100:]]
    return {
        "filled_s": round(filled_s, 1),
        "window_sessions": sessions(User.objects.get(username="window"), 10),
        "supervisor_sessions": sessions(User.objects.get(username="supervisor"), 5),
        "applicants": applicants,
        "application_ids": list(Application.objects.order_by("?").values_list("pk", flat=True)[:2000]),
        "restriction_queries": queries,
        "token": document.token if document else None,
        "matter_code": MATTER,
        "csrf": secrets.token_hex(16),  # a CSRF secret of 32 characters, sent as cookie and header
        "otp_dir": str(folder / "otp"),
        "samples": str(folder / "samples.json"),
        "wait_min": args.wait_min, "wait_max": args.wait_max, "verify_interval_s": 2.5,
        "applicant_wait": [4.0, 8.0],  # between one application and the next (four requests each)
        "weights": {"window": 20, "supervisor": 8, "public": 12, "applicant": 10},
    }


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow (to https:// on a plain-HTTP port)


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Poll `url` until it answers 200; otherwise fail saying what it answered and what gunicorn logged."""
    opener = urllib.request.build_opener(_NoRedirect)
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: {_tail(log)}")
        try:
            with opener.open(url, timeout=2) as response:
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code} {error.headers.get('Location') or ''}".strip()
        except OSError as error:
            last = repr(error)
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer 200 at {url} in {timeout:.0f} s (last: {last}); log: {_tail(log)}")


def _tail(log: Path, lines: int = 5) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def cpu_snapshot(server: subprocess.Popen) -> tuple[float, float, float]:
    """(wall, CPU seconds the whole machine spent busy, CPU seconds of gunicorn's master and workers)."""
    import psutil

    machine = psutil.cpu_times()
    processes = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
    own = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            own += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return time.monotonic(), sum(machine) - machine.idle - getattr(machine, "iowait", 0.0), own


def rendered_since(since_pk: int) -> int:
    from documents.models import Document, RenderStatus

    return Document.objects.filter(pk__gt=since_pk, status=RenderStatus.RENDERED).count()


def drain(worker: subprocess.Popen, timeout: float, since_pk: int) -> dict:
    """Let the Celery worker finish the documents queued under load (bounded), then count them."""
    from django.db import connections

    from documents.models import Document, RenderStatus

    deadline = time.monotonic() + timeout
    while True:
        pending = Document.objects.filter(pk__gt=since_pk, status=RenderStatus.PENDING).count()
        if not pending or time.monotonic() > deadline or worker.poll() is not None:
            break
        time.sleep(2)
    rendered = Document.objects.filter(pk__gt=since_pk, status=RenderStatus.RENDERED).count()
    connections.close_all()
    return {"rendered": rendered, "pending": pending}


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p / 100) - 1))], 1)


def figures(samples: list, since: float, until: float) -> dict:
    steady = [s for s in samples if since <= s[0] <= until]
    seconds = max(until - since, 1e-9)

    def stats(rows):
        times = [r[2] for r in rows]
        return {"requests": len(rows), "errors": sum(r[3] for r in rows), "rps": round(len(rows) / seconds, 1),
                "p50_ms": pct(times, 50), "p95_ms": pct(times, 95), "max_ms": round(max(times), 1) if times else None}

    by_name: dict[str, list] = {}
    for row in steady:
        by_name.setdefault(row[1], []).append(row)
    groups = {g: stats([r for r in steady if r[1].startswith(g + ":")]) for g in GROUPS}
    return {"overall": stats(steady), "groups": groups,
            "endpoints": {name: stats(rows) for name, rows in sorted(by_name.items())}}


def run(args) -> dict:
    workers = int(os.environ.get("BENCH_GUNICORN_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
    folder = Path(tempfile.mkdtemp(prefix="bench-api-load-"))
    (folder / "otp").mkdir()
    config = prepare(args, folder)
    (folder / "config.json").write_text(json.dumps(config))
    from django.db import connections
    from django.db.models import Max

    from documents.models import Document

    since_pk = Document.objects.aggregate(top=Max("pk"))["top"] or 0
    connections.close_all()  # the server's workers are the only clients from here on
    port = free_port()
    broker = os.environ.get("BENCH_CELERY_BROKER", "redis://127.0.0.1:6379/0")
    queue = f"bench-api-load-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING",
           "OTP_SENDER": "bench._otp_sender.FileSender", "BENCH_OTP_DIR": str(folder / "otp"),
           "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker, "CELERY_TASK_DEFAULT_QUEUE": queue,
           "BENCH_API_LOAD_CONFIG": str(folder / "config.json"),
           # plain HTTP on the loopback, as behind the TLS-terminating proxy production has: with DEBUG off the
           # settings otherwise redirect every request to https:// (SECURE_SSL_REDIRECT) on a port that speaks no
           # TLS, and mark the cookies Secure (not sent back over http)
           "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
           "SECURE_HSTS_SECONDS": "0"}
    bin_dir = Path(sys.executable).parent
    # the renderer at the lowest priority, in this session (the kernel's autogroups would otherwise give each
    # session an equal share whatever its niceness): it renders with what the API leaves idle, as a production
    # worker must not slow the counter down; what it has not reached is drained (bounded) and counted afterwards
    worker = subprocess.Popen(
        ["nice", "-n", "19", str(bin_dir / "celery"), "-A", "config", "worker", "--concurrency", "1",
         "--queues", f"{queue},{queue}-bulk", "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "celery.log", "w"))
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "120", "--error-logfile", str(folder / "gunicorn.log"),
         "--log-level", "warning"], env=env)
    host = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{host}/accounts/login/", server, folder / "gunicorn.log")
        # the machine's other work competes for the same cores: say how busy it was, and how much was gunicorn's
        load_before, cpu_before = os.getloadavg()[0], cpu_snapshot(server)
        started = time.time()
        load = subprocess.run(
            [str(bin_dir / "locust"), "-f", "bench/_locustfile.py", "--headless", "--host", host,
             "--users", str(args.users), "--spawn-rate", str(args.users / max(args.ramp, 1)),
             "--run-time", f"{args.duration}s", "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
             "--exit-code-on-error", "0"], env=env, capture_output=True, text=True)
        ended = time.time()
        load_after, cpu_after = os.getloadavg()[0], cpu_snapshot(server)
    finally:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        server.wait(timeout=30)
        rendered_under_load = rendered_since(since_pk)
        documents = drain(worker, timeout=60, since_pk=since_pk)
        worker.send_signal(signal.SIGTERM)  # warm shutdown: finishes the document in hand
        worker.wait(timeout=60)
        import redis

        client = redis.Redis.from_url(broker)  # tasks the worker did not reach, and the queues' bindings
        client.delete(queue, f"{queue}-bulk", *client.keys(f"*{queue}*"))
    if load.returncode:
        sys.stderr.write(load.stderr[-3000:])
        raise RuntimeError(f"locust exited with {load.returncode}")
    recorded = json.loads(Path(config["samples"]).read_text())
    shutil.rmtree(folder, ignore_errors=True)
    result = figures(recorded["samples"], started + args.ramp, ended)
    errors = [line for line in load.stderr.splitlines() if "Error" in line or "Failure" in line][:5]

    from approvals.models import Licence

    overall, baseline = result["overall"], result["groups"]["baseline"]
    return {
        "figure": f"API under load: locust, {args.users} users, {args.duration} s (ramp {args.ramp} s), gunicorn "
                  f"{workers} sync workers; window staff, supervisors, public pages, applicants signing",
        "subjects": args.subjects, "restrictions": args.restrictions, "licences": args.licences,
        "requests_per_s": overall["rps"], "p50_ms": overall["p50_ms"], "p95_ms": overall["p95_ms"],
        "errors": overall["errors"], "requests": overall["requests"],
        "baseline_login_page_p50_ms": baseline["p50_ms"], "baseline_login_page_p95_ms": baseline["p95_ms"],
        "p95_ratio_to_baseline": (round(overall["p95_ms"] / baseline["p95_ms"], 1)
                                  if overall["p95_ms"] and baseline["p95_ms"] else None),
        "groups": {g: {k: v for k, v in s.items() if k != "max_ms"} for g, s in result["groups"].items()},
        "endpoints": {name: {k: s[k] for k in ("requests", "errors", "p50_ms", "p95_ms")}
                      for name, s in result["endpoints"].items()},
        "licences_issued_under_load": Licence.objects.filter(issued_by__username="window").count(),
        "signed_not_yet_decided": recorded["signed_left"],
        "failures_seen": errors,
        "documents_rendered_under_load": rendered_under_load, "documents_rendered_in_all": documents["rendered"],
        "documents_still_pending": documents["pending"],
        "fill_s": config["filled_s"],
        "load_average_1m_before_and_after": [round(load_before, 2), round(load_after, 2)],
        # cores in use while locust ran: the whole machine (of os.cpu_count()), and gunicorn's processes alone
        # (PostgreSQL's per-request backends, locust and the renderer are in the first figure only)
        "machine_busy_cores": round((cpu_after[1] - cpu_before[1]) / (cpu_after[0] - cpu_before[0]), 2),
        "gunicorn_cores": round((cpu_after[2] - cpu_before[2]) / (cpu_after[0] - cpu_before[0]), 2),
        "goal": "p95 < 300 ms, 0 errors",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--restrictions", type=int, default=10_000)
    parser.add_argument("--licences", type=int, default=50_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--ramp", type=int, default=10)
    parser.add_argument("--wait-min", type=float, default=0.5, help="think time between a user's requests (s)")
    parser.add_argument("--wait-max", type=float, default=1.5)
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the demo's documents log every rendering step
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        print(json.dumps({"figure": "API under load", "skipped": "needs PostgreSQL: set DATABASE_URL",
                          "goal": "p95 < 300 ms, 0 errors"}))
        return
    with throwaway_database():
        print(json.dumps(run(args), ensure_ascii=False))


if __name__ == "__main__":
    main()
