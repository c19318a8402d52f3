"""Each path through the application process, end to end at the service level (case 14 Dezhou,
case 15 Wuhan, case 17 Tibet, case 12 Delingha)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from approvals.models import (
    ApplicationState, CheckStage, Licence, LicenceCounter, Signature, Supplement, SupplementState,
)
from approvals.services import (
    EntitlementChanged, Refused, application_accept_lenient, application_choose_commitment,
    application_choose_standard, application_decide, application_reject, application_start, application_terminate,
    signature_sign, supplement_review, supplement_supply, supplements_sweep,
)
from inspections.models import Obligation
from sanctions.models import Violation
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory
from tests.approvals.process import PASSWORD, applicant, make_matter, matter, png, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def commit(application, person):
    application_choose_commitment(application_id=application.pk, by=person.user)
    return signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD,
                          ip_address="10.0.0.8", user_agent="Mobile Safari")


def test_on_the_spot_issue(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    assert application.state == ApplicationState.CHECKED
    signature = commit(application, applicant)
    assert signature.text_sha256 == application.letter.sha256 and signature.ip_address == "10.0.0.8"
    assert "健康合格证明" in application.letter.text and "意思表示真实" in application.letter.text
    licences = application_decide(application_id=application.pk, by=staff)

    application.refresh_from_db()
    assert application.state == ApplicationState.DECIDED and application.decided_by == staff
    (licence,) = licences
    year = timezone.localdate().year
    assert licence.number == f"WS-001-{year}-000001" and licence.holder == applicant
    obligation = Obligation.objects.get(licence=licence)
    assert obligation.due_on == licence.valid_from + timedelta(days=90)
    assert list(application.credit_checks.values_list("stage", flat=True).order_by("pk")) == [
        CheckStage.INTAKE, CheckStage.DECISION]


def test_lenient_acceptance_supplied_in_time(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    commit(application, applicant)
    deferred = matter.materials.get(kind="deferrable")
    (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                               missing_material_ids=[deferred.pk])
    assert supplement.deadline > timezone.localdate()
    supplement_supply(supplement_id=supplement.pk, upload=png(), by=applicant.user)
    supplement_review(supplement_id=supplement.pk, by=staff, accept=False, reason="扫描件不清晰")
    supplement_supply(supplement_id=supplement.pk, upload=png("again.png"), by=applicant.user)
    supplement = supplement_review(supplement_id=supplement.pk, by=staff, accept=True)
    assert supplement.state == SupplementState.ACCEPTED
    application_decide(application_id=application.pk, by=staff)
    assert supplements_sweep(today=supplement.deadline + timedelta(days=30)) == {"overdue": 0, "failed": 0,
                                                                                 "violations": 0}


def test_lenient_acceptance_fails_before_the_decision_when_not_supplied(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    commit(application, applicant)
    (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    assert supplements_sweep(today=supplement.deadline)["overdue"] == 0  # the deadline day itself still counts
    result = supplements_sweep(today=supplement.deadline + timedelta(days=1))
    application.refresh_from_db()
    assert result["failed"] == 1 and application.state == ApplicationState.FAILED
    assert "视为形式审查不通过" in application.outcome_reason


def test_not_supplied_after_an_on_the_spot_decision_opens_a_violation_once(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    commit(application, applicant)
    (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    (licence,) = application_decide(application_id=application.pk, by=staff)
    later = supplement.deadline + timedelta(days=1)
    assert supplements_sweep(today=later)["violations"] == 1
    assert supplements_sweep(today=later)["violations"] == 0
    violation = Violation.objects.get()
    assert violation.kind_id == "not_supplied" and list(violation.licences.all()) == [licence]
    with pytest.raises(Refused, match="补正期限|deadline"):
        supplement_supply(supplement_id=supplement.pk, upload=png(), by=applicant.user)


def test_standard_review_approve_and_reject(applicant, matter, staff):
    approved = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    application_choose_standard(application_id=approved.pk, by=applicant.user)
    (licence,) = application_decide(application_id=approved.pk, by=staff)
    assert not Obligation.objects.filter(licence=licence).exists()  # only notify-and-commit licences

    rejected = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    application_choose_standard(application_id=rejected.pk, by=staff)
    with pytest.raises(Refused):
        application_reject(application_id=rejected.pk, by=staff, reason=" ")
    application_reject(application_id=rejected.pk, by=staff, reason="场所不符合卫生要求")
    rejected.refresh_from_db()
    assert rejected.state == ApplicationState.REJECTED and rejected.decision_due_on is not None


def test_termination_needs_a_reason_and_stops_everything(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    commit(application, applicant)
    with pytest.raises(Refused):
        application_terminate(application_id=application.pk, by=staff, reason="")
    application_terminate(application_id=application.pk, by=staff, reason="申请人撤回申请")
    with pytest.raises(Refused, match="终止"):
        application_decide(application_id=application.pk, by=staff)


def test_several_matters_issue_several_licences_at_once(applicant, matter, staff):
    make_matter(code="GH-002")
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001", "GH-002"], channel="online",
                                    by=applicant.user)
    commit(application, applicant)
    licences = application_decide(application_id=application.pk, by=staff)
    assert sorted(licence.number.split("-")[0] for licence in licences) == ["GH", "WS"]


def test_restricted_legal_representative_is_refused_notify_and_commit(matter, staff):
    company = OrganisationFactory()
    CreditGradeFactory(subject=company, grade="A")
    restriction = RestrictionFactory(subject=company.legal_representative)
    application = application_start(subject_id=company.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    end = timezone.localtime(restriction.ends_at).date().isoformat()
    with pytest.raises(Refused, match=f"法定代表人处于违诺制约期至 {end}"):
        application_choose_commitment(application_id=application.pk, by=staff)
    application_choose_standard(application_id=application.pk, by=staff)  # standard review stays open


def test_a_restriction_imposed_before_the_decision_is_seen_and_the_check_kept(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    commit(application, applicant)
    RestrictionFactory(subject=applicant, starts_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(EntitlementChanged, match="违诺制约"):
        application_decide(application_id=application.pk, by=staff)
    application.refresh_from_db()
    assert application.state == ApplicationState.COMMITTED and not Licence.objects.exists()
    assert application.credit_checks.filter(stage=CheckStage.DECISION, restricted=True).exists()


def test_deciding_twice_is_refused_and_issues_nothing_more(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    commit(application, applicant)
    application_decide(application_id=application.pk, by=staff)
    with pytest.raises(Refused, match="已"):
        application_decide(application_id=application.pk, by=staff)
    assert Licence.objects.count() == 1 and LicenceCounter.objects.get().last == 1


def test_an_applicant_cannot_decide_and_staff_cannot_sign(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                    by=applicant.user)
    application_choose_commitment(application_id=application.pk, by=staff)
    with pytest.raises(PermissionDenied):
        signature_sign(application_id=application.pk, user=staff, method="password", secret=PASSWORD)
    assert not Signature.objects.exists()
    signature_sign(application_id=application.pk, user=applicant.user, method="password", secret=PASSWORD)
    with pytest.raises(PermissionDenied):
        application_decide(application_id=application.pk, by=applicant.user)


def test_supplements_only_for_deferrable_materials(applicant, matter, staff):
    application = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="counter", by=staff)
    commit(application, applicant)
    required = matter.materials.get(kind="required")
    with pytest.raises(Refused, match="营业执照"):
        application_accept_lenient(application_id=application.pk, by=staff, missing_material_ids=[required.pk])
    assert not Supplement.objects.exists()
