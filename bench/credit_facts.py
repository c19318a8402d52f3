"""Credit facts look-up (what the credit check reads) for a subject and its legal representative.

python -m bench.credit_facts [--subjects 10000] [--restrictions 1000]   (issue 8: also --subjects 1000000 --restrictions 100000)
Prints median/p95/p99 and the ratio to a primary-key look-up measured in the same run."""

import argparse
import json
import random

from bench._harness import measure, setup_django, summary, throwaway_database


def populate(n_subjects: int, n_restrictions: int, seed: int = 1):
    """Subjects (85 % persons, 15 % organisations with a legal representative), grades and restrictions by
    COPY through the data generator (generate_data), so 1,000,000 subjects take a minute, not an hour."""
    from demo.generator import Generator, analyze

    generator = Generator(seed=seed, progress=lambda message: None)
    generator.subjects(n_subjects)
    generator.restrictions(n_restrictions)
    analyze()


def run(n_subjects: int, n_restrictions: int, repeat: int) -> dict:
    from approvals.models import Subject
    from approvals.selectors import credit_facts

    populate(n_subjects, n_restrictions)
    orgs = list(Subject.objects.filter(kind="organisation").select_related("legal_representative").order_by("?")[:2000])
    rng = random.Random(2)

    def baseline():
        Subject.objects.get(pk=rng.choice(orgs).pk)

    def lookup():  # the subject is loaded already (it is, with the application)
        credit_facts(rng.choice(orgs))

    def lookup_with_fetch():
        credit_facts(Subject.objects.select_related("legal_representative").get(pk=rng.choice(orgs).pk))

    base = summary(measure(baseline, repeat=repeat))
    facts = summary(measure(lookup, repeat=repeat))
    fetched = summary(measure(lookup_with_fetch, repeat=repeat))
    return {
        "figure": "credit facts look-up (organisation + legal representative: grade, dishonest list, restrictions)",
        "subjects": n_subjects, "restrictions": n_restrictions,
        **facts, "baseline_pk_median_ms": base["median_ms"],
        "ratio_to_baseline": round(facts["median_ms"] / base["median_ms"], 1),
        "with_subject_fetch_median_ms": fetched["median_ms"],
        "goal": "median < 2 ms, within 1.5x from 10k to 1M subjects",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--restrictions", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    setup_django()
    with throwaway_database():
        print(json.dumps(run(args.subjects, args.restrictions, args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
