"""Documents (issue 5): one certificate's rendering, and a 1,063-certificate package on real workers.

python -m bench.documents render  [--repeat 30]
    One certificate: context from the database + template + WeasyPrint (what document_render spends, storage
    aside), as a ratio to a bare WeasyPrint render of the same page as static HTML in the same run
    (goal <= 1.3x). Also the whole document_render service (lock, render, file, row) for reference.
python -m bench.documents package [--people 1063] [--workers 2] [--after-decide]
    The package is decided in this process; its certificates and listing are rendered by `--workers` Celery
    workers (solo pool, one process each) started here on Redis, against PostgreSQL. Wall time from the
    decision's start until every certificate and the listing are stored (goal < 60 s), and each worker's peak
    RSS (VmHWM). Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379: skips
    with a message if either is missing.
python -m bench.documents          both

Parallel runs keep apart with BENCH_DOCUMENTS_REDIS (the broker and result backend, default
redis://127.0.0.1:6379/8) and BENCH_DOCUMENTS_DB (the throwaway database's name, default test_<DATABASE_URL's name>
for render, test_bench_docs_<pid> for package).
"""

import argparse
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._harness import measure, setup_django, summary, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379/"
BROKER = os.environ.get("BENCH_DOCUMENTS_REDIS", REDIS + "8")


def _own_database_name() -> None:
    """BENCH_DOCUMENTS_DB, if set, names the throwaway database (instead of test_<name>)."""
    from django.db import connection

    if os.environ.get("BENCH_DOCUMENTS_DB"):
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.environ["BENCH_DOCUMENTS_DB"]


def _quiet():
    for name in ("weasyprint", "weasyprint.progress", "fontTools", "celery"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _certificates(n: int):
    """n licences of a decided package, certificates rendered (in-process: tasks eager here)."""
    from django.test import override_settings

    from bench.package import package_path, prepare

    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        staff, director_user, hospital, people = prepare(n)
        package_path(staff, director_user, hospital, people)


def run_render(repeat: int) -> dict:
    from django.db import connection
    from django.utils import translation
    from weasyprint import HTML

    from documents.context import BUILDERS
    from documents.models import Document, DocumentKind, RenderStatus
    from documents.rendering import render_html, render_pdf
    from documents.services import document_render

    _certificates(1)
    document = Document.objects.get(kind=DocumentKind.CERTIFICATE)
    template, build = BUILDERS[document.kind]
    with translation.override(document.holder.language):
        static = render_html(template, build(Document.objects.get(pk=document.pk)))

    def certificate():
        with translation.override(document.holder.language):
            render_pdf(template, build(Document.objects.select_related("holder").get(pk=document.pk)))

    def bare():
        HTML(string=static, base_url=str(ROOT)).write_pdf()

    def service():
        Document.objects.filter(pk=document.pk).update(status=RenderStatus.PENDING)
        document_render(document.pk)

    for _ in range(3):  # warm-up
        bare(), certificate()
    pairs = []
    for _ in range(repeat):  # alternating, so that another process's load hits both alike
        pairs.append((measure(bare, repeat=1, warmup=0)[0], measure(certificate, repeat=1, warmup=0)[0]))
    base = summary([b for b, _c in pairs])
    cert = summary([c for _b, c in pairs])
    ratios = sorted(c / b for b, c in pairs)
    whole = summary(measure(service, repeat=max(repeat // 3, 5), warmup=2))
    pages = len(HTML(string=static, base_url=str(ROOT)).render().pages)
    return {
        "figure": "one certificate: context + template + WeasyPrint, vs bare WeasyPrint of the same static page",
        "database": connection.vendor,
        "pages": pages,
        "certificate_median_ms": cert["median_ms"],
        "certificate_p95_ms": cert["p95_ms"],
        "baseline_bare_weasyprint_median_ms": base["median_ms"],
        "ratio_to_baseline": round(cert["median_ms"] / base["median_ms"], 2),
        "median_of_paired_ratios": round(ratios[len(ratios) // 2], 2),
        "document_render_service_median_ms": whole["median_ms"],
        "goal": "ratio <= 1.3",
    }


# --- the package on real workers -------------------------------------------------------------------------

def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _services_missing() -> str | None:
    if not _reachable("127.0.0.1", 5432):
        return "PostgreSQL is not reachable at 127.0.0.1:5432"
    if not _reachable("127.0.0.1", 6379):
        return "Redis is not reachable at 127.0.0.1:6379"
    try:
        import redis

        redis.Redis.from_url(BROKER, socket_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        return f"Redis does not answer at 127.0.0.1:6379: {error}"
    return None


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds the process has used: what the load of other processes does not inflate."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)
    except (OSError, IndexError, ValueError):
        return None


def _start_workers(count: int, env: dict, queue: str, logs: Path) -> list[subprocess.Popen]:
    workers = []
    for i in range(1, count + 1):
        log = open(logs / f"worker-{i}.log", "w")  # noqa: SIM115 - closed with the process
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", f"{queue},{queue}-bulk", "--pool=solo",
             "-n", f"{queue}-{i}@%h", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
    return workers


def _wait_ready(names: list[str], timeout: float = 60) -> None:
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(destination=names, timeout=1) or []
        if len(replies) == len(names):
            return
    raise RuntimeError(f"workers {names} did not start within {timeout} s")


def _stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_package(n: int, worker_count: int, logs: Path, after_decide: bool = False) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from approvals.models import ApplicationState, Package
    from approvals.services import package_decide
    from approvals.otp import MemorySender
    from approvals.services import otp_request, package_create, package_sign
    from bench.package import prepare
    from config.celery import app
    from documents.models import CertificateBatch, Document, DocumentKind, RenderStatus

    # set-up in-process (create, prepare, sign: a bench-only process, so app.conf may be set); only the
    # decision's documents go to the workers
    app.conf.task_always_eager = True
    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        staff, director_user, hospital, people = prepare(n)
        package = package_create(organisation_id=hospital.pk, matter_code="WSJK-HSZC-002",
                                 person_ids=[p.pk for p in people], title="基准批次", by=staff)
        otp_request(user=director_user)
        package_sign(package_id=package.pk, user=director_user, method="otp", secret=MemorySender.outbox[-1][1])
    app.conf.task_always_eager = False

    env = {**os.environ, "DATABASE_URL": _db_url(connection.settings_dict["NAME"]),
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONUNBUFFERED": "1"}
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    names = [f"{queue}-{i}@{socket.gethostname()}" for i in range(1, worker_count + 1)]
    certificates = Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package=package)
    workers = [] if after_decide else _start_workers(worker_count, env, queue, logs)
    try:
        if not after_decide:
            _wait_ready(names)
        start = time.perf_counter()
        result = package_decide(package_id=package.pk, by=staff)
        decided_s = time.perf_counter() - start
        if after_decide:  # the tasks wait in Redis; the clock restarts when the workers are up
            workers = _start_workers(worker_count, env, queue, logs)
            _wait_ready(names)
            start = time.perf_counter()
        assert len(result["licences"]) == n and not result["refused"], result["refused"]
        first_rendered_s = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            rendered = certificates.filter(status=RenderStatus.RENDERED).count()
            if rendered and first_rendered_s is None:
                first_rendered_s = time.perf_counter() - start
            batch = CertificateBatch.objects.filter(package=package).first()
            if (rendered == n and batch and batch.listing_status == RenderStatus.RENDERED
                    and batch.listing_count == n):
                break
            if any(w.poll() is not None for w in workers):
                raise RuntimeError(f"a worker exited; see {logs}")
            time.sleep(0.2)
        wall_s = time.perf_counter() - start
        peaks = [_peak_rss_mb(w.pid) for w in workers]
        cpu = [_cpu_s(w.pid) for w in workers]
        load = os.getloadavg()[0]
        rendered = certificates.filter(status=RenderStatus.RENDERED).count()
        failed = certificates.filter(status=RenderStatus.FAILED).count()
        batch = CertificateBatch.objects.get(package=package)
        assert Package.objects.get(pk=package.pk).applications.exclude(state=ApplicationState.DECIDED).count() == 0
        sizes = [d.size for d in certificates.only("size")]
    finally:
        _stop(workers)
    return {
        "figure": (f"{n}-certificate package: " + ("render (workers started after the decision)" if after_decide
                   else "decide + render") + f" every certificate and the listing on {worker_count} Celery "
                   "workers (Redis, solo pool)"),
        "database": connection.vendor,
        "certificates": n,
        "rendered": rendered,
        "failed": failed,
        "decide_s": round(decided_s, 2),
        "first_certificate_s": round(first_rendered_s or 0, 2),
        "wall_s": round(wall_s, 2),
        "per_certificate_ms": round(1000 * wall_s / n, 1),
        "listing_kb": round(batch.listing.size / 1024, 1) if batch.listing else None,
        "certificate_kb_median": round(sorted(sizes)[len(sizes) // 2] / 1024, 1) if sizes else None,
        "peak_rss_mb_per_worker": peaks,
        "worker_cpu_s": cpu,  # incl. start-up; with a CPU each, the wall time would be about the larger one
        "cpus": os.cpu_count(),
        "load_average_1min_at_end": round(load, 2),
        "goal": "wall < 60 s",
    }


def _db_url(name: str) -> str:
    return PG + name


def package_main(args) -> int:
    missing = _services_missing()
    if missing:
        print(json.dumps({"figure": "documents package on workers", "skipped": f"{missing}: start PostgreSQL "
                          "and Redis (see .ci/run) to run this benchmark"}, ensure_ascii=False))
        return 0
    tag = f"bench_docs_{os.getpid()}"
    media = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    # before Django starts: the workers and this process share the database, the broker, the queue, the files
    os.environ.update({"DATABASE_URL": PG + tag, "CELERY_BROKER_URL": BROKER,
                       "CELERY_RESULT_BACKEND": BROKER, "CELERY_TASK_DEFAULT_QUEUE": tag,
                       "MEDIA_ROOT": str(media)})
    setup_django()
    _own_database_name()
    _quiet()
    logs = ROOT / "artifacts" / "bench-documents"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        with throwaway_database():
            print(json.dumps(run_package(args.people, args.workers, logs, args.after_decide), ensure_ascii=False))
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return 0


def render_main(args) -> int:
    media = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process
    setup_django()
    _own_database_name()
    _quiet()
    try:
        with throwaway_database():
            print(json.dumps(run_render(args.repeat), ensure_ascii=False))
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="?", choices=["render", "package", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--people", type=int, default=1063)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--after-decide", action="store_true",
                        help="start the workers only after the decision: its time and the rendering's apart")
    args = parser.parse_args()
    if args.which == "both":  # separate processes: each sets its environment before Django starts
        failed = 0
        for which in ("render", "package"):
            failed |= subprocess.call([sys.executable, "-m", "bench.documents", which,
                                       f"--repeat={args.repeat}", f"--people={args.people}",
                                       f"--workers={args.workers}"], cwd=ROOT)
        sys.exit(failed)
    sys.exit(render_main(args) if args.which == "render" else package_main(args))


if __name__ == "__main__":
    main()
