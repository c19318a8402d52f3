"""批前信用核验: the subject and an organisation's legal representative are checked on every application;
the entitlement per matter follows, each refusal with a reason in Chinese (case 14 Dezhou, seed 001)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import CheckStage, CreditCheck
from approvals.services import credit_check_run
from tests.approvals.factories import (
    ApplicationFactory, ApplicationMatterFactory, CreditGradeFactory, MatterVersionFactory, OrganisationFactory,
    PersonFactory,
)
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def apply(subject, *versions):
    application = ApplicationFactory(subject=subject)
    for version in versions or [MatterVersionFactory(allows_green_channel=True, green_channel_grades=["A"])]:
        ApplicationMatterFactory(application=application, matter_version=version)
    return application


def only_entitlement(check):
    (entitlement,) = check.entitlements.values()
    return entitlement


def test_a_grade_a_person_gets_every_mode_the_matter_allows():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A")
    check = credit_check_run(application_id=apply(person).pk)
    assert only_entitlement(check)["modes"] == ["standard", "commitment", "lenient", "green"]
    assert only_entitlement(check)["reasons"] == []


def test_a_restricted_legal_representative_blocks_commitment_with_a_dated_reason():
    company = OrganisationFactory()
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="A")
    restriction = RestrictionFactory(subject=company.legal_representative)
    check = credit_check_run(application_id=apply(company).pk)
    entitlement = only_entitlement(check)
    assert entitlement["modes"] == ["standard"]
    end = timezone.localtime(restriction.ends_at).date().isoformat()
    assert any(reason.startswith(f"法定代表人处于违诺制约期至 {end}") and "不适用告知承诺" in reason
               for reason in entitlement["reasons"]), entitlement["reasons"]
    assert check.restricted


def test_a_seriously_dishonest_subject_gets_standard_review_only():
    from approvals.services import dishonest_list_import

    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A")
    dishonest_list_import(data=f"号码,名称,列入日期\n{person.number},{person.name},2026-01-01\n".encode(), filename="l.csv")
    entitlement = only_entitlement(credit_check_run(application_id=apply(person).pk))
    assert entitlement["modes"] == ["standard"]
    assert "严重失信" in "".join(entitlement["reasons"])


def test_grade_c_loses_commitment_but_keeps_lenient_acceptance():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="C")
    entitlement = only_entitlement(credit_check_run(application_id=apply(person).pk))
    assert entitlement["modes"] == ["standard", "lenient"]
    assert "信用等级C不在本事项可适用告知承诺的等级（A、B）之内。" in entitlement["reasons"]


def test_the_worse_grade_of_company_and_legal_representative_counts():
    company = OrganisationFactory()
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="D")
    entitlement = only_entitlement(credit_check_run(application_id=apply(company).pk))
    assert entitlement["grade"] == "D"
    assert entitlement["modes"] == ["standard"]


def test_an_ungraded_subject_is_treated_as_configured_and_told_so(settings):
    settings.CREDIT_UNGRADED_AS = "B"
    entitlement = only_entitlement(credit_check_run(application_id=apply(PersonFactory()).pk))
    assert entitlement["grade"] == "B"
    assert "commitment" in entitlement["modes"]
    assert any("无信用等级记录" in r for r in entitlement["reasons"]), entitlement["reasons"]


def test_a_restriction_on_one_matter_blocks_only_that_matter():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A")
    food, hygiene = MatterVersionFactory(), MatterVersionFactory()
    RestrictionFactory(subject=person, scope="matter", matter=food.matter)
    check = credit_check_run(application_id=apply(person, food, hygiene).pk)
    assert check.modes_for(food.pk) == ["standard"]
    assert check.allows(hygiene.pk, "commitment")


def test_the_check_is_stored_as_evidence():
    company = OrganisationFactory()
    grade = CreditGradeFactory(subject=company, grade="A")
    check = credit_check_run(application_id=apply(company).pk)
    stored = CreditCheck.objects.get(pk=check.pk)
    assert stored.rule_version and stored.stage == CheckStage.INTAKE
    roles = [f["role"] for f in stored.inputs["facts"]]
    assert roles == ["subject", "legal_representative"]
    assert stored.inputs["facts"][0]["grade"]["id"] == grade.pk
    assert stored.inputs["facts"][1]["number"] == company.legal_representative.number


def test_the_decision_check_sees_a_restriction_imposed_after_intake():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A")
    application = apply(person)
    intake = credit_check_run(application_id=application.pk)
    RestrictionFactory(subject=person, starts_at=timezone.now() - timedelta(seconds=1))
    decision = credit_check_run(application_id=application.pk, stage=CheckStage.DECISION)
    assert "commitment" in only_entitlement(intake)["modes"]
    assert only_entitlement(decision)["modes"] == ["standard"]
    assert application.credit_checks.count() == 2


def test_an_ended_restriction_no_longer_blocks():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A")
    RestrictionFactory(subject=person, ended=True)
    assert "commitment" in only_entitlement(credit_check_run(application_id=apply(person).pk))["modes"]
