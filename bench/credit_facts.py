"""Credit facts look-up (what the credit check reads) for a subject and its legal representative.

python -m bench.credit_facts [--subjects 10000] [--restrictions 1000]
Prints median/p95/p99 and the ratio to a primary-key look-up measured in the same run."""

import argparse
import json
import random

from bench._harness import measure, setup_django, summary, throwaway_database


def populate(n_subjects: int, n_restrictions: int, seed: int = 1):
    from datetime import timedelta

    from django.utils import timezone
    from stdnum.cn import uscc

    from approvals.models import CreditGrade, Subject
    from sanctions.models import Restriction

    rng = random.Random(seed)
    people = []
    for i in range(n_subjects):
        body = f"110105{20000101 + i % 28}{i % 1000:03d}"
        people.append(Subject(kind="person", name=f"人{i}", number=f"{i:06d}" + body[6:]))
    Subject.objects.bulk_create(people, batch_size=2000)  # numbers unique, check digits irrelevant here
    people = list(Subject.objects.all())
    orgs = []
    for i in range(n_subjects // 10):
        body = f"91110000MA{i:07d}"
        orgs.append(Subject(kind="organisation", name=f"公司{i}", number=body + uscc.calc_check_digit(body),
                            legal_representative=rng.choice(people)))
    Subject.objects.bulk_create(orgs, batch_size=2000)
    today = timezone.localdate()
    CreditGrade.objects.bulk_create(
        [CreditGrade(subject=s, grade=rng.choice("AABBBCD"), source="bench", assessed_on=today) for s in people],
        batch_size=2000,
    )
    now = timezone.now()
    starts = [now - timedelta(days=rng.randint(0, 700)) for _ in range(n_restrictions)]
    Restriction.objects.bulk_create(
        [Restriction(subject=rng.choice(people), reason="bench", legal_act="bench", starts_at=start,
                     ends_at=start + timedelta(days=182)) for start in starts],
        batch_size=2000,
    )


def run(n_subjects: int, n_restrictions: int, repeat: int) -> dict:
    from approvals.models import Subject
    from approvals.selectors import credit_facts

    populate(n_subjects, n_restrictions)
    orgs = list(Subject.objects.filter(kind="organisation").select_related("legal_representative")[:2000])
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
