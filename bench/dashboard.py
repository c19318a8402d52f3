"""The supervisor's dashboard at scale (issue 10): the whole page (every figure, chart and table, as a supervisor's
browser gets it) over N applications for the last 12 months, unfiltered and filtered; and the incremental refresh
of the summaries after 1,000 applications change. Goal: the page answers in under 1 s at 1,000,000 applications.

python -m bench.dashboard [--applications 1000000]            a throwaway database, generated (minutes at 1M)
python -m bench.dashboard --reuse                             the DATABASE_URL database as it is (generated once
                                                              with `manage.py generate_data`, then this with --reuse
                                                              diversifies it and rebuilds the summaries once)
Baseline in the same run: one COUNT(*) over the applications table (what any figure over the raw rows costs)."""

import argparse
import json
import time
from datetime import timedelta

from bench._harness import measure, setup_django, summary, throwaway_database


def diversify() -> None:
    """The generator's applications are all online notify-and-commit decided at intake; spread them over the
    channels and modes, with decision times from minutes to weeks and some still open (deterministic by id)."""
    from django.db import connection
    from django.db.models import Case, F, Value, When
    from django.db.models.functions import Mod

    from approvals.models import Application

    Application.objects.annotate(r=Mod(F("id"), 10)).update(
        channel=Case(When(r__lt=4, then=Value("counter")), When(r__lt=9, then=Value("online")),
                     default=Value("package")),
        mode=Case(When(r__in=[1, 5], then=Value("standard")), default=Value("commitment")))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("""UPDATE approvals_application SET
                decided_at = CASE WHEN id % 10 IN (1, 5) THEN submitted_at + (id % 31) * interval '9 hours'
                                  ELSE submitted_at + (id % 97) * interval '1 minute' END,
                state = CASE WHEN id % 53 = 0 THEN 'committed' WHEN id % 10 = 5 AND id % 7 = 0 THEN 'rejected'
                             ELSE state END""")
            cursor.execute("UPDATE approvals_application SET decided_at = NULL WHERE state = 'committed'")
            cursor.execute("UPDATE approvals_application SET decided_at = now() WHERE decided_at > now()")
            cursor.execute("ANALYZE")


def supervisor_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from approvals.roles import SUPERVISOR

    user, _created = get_user_model().objects.get_or_create(username="bench-supervisor")
    user.groups.add(Group.objects.get_or_create(name=SUPERVISOR)[0])
    client = Client()
    client.force_login(user)
    return client


def run(n: int, *, reuse: bool, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from approvals.models import Application, Matter
    from supervision.models import ApplicationFact
    from supervision.services import applications_refresh, summaries_refresh

    if reuse:
        setup_test_environment()
        n = Application.objects.count()
        if not n:
            raise SystemExit("the database has no applications: run manage.py generate_data first")
    else:
        from demo.generator import Generator, analyze
        from demo.management.commands.load_demo import load_matters

        load_matters()
        generator = Generator(seed=10, progress=lambda message: None)
        generator.subjects(max(1000, n // 10))
        generator.restrictions(max(100, n // 10))
        generator.licences(n)
        analyze()
    rebuild_s = None
    if not ApplicationFact.objects.exists():  # the first run over this data: diversify it and build the summaries
        diversify()
        start = time.perf_counter()
        summaries_refresh(rebuild=True)
        rebuild_s = round(time.perf_counter() - start, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    client = supervisor_client()
    today = timezone.localdate()
    year = {"start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    matter = Matter.objects.order_by("code").first()

    def page(query):
        def get():
            response = client.get("/supervision/", query)
            assert response.status_code == 200, response.status_code
        return get

    baseline = summary(measure(lambda: Application.objects.count(), repeat=repeat, warmup=3))
    unfiltered = summary(measure(page(year), repeat=repeat, warmup=3))
    department = summary(measure(page({**year, "department": matter.department}), repeat=repeat, warmup=3))
    narrow = summary(measure(page({**year, "matter": matter.pk, "channel": "counter"}), repeat=repeat, warmup=3))
    # the 1,000 latest applications decided (again) now: what a beat's refresh has to catch up with
    ids = list(Application.objects.filter(decided_at__isnull=False).order_by("-submitted_at")
               .values_list("pk", flat=True)[:1000])
    applications_refresh()
    Application.objects.filter(pk__in=ids).update(decided_at=timezone.now())
    start = time.perf_counter()
    recomputed = applications_refresh()
    refresh_s = time.perf_counter() - start
    return {
        "figure": "supervision dashboard: the whole page for the last 12 months (every figure, chart and table)",
        "applications": n, "dashboard_ms": unfiltered["median_ms"], "dashboard_p95_ms": unfiltered["p95_ms"],
        "department_filter_ms": department["median_ms"], "matter_and_channel_filter_ms": narrow["median_ms"],
        "baseline_count_ms": baseline["median_ms"],
        "dashboard_ratio": round(unfiltered["median_ms"] / baseline["median_ms"], 2),
        "refresh_after_1000_changes_s": round(refresh_s, 2), "refresh_recomputed": recomputed,
        **({"rebuild_s": rebuild_s} if rebuild_s is not None else {}),
        "goal": "< 1 s at 1,000,000 applications",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="the DATABASE_URL database as it is")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup_django()
    if args.reuse:
        print(json.dumps(run(args.applications, reuse=True, repeat=args.repeat), ensure_ascii=False))
        return
    with throwaway_database():
        print(json.dumps(run(args.applications, reuse=False, repeat=args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
