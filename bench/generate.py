"""generate_data at provincial scale (issue 8: 1,000,000 subjects in under 3 minutes on this 2-core machine), and
that the same seed gives the same data.

python -m bench.generate [--subjects 1000000]
Baseline in the same run: the database's own floor for as many rows, one INSERT … SELECT generate_series of
(id, number, name) into an unlogged scratch table (no Python, no check digits, no grades)."""

import argparse
import json
import time

from bench._harness import setup_django, throwaway_database


def fingerprint() -> str:
    """A digest of every subject's number, name and representative, in id order (PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(string_agg(number || name || coalesce(legal_representative_id::text, ''), ','"
                       " ORDER BY id)) FROM approvals_subject")
        return cursor.fetchone()[0] or ""


def fill(n: int, seed: int) -> float:
    from demo.generator import Generator, analyze

    start = time.perf_counter()
    Generator(seed=seed, progress=lambda message: None).subjects(n)
    analyze()
    return time.perf_counter() - start


def run(n: int) -> dict:
    from django.db import connection

    from approvals.models import CreditGrade, Subject

    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute("CREATE UNLOGGED TABLE bench_floor (id bigint, number text, name text)")
        cursor.execute("INSERT INTO bench_floor SELECT i, lpad(i::text, 18, '0'), 'name' || i FROM "
                       "generate_series(1, %s) i", [n])
        baseline = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_floor")
    wall = fill(n, seed=1)
    first = fingerprint()
    counts = {"subjects": Subject.objects.count(), "grades": CreditGrade.objects.count()}
    with connection.cursor() as cursor:  # again with the same seed, on an empty table
        cursor.execute("TRUNCATE approvals_creditgrade, approvals_subject CASCADE")
    fill(n, seed=1)
    return {
        "figure": "generate_data: subjects (85 % persons with valid ID numbers, 15 % organisations with valid credit "
                  "codes and legal representatives) and grades, by COPY",
        "subjects": counts["subjects"], "grades": counts["grades"], "wall_s": round(wall, 1),
        "baseline_generate_series_s": round(baseline, 2), "ratio_to_baseline": round(wall / baseline, 1),
        "same_seed_same_data": fingerprint() == first,
        "goal": "1,000,000 subjects in < 180 s; same seed, same data",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django()
    with throwaway_database():
        print(json.dumps(run(args.subjects), ensure_ascii=False))


if __name__ == "__main__":
    main()
