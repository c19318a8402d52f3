"""Packaged commitment (打包承诺, case 14 Dezhou: 1,063 nurses) end to end: create (over PACKAGE_SYNC_LIMIT
persons it is prepared by the task, here run in this process as a worker would, right after the create) + sign
once + decide all.

As in production, the work after each commit (the certificates and their listing, notices, messages) is published
to Redis and left to workers: here to a queue of this run's own that no worker reads (bench._harness.
unconsumed_queue, deleted at the end), so the decision is measured without rendering 1,063 PDFs inside it (that
rendering on 2 workers is bench.documents' figure); the certificates the decision numbered and queued are counted.

python -m bench.package [--people 1063] [--sample 20] [--broker redis://127.0.0.1:6379/12]
Baselines measured in the same run:
- floor: a bare Django bulk insert of the rows the package ends with (applications, matters, two credit checks,
  notices, state changes, licences, obligations; no rules, no locks, no viewflow processes);
- one by one: the single-application path (intake, notify, sign with a one-time code, decide) for a sample of
  persons, times N: what the same licences cost without the package."""

import argparse
import json
import os
import time

from bench._harness import setup_django, throwaway_database, unconsumed_queue

MATTER = "WSJK-HSZC-002"  # 护士执业注册 in the demo catalog


def _person_number(i: int) -> str:
    from stdnum.cn import ric

    body = f"371402{19800101 + i % 28}{i % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def prepare(n: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from stdnum.cn import uscc

    from approvals.models import CreditGrade, Subject
    from approvals.roles import APPLICANT, WINDOW_STAFF, roles_sync
    from demo.management.commands.load_demo import load_matters

    roles_sync()
    load_matters()
    User = get_user_model()
    staff = User.objects.create_user("bench-staff", password="x")
    staff.groups.add(Group.objects.get(name=WINDOW_STAFF))
    director_user = User.objects.create_user("bench-director", password="bench-password-1")
    director_user.groups.add(Group.objects.get(name=APPLICANT))
    director = Subject.objects.create(kind="person", name="院长", number=_person_number(10**6 - 1), user=director_user)
    body = "12371400MB0000001"
    hospital = Subject.objects.create(kind="organisation", name="基准医院", number=body + uscc.calc_check_digit(body),
                                      legal_representative=director)
    # numbers unique by position (the check digit is irrelevant to the package path)
    people = Subject.objects.bulk_create(
        [Subject(kind="person", name=f"护士{i}", number=f"{i:06d}" + _person_number(i)[6:]) for i in range(n)],
        batch_size=1000)
    CreditGrade.objects.bulk_create(
        [CreditGrade(subject=s, grade="A", source="bench", assessed_on="2026-01-01")
         for s in [hospital, director, *people]], batch_size=1000)
    return staff, director_user, hospital, people


def package_path(staff, director_user, hospital, people) -> dict:
    from approvals.models import ApplicationState, PackageStatus
    from approvals.otp import MemorySender
    from approvals.services import otp_request, package_create, package_decide, package_sign
    from approvals.tasks import package_prepare
    from outbox.services import KEY_ARGUMENT

    timings = {}
    start = time.perf_counter()
    package = package_create(organisation_id=hospital.pk, matter_code=MATTER, person_ids=[p.pk for p in people],
                             title="基准批次", by=staff)  # committed at once: the task is published at the commit
    if package.status == PackageStatus.PREPARING:
        # the preparation task, run here as a worker would run the message just published (nobody reads the queue)
        package_prepare.apply(args=[package.pk], kwargs={KEY_ARGUMENT: f"package-prepare:{package.pk}"})
    package.refresh_from_db()
    timings["create_s"] = time.perf_counter() - start
    assert package.status == PackageStatus.READY, package.refusals

    start = time.perf_counter()
    otp_request(user=director_user)
    package_sign(package_id=package.pk, user=director_user, method="otp", secret=MemorySender.outbox[-1][1])
    timings["sign_s"] = time.perf_counter() - start

    start = time.perf_counter()
    result = package_decide(package_id=package.pk, by=staff)
    timings["decide_s"] = time.perf_counter() - start
    assert len(result["licences"]) == len(people) and not result["refused"]
    assert package.applications.exclude(state=ApplicationState.DECIDED).count() == 0
    return timings


def one_by_one(staff, people) -> float:
    """Seconds per person on the single-application path (each person signs their own letter)."""
    from django.contrib.auth import get_user_model

    from approvals.otp import MemorySender
    from approvals.services import (
        application_choose_commitment, application_decide, application_start, otp_request, signature_sign,
    )

    User = get_user_model()
    for i, person in enumerate(people):
        person.user = User.objects.create_user(f"bench-nurse-{i}", password="x")
        person.save(update_fields=["user"])
    start = time.perf_counter()
    for person in people:
        application = application_start(subject_id=person.pk, matter_codes=[MATTER], channel="counter", by=staff)
        application_choose_commitment(application_id=application.pk, by=staff)
        otp_request(user=person.user)
        signature_sign(application_id=application.pk, user=person.user, method="otp",
                       secret=MemorySender.outbox[-1][1])
        application_decide(application_id=application.pk, by=staff)
    return (time.perf_counter() - start) / len(people)


def floor(staff, hospital, people) -> float:
    """Seconds to bulk-insert the rows a decided package consists of, with no rules at all."""
    from django.contrib.contenttypes.models import ContentType

    from approvals.models import (
        Application, ApplicationMatter, CommitmentLetter, CreditCheck, Licence, Matter, Notice, Package, StateChange,
    )
    from inspections.models import Obligation

    matter = Matter.objects.get(code=MATTER)
    version = matter.current_version()
    at = "2026-01-01T00:00Z"
    start = time.perf_counter()
    package = Package.objects.create(organisation=hospital, matter_version=version, title="floor", created_by=staff,
                                     status="ready", people=[p.pk for p in people])
    CommitmentLetter.objects.create(package=package, signer_subject=hospital, text="x" * 100 * len(people),
                                    sha256="0" * 64)
    applications = Application.objects.bulk_create(
        [Application(subject=p, channel="package", created_by=staff, package=package, state="decided",
                     mode="commitment") for p in people])
    matters = ApplicationMatter.objects.bulk_create(
        [ApplicationMatter(application=a, matter_version=version, mode="commitment") for a in applications])
    CreditCheck.objects.bulk_create(
        [CreditCheck(application=a, stage=stage, checked_at=at, rule_version="b", inputs={}, entitlements={})
         for a in applications for stage in ("intake", "decision")])
    Notice.objects.bulk_create([Notice(application=a, text="x" * 2000, sha256="0" * 64) for a in applications])
    licences = Licence.objects.bulk_create(
        [Licence(application_matter=am, matter=matter, holder=am.application.subject, number=f"FLOOR-{i}", year=1999,
                 sequence=i, valid_from="2026-01-01", issued_at=at, issued_by=staff)
         for i, am in enumerate(matters, start=1)])
    Obligation.objects.bulk_create(
        [Obligation(licence=lic, method="documents", scope="random", due_on="2026-03-01") for lic in licences])
    app_type, lic_type = ContentType.objects.get_for_model(Application), ContentType.objects.get_for_model(Licence)
    StateChange.objects.bulk_create(
        [StateChange(content_type=app_type, object_id=a.pk, source=s, target=t, by=staff)
         for a in applications for s, t in (("draft", "submitted"), ("submitted", "checked"),
                                            ("checked", "notified"), ("notified", "committed"),
                                            ("committed", "decided"))]
        + [StateChange(content_type=lic_type, object_id=lic.pk, source="", target="valid", by=staff)
           for lic in licences])
    return time.perf_counter() - start


def left_to_workers(package_id: int) -> dict:
    """What the decision numbered and queued for the workers (none of it rendered here)."""
    from documents.models import Document, DocumentKind, RenderStatus
    from outbox.models import Message

    certificates = Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package_id=package_id)
    return {"certificates_numbered": certificates.count(),
            "certificates_rendered_in_run": certificates.filter(status=RenderStatus.RENDERED).count(),
            "certificate_render_messages": Message.objects.filter(
                task_name="documents.tasks.certificates_render").count()}


def run(n: int, sample: int) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    from approvals.models import Package

    assert not settings.CELERY_TASK_ALWAYS_EAGER, "the after-commit work must go to the broker, not run here"
    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        staff, director_user, hospital, people = prepare(n + sample)
        packaged, single = people[:n], people[n:]
        timings = package_path(staff, director_user, hospital, packaged)
        queued = left_to_workers(Package.objects.get().pk)
        per_person = one_by_one(staff, single)
    base = floor(staff, hospital, packaged)
    total = sum(timings.values())
    return {
        "figure": f"packaged commitment for {n} persons: create (its task run in-process) + sign + decide; "
                  "after-commit work (certificates, notices) published to Redis, not rendered",
        "database": connection.vendor,
        "people": n,
        **{k: round(v, 2) for k, v in timings.items()},
        "total_s": round(total, 2),
        "baseline_floor_s": round(base, 2),
        "ratio_to_baseline": round(total / base, 1),
        "one_by_one_estimate_s": round(per_person * n, 1),
        "speedup_vs_one_by_one": round(per_person * n / total, 1),
        **queued,
        "goal": "decide < 60 s for 1,063 (rendering them on 2 workers: bench.documents)",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1063)
    parser.add_argument("--sample", type=int, default=20, help="persons for the one-by-one estimate")
    parser.add_argument("--broker", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()
    with unconsumed_queue(args.broker):
        setup_django()
        with throwaway_database():
            print(json.dumps(run(args.people, args.sample), ensure_ascii=False))


if __name__ == "__main__":
    main()
