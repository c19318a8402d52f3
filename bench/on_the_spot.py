"""On-the-spot path (intake → credit check → notice → sign → decide → licence; PDF excluded).

As in production, the work after each commit (documents, messages) is published to Redis and left to workers:
here to a queue of this run's own that no worker reads (deleted at the end), so rendering stays out of the
figure and the publishing stays in. (With Celery eager, the embedded default, the PDFs would render inside.)

python -m bench.on_the_spot [--repeat 200]
Baseline, measured in the same run: a bare Django create+update of the same rows (no rules, no locks).
The signature's re-authentication is a one-time code here; with a password, PBKDF2 adds its own cost
(printed separately)."""

import argparse
import json
import os
import time

from bench._harness import measure, setup_django, summary, throwaway_database, unconsumed_queue


def prepare():
    from django.contrib.auth.models import Group

    from approvals.models import CreditGrade, Subject
    from approvals.roles import WINDOW_STAFF, roles_sync
    from demo.management.commands.load_demo import load_matters, person_number
    from django.contrib.auth import get_user_model

    roles_sync()
    load_matters()
    User = get_user_model()
    staff = User.objects.create_user("bench-staff", password="x")
    staff.groups.add(Group.objects.get(name=WINDOW_STAFF))
    user = User.objects.create_user("bench-applicant", password="bench-password-1")
    person = Subject.objects.create(kind="person", name="基准", number=person_number("37140219950312001"), user=user)
    CreditGrade.objects.create(subject=person, grade="A", source="bench", assessed_on="2026-01-01")
    return staff, user, person


def run(repeat: int) -> dict:
    from django.test import override_settings

    from approvals.models import (
        Application, ApplicationMatter, CommitmentLetter, CreditCheck, Licence, Matter, Notice, Signature,
        StateChange,
    )
    from approvals.otp import MemorySender
    from approvals.services import (
        application_choose_commitment, application_decide, application_start, otp_request, signature_sign,
    )
    from inspections.models import Obligation

    staff, user, person = prepare()
    code = "SCJG-SPJY-001"
    matter = Matter.objects.get(code=code)
    version = matter.current_version()

    def path(method="otp"):
        application = application_start(subject_id=person.pk, matter_codes=[code], channel="counter", by=staff)
        application_choose_commitment(application_id=application.pk, by=user)
        if method == "otp":
            otp_request(user=user)
            secret = MemorySender.outbox[-1][1]
        else:
            secret = "bench-password-1"
        signature_sign(application_id=application.pk, user=user, method=method, secret=secret)
        application_decide(application_id=application.pk, by=staff)

    counter = [0]

    def baseline():
        counter[0] += 1
        a = Application.objects.create(subject=person, channel="counter", created_by=staff, state="draft")
        am = ApplicationMatter.objects.create(application=a, matter_version=version, mode="commitment")
        CreditCheck.objects.create(application=a, stage="intake", checked_at="2026-01-01T00:00Z", rule_version="b",
                                   inputs={}, entitlements={})
        Notice.objects.create(application=a, text="x", sha256="0" * 64)
        letter = CommitmentLetter.objects.create(application=a, signer_subject=person, text="x", sha256="0" * 64)
        Signature.objects.create(letter=letter, signer=user, signer_subject=person, signed_at="2026-01-01T00:00Z",
                                 channel="online", text_sha256="0" * 64, reauth_method="otp")
        CreditCheck.objects.create(application=a, stage="decision", checked_at="2026-01-01T00:00Z", rule_version="b",
                                   inputs={}, entitlements={})
        licence = Licence.objects.create(application_matter=am, matter=matter, holder=person,
                                         number=f"BASE-{counter[0]}", year=1999, sequence=counter[0],
                                         valid_from="2026-01-01", issued_at="2026-01-01T00:00Z", issued_by=staff)
        Obligation.objects.create(licence=licence, method="on_site", scope="every", due_on="2026-04-01")
        for state in ("submitted", "checked", "notified", "committed", "decided"):
            a.state = state
            a.save(update_fields=["state"])
            StateChange.record(a, "", state)

    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        base = summary(measure(baseline, repeat=repeat, warmup=10))
        spot = summary(measure(path, repeat=repeat, warmup=10))
        start = time.perf_counter()
        path("password")
        with_password_ms = round((time.perf_counter() - start) * 1000, 1)
    return {
        "figure": "on-the-spot path, PDF excluded (OTP re-authentication)",
        **spot, "baseline_median_ms": base["median_ms"],
        "ratio_to_baseline": round(spot["median_ms"] / base["median_ms"], 2),
        "one_path_with_password_reauth_ms": with_password_ms,
        "goal": "median < 150 ms",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()
    with unconsumed_queue(args.broker):
        setup_django()
        with throwaway_database():
            print(json.dumps(run(args.repeat), ensure_ascii=False))


if __name__ == "__main__":
    main()
