"""双随机 draw over N licences with an inspector pool, at a share (issue 6/8: 1,000,000 licences, 5,000
inspectors, 5 % → goal < 2 s, and the same result for the same inputs twice).

python -m bench.draw [--licences 1000000] [--inspectors 5000] [--share 5]
wall_s: the run, what the supervisor waits for (the result fixed and stored, the task that writes its assignments
sent to a broker queue no worker reads, as a production run hands it to the workers). apply_s: that task's work,
run here afterwards as a worker would (assignments and obligation states, a chunk per transaction);
in_effect_s: the two together.
Baseline in the same run: reading the same population the way the draw does (the query it cannot avoid); also
reported, the same query fetched as rows into Python (what the baseline measured before issue 8's change)."""

import argparse
import json
import os
import time

from bench._harness import setup_django, throwaway_database, unconsumed_queue


def run(n_licences: int, n_inspectors: int, share: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from approvals.models import Matter
    from approvals.roles import SUPERVISOR
    from demo.generator import Generator, analyze
    from demo.management.commands.load_demo import load_matters
    from inspections.models import DrawMode
    from inspections.services import draw_apply, draw_define, draw_run, draw_verify
    from inspections.services.draws import _population

    load_matters()
    generator = Generator(seed=8, progress=lambda message: None)
    generator.subjects(max(1000, n_licences // 5))
    pool = generator.inspectors(n_inspectors)
    generator.licences(n_licences, issued_within_days=300)
    analyze()
    supervisor = get_user_model().objects.create(username="bench-supervisor")
    from django.contrib.auth.models import Group

    supervisor.groups.add(Group.objects.get_or_create(name=SUPERVISOR)[0])
    today = timezone.localdate()
    draw = draw_define(by=supervisor, title="bench", matters=list(Matter.objects.all()),
                       issued_from=today - timezone.timedelta(days=400), issued_to=today,
                       inspectors=get_user_model().objects.filter(pk__in=pool), seed_number="20261125",
                       mode=DrawMode.SHARE, share_percent=share)

    from django.db import connection

    from inspections.services.draws import _population_query

    start = time.perf_counter()  # the population as rows into Python (the baseline of the first runs of this bench)
    sql, params = _population_query(draw).order_by("pk").values_list("pk", "holder_id", "share").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = len(cursor.fetchall())
    rows_read = time.perf_counter() - start

    start = time.perf_counter()
    ids = _population(draw)  # what any draw must read: the population, sorted (packed by the database since issue 8)
    baseline = time.perf_counter() - start
    assert len(ids) == rows

    start = time.perf_counter()
    draw = draw_run(draw_id=draw.pk, by=supervisor)
    wall = time.perf_counter() - start
    assert draw.applied_at is None  # its task went to the broker

    start = time.perf_counter()
    draw = draw_apply(draw.pk)
    apply = time.perf_counter() - start
    assert draw.applied_at is not None

    start = time.perf_counter()
    problems = draw_verify(draw)
    verify = time.perf_counter() - start
    return {
        "figure": "random draw (双随机): targets and two inspectors each, stored for audit",
        "licences": n_licences, "population": len(ids), "inspectors": n_inspectors, "share_percent": share,
        "targets": len(draw.result), "wall_s": round(wall, 2), "apply_s": round(apply, 2),
        "in_effect_s": round(wall + apply, 2), "baseline_population_read_s": round(baseline, 2),
        "ratio_to_baseline": round(wall / baseline, 1) if baseline else None,
        "population_as_rows_read_s": round(rows_read, 2),
        "verify_recompute_s": round(verify, 2), "same_result_twice": problems == [],
        "goal": "< 2 s at 1,000,000 licences / 5,000 inspectors / 5 % (the run; its assignments follow in the "
                "background); recomputation matches",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--licences", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=5_000)
    parser.add_argument("--share", type=float, default=5.0)
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()
    with unconsumed_queue(args.broker):
        setup_django()
        with throwaway_database():
            print(json.dumps(run(args.licences, args.inspectors, args.share), ensure_ascii=False))


if __name__ == "__main__":
    main()
