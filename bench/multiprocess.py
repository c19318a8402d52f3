"""The production shape on one machine (issue 11): 2 gunicorn workers, 2 Celery workers and the beat scheduler
(database schedule) against the machine's PostgreSQL and Redis — a database and a Redis DB number of their own —
driven by locust on 127.0.0.1 for a bounded time through the whole on-the-spot path (bench/_locustfile.py: apply →
notify-and-commit → one-time code → sign → window staff decide; documents rendered by the workers through the
outbox), beside the read traffic of window staff, supervisors and the public.

python -m bench bench.multiprocess [--users 30] [--duration 60] [--ramp 10] [--subjects 20000] [--licences 10000]
Services: BENCH_PG (default postgres://postgres@127.0.0.1:5432/), BENCH_MULTIPROCESS_REDIS
(default redis://127.0.0.1:6379/9). The database (test_bench_mp_<pid>) is dropped afterwards, the Redis DB's
queues deleted.

Figures: throughput, p50/p95 (steady state, after the ramp), errors (goal 0), duplicate licences, decisions and
documents (SQL, goal 0), how long after the load ended the outbox and the documents' render backlog were empty
(goal ≤ 10 s), that beat's heartbeat arrived through a worker, /readyz and /metrics answering under the
multi-process metrics directory, and the share of task log lines carrying the request id of the request that
enqueued them."""

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
import urllib.request
from pathlib import Path

from bench._harness import setup_django, throwaway_database

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/")
REDIS = os.environ.get("BENCH_MULTIPROCESS_REDIS", "redis://127.0.0.1:6379/9")
GOAL = "0 errors, 0 duplicates, outbox and documents drained ≤ 10 s after the load"


def services_missing() -> str | None:
    for host, port, name in (("127.0.0.1", 5432, "PostgreSQL"), ("127.0.0.1", 6379, "Redis")):
        with socket.socket() as sock:
            sock.settimeout(2)
            if sock.connect_ex((host, port)):
                return f"{name} is not reachable at {host}:{port}"
    return None


def duplicates() -> dict:
    """SQL checks: each would be a double decision or a double issue under concurrency."""
    from django.db import connection

    queries = {
        "duplicate_licences_per_application_matter":
            "SELECT count(*) FROM (SELECT application_matter_id FROM approvals_licence GROUP BY 1 HAVING count(*) > 1) d",
        "duplicate_licence_numbers":
            "SELECT count(*) FROM (SELECT number FROM approvals_licence GROUP BY 1 HAVING count(*) > 1) d",
        "duplicate_documents_per_act":
            "SELECT count(*) FROM (SELECT kind, content_type_id, object_id FROM documents_document "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
        "duplicate_document_numbers":
            "SELECT count(*) FROM (SELECT kind, year, sequence FROM documents_document "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
    }
    with connection.cursor() as cursor:
        found = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            found[name] = cursor.fetchone()[0]
    return found


def backlog(since_pk: int) -> dict:
    from documents.models import Document, RenderStatus
    from outbox.models import Message, MessageState

    return {"documents_pending": Document.objects.filter(pk__gt=since_pk, status=RenderStatus.PENDING).count(),
            "outbox_open": Message.objects.filter(state__in=[MessageState.PENDING, MessageState.PUBLISHED]).count()}


def wait_drained(since_pk: int, ended: float, timeout: float) -> dict:
    from django.db import connections

    while True:
        left = backlog(since_pk)
        connections.close_all()
        if not any(left.values()) or time.time() - ended > timeout:
            return {**left, "drained_after_s": round(time.time() - ended, 1) if not any(left.values()) else None}
        time.sleep(0.5)


def fetch(url: str, token: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def task_lines(folder: Path) -> dict:
    """From the workers' JSON logs: task completions, and how many carry a request id (enqueued by a request)."""
    done = with_id = 0
    for log in folder.glob("worker-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("logger") == "celery.app.trace" and "succeeded" in record.get("message", ""):
                done += 1
                with_id += record.get("request_id", "-") != "-"
    return {"tasks_succeeded": done, "tasks_with_request_id": with_id}


def locust_errors(stderr: str) -> list[str]:
    """The rows of locust's error report (occurrences, request, what came back)."""
    lines = stderr.splitlines()
    try:
        first = next(i for i, line in enumerate(lines) if line.startswith("Error report")) + 1
    except StopIteration:
        return []
    rows = []
    for line in lines[first:]:
        if not line.strip() or line.startswith("#") or set(line.strip()) <= {"-", "|"}:
            if rows and not line.strip():
                break
            continue
        rows.append(" ".join(line.split())[:300])
    return rows[:10]


def start(roles: dict, command: list[str], name: str, env: dict, folder: Path) -> subprocess.Popen:
    log = open(folder / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    roles[name] = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    return roles[name]


def declare_calendar() -> None:
    """As an administrator does once the State Council publishes a year's schedule (Admin → Calendar years): the
    years chinese-calendar does not know yet, so that /readyz finds today + 1 year covered."""
    from datetime import date, timedelta

    import chinese_calendar

    from approvals.models import CalendarYear

    for year in range(date.today().year, (date.today() + timedelta(days=400)).year + 1):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            CalendarYear.objects.get_or_create(year=year, defaults={"source": "bench: weekdays (provisional)",
                                                                    "provisional": True})


def run(args) -> dict:
    from django.db import connections
    from django.db.models import Max

    from approvals.models import Licence
    from bench.api_load import database_url, figures, free_port, prepare, wait_until_up
    from config.celery import app
    from documents.models import Document, RenderStatus
    from ops.models import Heartbeat

    folder = Path(tempfile.mkdtemp(prefix="bench-multiprocess-"))
    (folder / "otp").mkdir()
    (folder / "prometheus").mkdir()
    config = prepare(args, folder)
    declare_calendar()
    (folder / "config.json").write_text(json.dumps(config))
    since_pk = Document.objects.aggregate(top=Max("pk"))["top"] or 0
    licences_before = Licence.objects.count()
    connections.close_all()

    queue = f"bench-mp-{os.getpid()}"
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "false",
           "LOG_FORMAT": "json", "LOG_LEVEL": "INFO",
           # plain HTTP on 127.0.0.1 (production: TLS at the load balancer, DJANGO_SECURE_PROXY_SSL_HEADER)
           "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
           # each simulated applicant asks for a one-time code every few seconds, far more often than a person
           # may (5 in 10 minutes): the per-account limit is not what this measures
           "SECURITY_RATE_OTP": "1000/m",
           "CELERY_BROKER_URL": REDIS, "CELERY_RESULT_BACKEND": REDIS, "CELERY_TASK_DEFAULT_QUEUE": queue,
           "OTP_SENDER": "bench._otp_sender.FileSender", "BENCH_OTP_DIR": str(folder / "otp"),
           "BENCH_API_LOAD_CONFIG": str(folder / "config.json"), "METRICS_TOKEN": token,
           "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"), "PYTHONUNBUFFERED": "1"}
    bin_dir = Path(sys.executable).parent
    roles: dict[str, subprocess.Popen] = {}
    host = f"http://127.0.0.1:{port}"
    try:
        # the commands of the Procfile, with this run's queue names
        for i in (1, 2):
            start(roles, [str(bin_dir / "celery"), "-A", "config", "worker", "-Q", f"{queue},{queue}-bulk",
                          "--concurrency", "1", "-n", f"{queue}-{i}@%h", "--loglevel", "INFO"],
                  f"worker-{i}", env, folder)
        start(roles, [str(bin_dir / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                      "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"], "beat", env, folder)
        start(roles, [str(bin_dir / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                      "--workers", "2", "--timeout", "120"], "web", env, folder)
        wait_until_up(f"{host}/healthz", roles["web"])
        names = [f"{queue}-{i}@{socket.gethostname()}" for i in (1, 2)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(app.control.ping(destination=names, timeout=1) or []) < 2:
            time.sleep(0.5)
        ready_status, ready_body = fetch(f"{host}/readyz")
        started = time.time()
        load = subprocess.run(
            [str(bin_dir / "locust"), "-f", "bench/_locustfile.py", "--headless", "--host", host,
             "--users", str(args.users), "--spawn-rate", str(args.users / max(args.ramp, 1)),
             "--run-time", f"{args.duration}s", "--stop-timeout", "10", "--only-summary", "--loglevel", "WARNING",
             "--exit-code-on-error", "0"], env=env, capture_output=True, text=True)
        ended = time.time()
        (folder / "locust.log").write_text(load.stderr)
        drained = wait_drained(since_pk, ended, timeout=args.drain_timeout)
        metrics_status, metrics_body = fetch(f"{host}/metrics", token)
        refused_status, _ = fetch(f"{host}/metrics")  # 127.0.0.1 is allowed: a token is not needed here…
        heartbeat = Heartbeat.objects.filter(name="scheduler").first()
    finally:
        for name in ("web", "worker-1", "worker-2", "beat"):
            if name in roles and roles[name].poll() is None:
                roles[name].send_signal(signal.SIGTERM)
        for process in roles.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        import redis

        redis.Redis.from_url(REDIS).delete(queue, f"{queue}-bulk")
    if load.returncode:
        sys.stderr.write(load.stderr[-3000:])
        raise RuntimeError(f"locust exited with {load.returncode}")
    recorded = json.loads(Path(config["samples"]).read_text())
    result = figures(recorded["samples"], started + args.ramp, ended)
    logs = task_lines(folder)
    try:
        ready = json.loads(ready_body)
    except ValueError:
        ready = {}
    overall = result["overall"]
    metric_names = {line.split("{")[0].split(" ")[0] for line in metrics_body.decode().splitlines()
                    if line and not line.startswith("#")}
    documents = {status: Document.objects.filter(pk__gt=since_pk, status=status).count()
                 for status in RenderStatus.values}
    figure = {
        "figure": f"multi-process on one machine: gunicorn 2 workers, 2 Celery workers (1 process each), beat "
                  f"(database schedule); locust {args.users} users, {args.duration} s (ramp {args.ramp} s)",
        "requests_per_s": overall["rps"], "p50_ms": overall["p50_ms"], "p95_ms": overall["p95_ms"],
        "errors": overall["errors"], "requests": overall["requests"],
        "groups": {g: {k: v for k, v in s.items() if k != "max_ms"} for g, s in result["groups"].items()},
        "licences_issued_under_load": Licence.objects.count() - licences_before,
        "signed_not_yet_decided": recorded["signed_left"],
        **duplicates(),
        "documents_issued_under_load": documents, "backlog_after_load": drained,
        "drained_within_10_s": drained["drained_after_s"] is not None and drained["drained_after_s"] <= 10,
        "scheduler_heartbeat_seen": heartbeat is not None,
        "readyz_status": ready_status, "readyz": ready.get("status"),
        "readyz_failed": {name: check["detail"] for name, check in ready.get("checks", {}).items() if not check["ok"]},
        "metrics_status": metrics_status, "metrics_without_token_from_127_0_0_1": refused_status,
        "our_metrics_exposed": sorted(n for n in metric_names if n.startswith("approvals_"))[:20],
        **logs,
        "failures_seen": locust_errors(load.stderr),
        "endpoints_with_errors": {name: {k: s[k] for k in ("requests", "errors", "p95_ms")}
                                  for name, s in result["endpoints"].items() if s["errors"]},
        "subjects": args.subjects, "licences": args.licences,
        "goal": GOAL,
    }
    if args.keep_logs:
        figure["logs"] = str(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return figure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--restrictions", type=int, default=2_000)
    parser.add_argument("--licences", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--ramp", type=int, default=10)
    parser.add_argument("--wait-min", type=float, default=0.5)
    parser.add_argument("--wait-max", type=float, default=1.5)
    parser.add_argument("--drain-timeout", type=float, default=120)
    parser.add_argument("--keep-logs", action="store_true", help="keep the roles' logs (path in the figure)")
    args = parser.parse_args()
    missing = services_missing()
    if missing:
        print(json.dumps({"figure": "multi-process on one machine", "skipped": missing, "goal": GOAL}))
        return
    # this process fills the database with tasks in-process; the roles it starts get the broker
    # the sessions made here are signed with the key the roles use: one secret key for all (as on every node)
    os.environ.update({"DATABASE_URL": PG + f"bench_mp_{os.getpid()}", "LOG_LEVEL": "WARNING",
                       "DJANGO_SECRET_KEY": secrets.token_urlsafe(40)})
    os.environ.pop("CELERY_BROKER_URL", None)
    setup_django()
    with throwaway_database():
        print(json.dumps(run(args), ensure_ascii=False))


if __name__ == "__main__":
    main()
