"""Packaged commitment (打包承诺, case 14 Dezhou: 1,063 nurses) end to end: create (over PACKAGE_SYNC_LIMIT
persons it is prepared by the task, in-process without a broker) + sign once + decide all.

python -m bench.package [--people 1063] [--sample 20]
Baselines measured in the same run:
- floor: a bare Django bulk insert of the rows the package ends with (applications, matters, two credit checks,
  notices, state changes, licences, obligations; no rules, no locks, no viewflow processes);
- one by one: the single-application path (intake, notify, sign with a one-time code, decide) for a sample of
  persons, times N: what the same licences cost without the package."""

import argparse
import json
import time

from bench._harness import setup_django, throwaway_database

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

    timings = {}
    start = time.perf_counter()
    package = package_create(organisation_id=hospital.pk, matter_code=MATTER, person_ids=[p.pk for p in people],
                             title="基准批次", by=staff)  # committed at once: the task runs after the commit
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


def run(n: int, sample: int) -> dict:
    from django.db import connection
    from django.test import override_settings

    with override_settings(OTP_SENDER="approvals.otp.MemorySender"):
        staff, director_user, hospital, people = prepare(n + sample)
        packaged, single = people[:n], people[n:]
        timings = package_path(staff, director_user, hospital, packaged)
        per_person = one_by_one(staff, single)
    base = floor(staff, hospital, packaged)
    total = sum(timings.values())
    return {
        "figure": f"packaged commitment for {n} persons: create (task, eager) + sign + decide",
        "database": connection.vendor,
        "people": n,
        **{k: round(v, 2) for k, v in timings.items()},
        "total_s": round(total, 2),
        "baseline_floor_s": round(base, 2),
        "ratio_to_baseline": round(total / base, 1),
        "one_by_one_estimate_s": round(per_person * n, 1),
        "speedup_vs_one_by_one": round(per_person * n / total, 1),
        "goal": "decide < 60 s on SQLite for 1,063",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1063)
    parser.add_argument("--sample", type=int, default=20, help="persons for the one-by-one estimate")
    args = parser.parse_args()
    setup_django()
    with throwaway_database():
        print(json.dumps(run(args.people, args.sample), ensure_ascii=False))


if __name__ == "__main__":
    main()
