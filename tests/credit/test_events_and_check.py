"""Our own events feed the score (a violation's acts, a restriction, an upheld objection, a verification that
passed, a window that passed) and the credit check uses the computed grade and records which score it saw."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals.models import CreditCheck
from approvals.roles import SUPERVISOR
from approvals.services import credit_check_run
from credit.models import CheckScore, Entry, Score
from credit.services import recalculate
from sanctions.services import objection_decide, objection_file, violation_grade, violation_revoke
from tests.approvals.factories import (
    ApplicationFactory, ApplicationMatterFactory, CreditGradeFactory, MatterVersionFactory, OrganisationFactory,
    PersonFactory, UserFactory,
)
from tests.approvals.process import applicant, make_matter, matter, staff  # noqa: F401
from tests.sanctions.test_ladder import licensed, open_case

from .helpers import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR)


def check(subject, **version_kwargs):
    version = MatterVersionFactory(**{"allows_commitment": True, "commitment_grades": ["A"], **version_kwargs})
    application = ApplicationFactory(subject=subject)
    ApplicationMatterFactory(application=application, matter_version=version)
    result = credit_check_run(application_id=application.pk)
    (entitlement,) = result.entitlements.values()
    return result, entitlement


def test_the_entitlement_changes_when_the_computed_grade_crosses_a_threshold():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="B", assessed_on=timezone.localdate() - timedelta(days=10))
    entry(person, "commitment_kept", timezone.localdate() - timedelta(days=3))  # 320 + 20 = 340: still B
    first, entitlement = check(person)
    assert entitlement["grade"] == "B" and "commitment" not in entitlement["modes"]
    entry(person, "commitment_kept", timezone.localdate() - timedelta(days=2))  # 360: A from 360
    recalculate([person.pk])
    second, entitlement = check(person)
    assert entitlement["grade"] == "A" and "commitment" in entitlement["modes"]
    seen = CheckScore.objects.get(credit_check=second, subject=person)
    assert (seen.grade, seen.points, seen.imported) == ("A", Decimal("360.00"), False)
    assert seen.version.model.code == "huzhou"
    assert "湖州个人诚信码" in second.inputs["facts"][0]["grade"]["source"]
    assert CheckScore.objects.get(credit_check=first, subject=person).points == Decimal("340.00")


def test_an_organisation_keeps_its_imported_grade_when_no_model_scores_it():
    company = OrganisationFactory()
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="C")
    result, entitlement = check(company)
    rows = {row.role: row for row in CheckScore.objects.filter(credit_check=result)}
    assert rows["subject"].imported and rows["subject"].grade == "A"
    assert not rows["legal_representative"].imported and rows["legal_representative"].points == Decimal("260.00")
    assert entitlement["grade"] == "C"


def test_a_graded_violation_counts_its_restriction_too_and_an_upheld_objection_removes_both(
        applicant, matter, staff, supervisor):
    CreditGradeFactory(subject=applicant, grade="A", assessed_on=timezone.localdate() - timedelta(days=1))
    _application, licence = licensed(applicant, staff)
    case = open_case(applicant, supervisor, "false_materials", licences=[licence])
    violation_grade(violation_id=case.pk, by=supervisor)
    violation_revoke(violation_id=case.pk, by=supervisor, reason="以欺骗手段取得行政许可")
    sources = set(Entry.objects.filter(subject=applicant, withdrawn_at__isnull=True).values_list("source", flat=True))
    assert {"violation_3", "restriction"} <= sources
    score = Score.objects.get(subject=applicant)
    assert (score.points, score.grade) == (Decimal("160.00"), "D")  # 360 − 100 − 100

    objection = objection_file(violation_id=case.pk, by=applicant.user, grounds="身份证系被盗用，已报案")
    objection_decide(objection_id=objection.pk, by=supervisor, upheld=True, reasons="公安机关出具被冒用证明")
    assert not Entry.objects.filter(subject=applicant, violation_id=case.pk, withdrawn_at__isnull=True).exists()
    score.refresh_from_db()
    assert (score.points, score.grade) == (Decimal("360.00"), "A")


def test_a_window_passed_without_a_finding_counts_as_kept(applicant, matter, staff):
    from inspections.models import Obligation

    _application, licence = licensed(applicant, staff)  # the fixture's imported grade A: 900 × 40 % = 360
    obligation = Obligation.objects.get(licence=licence)
    later = obligation.due_on + timedelta(days=1)
    assert recalculate([applicant.pk], obligation.due_on)[applicant.pk].points == Decimal("360.00")
    result = recalculate([applicant.pk], later)[applicant.pk]
    assert result.points == Decimal("380.00")
    kept = Entry.objects.get(source_key=f"obligation:{obligation.pk}")
    assert (kept.source, kept.occurred_on) == ("commitment_kept", obligation.due_on)
    recalculate([applicant.pk], later)  # idempotent: still one entry
    assert Entry.objects.filter(subject=applicant, source="commitment_kept").count() == 1


def test_a_verification_that_passed_counts_as_a_commitment_kept(staff, supervisor):
    from inspections.models import Obligation
    from inspections.services import record_item, record_open, record_sign
    from tests.inspections.test_draws_and_records import assigned_check, make_matter  # noqa: F401

    from approvals.roles import INSPECTOR

    version = make_matter()
    pool = [UserFactory(role=INSPECTOR) for _ in range(4)]
    licence, obligation, (first, second) = assigned_check(staff, supervisor, pool, version)
    record = record_open(obligation_id=obligation.pk, by=first)
    for item in record.items.all():
        record_item(record_id=record.pk, item_id=item.pk, by=first, result="met")
    record_sign(record_id=record.pk, by=first)
    record_sign(record_id=record.pk, by=second)
    obligation.refresh_from_db()
    assert obligation.state == "compliant"
    kept = Entry.objects.get(source_key=f"obligation:{obligation.pk}")
    assert (kept.subject_id, kept.source, kept.occurred_on) == (
        licence.holder_id, "commitment_kept", timezone.localdate(obligation.concluded_at))
    assert Score.objects.get(subject_id=licence.holder_id).points == Decimal("380.00")  # A: 360 + 20


def test_staff_follow_the_credit_check_to_the_score_explanation(client, staff, applicant, matter):  # noqa: F811
    """The application page's credit check links each checked subject to its score and entries."""
    from approvals.services import application_start

    application = application_start(subject_id=applicant.pk, matter_codes=[matter.matter.code], channel="counter",
                                    by=staff)
    client.force_login(staff)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert f'href="/credit/subjects/?q={applicant.number}"' in html
    page = client.get("/credit/subjects/", {"q": applicant.number}, follow=True)
    assert page.redirect_chain[-1][0] == f"/credit/subjects/{applicant.pk}/"
    assert applicant.name in page.content.decode()
