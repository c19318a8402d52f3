"""A restriction that comes into force between the intake check and the applicant's choice closes notify-and-commit
at the choice, not only at the decision: a fresh check ("at mode choice") is made and kept as the evidence, the
choice refused with the reason in Chinese, the application left where it was (standard review still open).
Lenient acceptance after signing is held to the same rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import ApplicationState, CheckStage, Material, Notice
from approvals.roles import APPLICANT
from approvals.services import (
    Refused, application_accept_lenient, application_choose_commitment, application_choose_standard,
    application_start, signature_sign,
)
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, make_matter, matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def started(subject, user):
    return application_start(subject_id=subject.pk, matter_codes=["WS-001"], channel="online", by=user)


def stages(application):
    return list(application.credit_checks.order_by("checked_at", "pk").values_list("stage", flat=True))


def restrict(subject, **kwargs):
    return RestrictionFactory(subject=subject, starts_at=timezone.now() - timedelta(seconds=1), **kwargs)


def test_no_restriction_since_intake_no_second_check(applicant, matter):
    application = started(applicant, applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    assert stages(application) == [CheckStage.INTAKE]
    application.refresh_from_db()
    assert application.state == ApplicationState.NOTIFIED


def test_a_restriction_since_intake_refuses_the_choice_and_keeps_the_check(applicant, matter):
    application = started(applicant, applicant.user)
    restriction = restrict(applicant)
    with pytest.raises(Refused) as refused:
        application_choose_commitment(application_id=application.pk, by=applicant.user)
    assert refused.value.code == "entitlement"
    end = timezone.localtime(restriction.ends_at).date().isoformat()
    assert f"违诺制约期至 {end}" in str(refused.value.messages), refused.value.messages
    application.refresh_from_db()
    assert application.state == ApplicationState.CHECKED and not Notice.objects.filter(application=application)
    # the fresh check outlives the refusal: it is the evidence, and what the application's page offers now
    assert stages(application) == [CheckStage.INTAKE, CheckStage.CHOICE]
    check = application.credit_checks.get(stage=CheckStage.CHOICE)
    assert check.restricted and [r["id"] for r in check.inputs["facts"][0]["restrictions"]] == [restriction.pk]
    assert set(check.modes_for(application.matters.get().matter_version_id)) == {"standard"}
    # asked again: refused on that check, no third one
    with pytest.raises(Refused):
        application_choose_commitment(application_id=application.pk, by=applicant.user)
    assert stages(application) == [CheckStage.INTAKE, CheckStage.CHOICE]
    application_choose_standard(application_id=application.pk, by=applicant.user)
    application.refresh_from_db()
    assert application.state == ApplicationState.UNDER_REVIEW


def test_a_restriction_on_the_legal_representative_since_intake_refuses_the_choice(matter):
    company = OrganisationFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="A")
    application = started(company, company.user)
    restrict(company.legal_representative)
    with pytest.raises(Refused) as refused:
        application_choose_commitment(application_id=application.pk, by=company.user)
    assert "法定代表人处于违诺制约期" in str(refused.value.messages)
    assert stages(application) == [CheckStage.INTAKE, CheckStage.CHOICE]


def test_a_restriction_on_another_matter_is_looked_at_and_leaves_the_choice_open(applicant, matter):
    other = make_matter(code="WS-002")
    application = started(applicant, applicant.user)
    restrict(applicant, scope="matter", matter=other.matter)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    application.refresh_from_db()
    assert application.state == ApplicationState.NOTIFIED
    assert stages(application) == [CheckStage.INTAKE, CheckStage.CHOICE]


def test_a_restriction_already_seen_at_intake_needs_no_new_check(applicant, matter):
    restrict(applicant)
    application = started(applicant, applicant.user)
    with pytest.raises(Refused):
        application_choose_commitment(application_id=application.pk, by=applicant.user)
    assert stages(application) == [CheckStage.INTAKE]


def test_lenient_acceptance_after_a_restriction_since_signing_is_refused_and_the_check_kept(applicant, matter, staff):
    application = started(applicant, applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    restrict(applicant)
    deferrable = Material.objects.get(version=matter, kind="deferrable")
    with pytest.raises(Refused) as refused:
        application_accept_lenient(application_id=application.pk, by=staff, missing_material_ids=[deferrable.pk])
    assert "不适用容缺受理" in str(refused.value.messages)
    application.refresh_from_db()
    assert application.state == ApplicationState.COMMITTED
    assert stages(application) == [CheckStage.INTAKE, CheckStage.CHOICE]
