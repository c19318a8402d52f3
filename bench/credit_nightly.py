"""The nightly credit run at scale (issue 13): every subject's score under the model in use, set-based (entries
synced by INSERT … SELECT from the obligations whose window passed and from the restrictions, then every score
by one INSERT … SELECT … ON CONFLICT). Goal: < 10 minutes at 1,000,000 subjects on PostgreSQL.

python -m bench.credit_nightly [--subjects 1000000] [--licences 1000000] [--restrictions 100000]
python -m bench.credit_nightly --reuse   # the database DATABASE_URL names, already filled by generate_data

Two runs are timed: the first night (the entries of a year of obligations and of every restriction are written
first, then every score) and a steady night (the windows ended since the last run synced, every score computed
again, only the changed ones written). Baseline in the same run: a bare
aggregate over the same rows (each subject joined to its entries, counted and summed into a new table) — what
the database must do anyway to look at every subject's entries once."""

import argparse
import json
import time

from bench._harness import setup_django, throwaway_database


def baseline() -> float:
    from django.db import connection

    from approvals.models import Subject
    from credit.models import Entry

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_credit_baseline")
        cursor.execute(
            f"CREATE TABLE bench_credit_baseline AS SELECT t.id, COUNT(e.id) AS n, SUM(e.quantity) AS q "
            f"FROM {Subject._meta.db_table} t LEFT JOIN {Entry._meta.db_table} e ON e.subject_id = t.id "
            "GROUP BY t.id")
        cursor.execute("DROP TABLE bench_credit_baseline")
    return time.perf_counter() - start


def run(generate: dict | None) -> dict:
    from django.db import connection
    from django.utils import timezone

    from approvals.models import Subject
    from credit.models import Entry, Score
    from credit.services import active_version, nightly_run

    if generate:
        from demo.generator import Generator, analyze
        from demo.management.commands.load_demo import load_matters

        load_matters()
        generator = Generator(seed=13, progress=lambda message: None)
        generator.subjects(generate["subjects"])
        generator.restrictions(generate["restrictions"])
        generator.licences(generate["licences"])
        analyze()
    from credit.models import NightlyRun

    version = active_version()
    day = timezone.localdate()
    subjects = Subject.objects.count()
    with connection.cursor() as cursor:  # a first night from nothing, also on a database filled before (--reuse)
        for model in (Score, Entry, NightlyRun):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    first = nightly_run(day, version)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Entry._meta.db_table}" if connection.vendor == "postgresql" else "ANALYZE")
    steady = nightly_run(day, version)
    base = baseline()
    by_grade = dict(Score.objects.filter(version=version).values_list("grade").annotate(
        n=__import__("django.db.models", fromlist=["Count"]).Count("id")).order_by("grade"))
    return {
        "figure": f"credit nightly run ({version.model.code} v{version.number}): entries synced, every score "
                  "computed, the changed ones written (one INSERT … SELECT … ON CONFLICT)",
        "subjects": subjects, "scores": Score.objects.filter(version=version).count(), "entries": Entry.objects.count(),
        "first_night_entries_added": first.entries_added, "first_night_scores_written": first.scores,
        "steady_night_scores_written": steady.scores, "by_grade": by_grade,
        "first_night_s": round(first.seconds, 1), "steady_night_s": round(steady.seconds, 1),
        "baseline_bare_aggregate_s": round(base, 1),
        "ratio_steady_to_baseline": round(steady.seconds / base, 1) if base else None,
        "goal": "< 600 s at 1,000,000 subjects (PostgreSQL)",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--licences", type=int, default=1_000_000)
    parser.add_argument("--restrictions", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="use the filled database DATABASE_URL names")
    args = parser.parse_args()
    setup_django()
    if args.reuse:
        print(json.dumps(run(None), ensure_ascii=False))
        return
    with throwaway_database():
        print(json.dumps(run({"subjects": args.subjects, "licences": args.licences,
                              "restrictions": args.restrictions}), ensure_ascii=False))


if __name__ == "__main__":
    main()
