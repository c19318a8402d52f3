"""Periodic sweeps at scale (issue 8): the overdue-obligation sweep over N obligations and the restriction
expiry sweep over M ended restrictions (goal < 10 s each).

python -m bench.sweeps [--obligations 1000000] [--restrictions 100000]
(BENCH_DATABASE_NAME=<name> to name the throwaway database when several runs share a server.)

Overdue is derived from the due date when read; the sweep only counts the obligations newly overdue in its period.
Measured with every obligation overdue and the period covering all of them (the worst case: it counts all N).
Baselines in the same run: a plain COUNT(*) of all obligations (the ratio), and, for comparison with the old
figure, a bare UPDATE of the same rows (what writing an overdue flag would cost at least). Restriction expiry:
a bare UPDATE of the same rows (what the database must do anyway)."""

import argparse
import json
import time
from datetime import timedelta

from bench._harness import setup_django, throwaway_database


def run(n_obligations: int, n_restrictions: int) -> dict:
    from django.db.models import F
    from django.utils import timezone

    from demo.generator import Generator, analyze
    from demo.management.commands.load_demo import load_matters
    from inspections.models import Obligation
    from inspections.services import obligations_sweep_overdue
    from sanctions.models import Restriction, RestrictionState
    from sanctions.services import restrictions_expire

    load_matters()
    generator = Generator(seed=9, progress=lambda message: None)
    generator.subjects(max(1000, n_obligations // 10))
    generator.licences(n_obligations)
    generator.restrictions(n_restrictions)
    analyze()
    later = timezone.now() + timedelta(days=3 * 365)  # every obligation overdue, every restriction ended

    start = time.perf_counter()
    flagged = obligations_sweep_overdue(today=later.date(), since=later.date() - timedelta(days=10 * 365))
    obligations_wall = time.perf_counter() - start
    start = time.perf_counter()
    Obligation.objects.count()
    obligations_baseline = time.perf_counter() - start
    start = time.perf_counter()
    Obligation.objects.update(share=F("share"))
    obligations_update = time.perf_counter() - start

    start = time.perf_counter()
    Restriction.objects.filter(state=RestrictionState.ACTIVE).update(lift_reason="")
    restrictions_baseline = time.perf_counter() - start
    start = time.perf_counter()
    expired = restrictions_expire(now=later)
    restrictions_wall = time.perf_counter() - start
    return {
        "figure": "sweeps: overdue obligations (derived when read: the sweep is one COUNT of the newly overdue, here "
                  "all of them; baseline a plain COUNT(*) of the table, and the bare UPDATE for comparison) and "
                  "restriction expiry (chunks of one statement: state, state change, feed record; baseline the bare "
                  "UPDATE)",
        "obligations": n_obligations, "newly_overdue": flagged, "obligations_wall_s": round(obligations_wall, 2),
        "obligations_baseline_count_s": round(obligations_baseline, 2),
        "obligations_bare_update_s": round(obligations_update, 2),
        "obligations_ratio": round(obligations_wall / obligations_baseline, 1) if obligations_baseline else None,
        "restrictions": n_restrictions, "expired": expired, "restrictions_wall_s": round(restrictions_wall, 2),
        "restrictions_baseline_update_s": round(restrictions_baseline, 2),
        "restrictions_ratio": round(restrictions_wall / restrictions_baseline, 1) if restrictions_baseline else None,
        "goal": "< 10 s each (1,000,000 obligations; 100,000 restrictions)",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--obligations", type=int, default=100_000)
    parser.add_argument("--restrictions", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    with throwaway_database():
        print(json.dumps(run(args.obligations, args.restrictions), ensure_ascii=False))


if __name__ == "__main__":
    main()
