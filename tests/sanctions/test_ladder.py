"""The three-level ladder end to end at the service level (case 14 Dezhou), with a clock we can move."""

from datetime import timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals.models import ApplicationState, LicenceState, StateChange
from approvals.roles import SUPERVISOR
from approvals.services import (
    Refused, application_choose_commitment, application_decide, application_start, signature_sign,
)
from approvals.services.intake import commitment_refusals
from sanctions.models import (
    FeedAction, FeedCategory, FeedRecord, Level, RestrictionState, ViolationKind, ViolationState,
)
from sanctions.selectors import active_restrictions, key_supervision_targets, published_restrictions, published_violations
from sanctions.services import (
    objection_decide, objection_file, rectifications_sweep, repair_decide, repair_file, restriction_impose_manual,
    restriction_lift_by_supervisor, restrictions_expire, violation_escalate, violation_grade, violation_open_manual,
    violation_order_rectification, violation_record_not_rectified, violation_record_rectified, violation_revoke,
)
from tests.approvals.factories import PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, make_matter, matter, staff  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor():
    return UserFactory(role=SUPERVISOR)


def licensed(person, staff):
    application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD,
                   ip_address="10.0.0.8", user_agent="Mobile Safari")
    (licence,) = application_decide(application_id=application.pk, by=staff)
    return application, licence


def open_case(person, supervisor, kind, licences=(), application=None):
    return violation_open_manual(subject=person, kind=kind, findings="核查发现所报经营场所不存在，所附租赁合同系伪造",
                                 evidence="现场核查记录、出租方证明", licences=licences, application=application,
                                 by=supervisor)


def targets(case):
    return list(StateChange.objects.filter(object_id=case.pk, content_type__model="violation")
                .order_by("pk").values_list("target", flat=True))


def test_dezhou_fraud_is_terminated_revoked_restricted_and_eligible_again_after_six_months(
        applicant, matter, staff, supervisor):
    application, licence = licensed(applicant, staff)
    running = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                by=applicant.user)
    case = open_case(applicant, supervisor, "false_materials", licences=[licence], application=running)
    assert case.number.startswith(f"WN-{timezone.localdate().year}-")

    case = violation_grade(violation_id=case.pk, by=supervisor)
    assert case.level == Level.RESTRICT and case.state == ViolationState.GRADED
    case = violation_revoke(violation_id=case.pk, by=supervisor, reason="以欺骗手段取得行政许可")

    licence.refresh_from_db()
    running.refresh_from_db()
    assert licence.state == LicenceState.REVOKED and licence.revoked_at
    assert running.state == ApplicationState.TERMINATED
    assert case.state == ViolationState.CLOSED
    assert targets(case) == ["opened", "graded", "revoked", "restricted", "closed"]
    (restriction,) = active_restrictions(applicant, timezone.now())
    assert restriction.violation == case and restriction.key_supervision
    assert restriction.ends_at == restriction.starts_at + relativedelta(months=6)  # Dezhou: six calendar months
    assert [r.pk for r in key_supervision_targets(timezone.now())] == [restriction.pk]
    assert list(published_violations(timezone.now())) == [case]
    assert list(published_restrictions(timezone.now())) == [restriction]
    assert set(FeedRecord.objects.filter(category__in=[FeedCategory.VIOLATION, FeedCategory.RESTRICTION])
               .values_list("category", "action")) == {(FeedCategory.VIOLATION, FeedAction.PUBLISH),
                                                        (FeedCategory.RESTRICTION, FeedAction.PUBLISH)}

    # the next application gets standard review only
    later = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online", by=applicant.user)
    assert commitment_refusals(later)
    with pytest.raises(Refused):
        application_choose_commitment(application_id=later.pk, by=applicant.user)

    # one second before the end still restricted; at the end eligible again, even before the sweep runs
    with time_machine.travel(restriction.ends_at - timedelta(seconds=1), tick=False):
        assert active_restrictions(applicant, timezone.now()) == [restriction]
        assert restrictions_expire() == 0
    with time_machine.travel(restriction.ends_at, tick=False):
        again = application_start(subject_id=applicant.pk, matter_codes=["WS-001"], channel="online",
                                  by=applicant.user)
        assert commitment_refusals(again) == []
        assert list(published_restrictions(timezone.now())) == []
        assert restrictions_expire() == 1
    restriction.refresh_from_db()
    assert restriction.state == RestrictionState.EXPIRED
    assert FeedRecord.objects.filter(category=FeedCategory.RESTRICTION, action=FeedAction.WITHDRAW).count() == 1


def test_level_one_rectified_in_time_is_closed_with_the_record_kept(applicant, matter, staff, supervisor):
    _, licence = licensed(applicant, staff)
    case = open_case(applicant, supervisor, "untrue", licences=[licence])
    violation_grade(violation_id=case.pk, by=supervisor)
    case = violation_order_rectification(violation_id=case.pk, by=supervisor)
    assert case.rectification_deadline > timezone.localdate()
    case = violation_record_rectified(violation_id=case.pk, by=supervisor, report="已补充消毒设施并通过复查")
    licence.refresh_from_db()
    assert case.state == ViolationState.CLOSED and licence.state == LicenceState.VALID
    assert targets(case) == ["opened", "graded", "rectification_ordered", "rectified", "closed"]


def test_level_one_past_its_deadline_becomes_level_two_and_the_licence_is_revoked(applicant, matter, staff,
                                                                                  supervisor):
    _, licence = licensed(applicant, staff)
    case = open_case(applicant, supervisor, "not_supplied", licences=[licence])
    violation_grade(violation_id=case.pk, by=supervisor)
    with pytest.raises(Refused):  # level 1 is not revoked directly
        violation_revoke(violation_id=case.pk, by=supervisor, reason="x")
    case = violation_order_rectification(violation_id=case.pk, by=supervisor)
    assert rectifications_sweep(today=case.rectification_deadline) == 0  # the deadline day still counts
    assert rectifications_sweep(today=case.rectification_deadline + timedelta(days=1)) == 1
    case.refresh_from_db()
    assert case.state == ViolationState.NOT_RECTIFIED and case.level == Level.REVOKE
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        with pytest.raises(Refused, match="not rectified|已过|逾期|未整改"):
            violation_record_rectified(violation_id=case.pk, by=supervisor, report="迟到的整改")
    case = violation_revoke(violation_id=case.pk, by=supervisor, reason="逾期未整改")
    licence.refresh_from_db()
    assert licence.state == LicenceState.REVOKED and case.state == ViolationState.CLOSED
    assert not active_restrictions(applicant, timezone.now())  # level 2 restricts nobody


def test_escalation_needs_a_reason_and_grading_never_goes_below_the_kind(applicant, matter, staff, supervisor):
    case = open_case(applicant, supervisor, "false_materials")
    with pytest.raises(Refused):
        violation_grade(violation_id=case.pk, by=supervisor, level=1)
    untrue = open_case(applicant, supervisor, "untrue")
    with pytest.raises(Refused) as refused:
        violation_grade(violation_id=untrue.pk, by=supervisor, level=3)
    assert "reason" in refused.value.message_dict
    violation_grade(violation_id=untrue.pk, by=supervisor)
    violation_order_rectification(violation_id=untrue.pk, by=supervisor)
    with pytest.raises(Refused):
        violation_escalate(violation_id=untrue.pk, by=supervisor, level=3, reason="  ")
    escalated = violation_escalate(violation_id=untrue.pk, by=supervisor, level=3, reason="整改中发现材料系伪造")
    assert escalated.state == ViolationState.GRADED and escalated.level == 3


def test_an_administrator_added_kind_follows_its_configured_level(applicant, supervisor):
    ViolationKind.objects.create(code="forged_seal", name="伪造印章", level=3)
    case = open_case(applicant, supervisor, "forged_seal")
    assert violation_grade(violation_id=case.pk, by=supervisor).level == 3
    with pytest.raises(Refused):
        open_case(applicant, supervisor, "no-such-kind")


def test_bad_input_is_refused_clearly(applicant, matter, staff, supervisor):
    case = open_case(applicant, supervisor, "untrue")
    violation_grade(violation_id=case.pk, by=supervisor)
    with pytest.raises(Refused, match="不能|cannot"):  # grading a graded case
        violation_grade(violation_id=case.pk, by=supervisor)
    violation_order_rectification(violation_id=case.pk, by=supervisor)
    violation_record_rectified(violation_id=case.pk, by=supervisor, report="已整改")
    with pytest.raises(Refused):  # a closed case
        violation_grade(violation_id=case.pk, by=supervisor)
    with pytest.raises(Refused):  # a restriction that ends before it starts
        now = timezone.now()
        restriction_impose_manual(subject=applicant, reason="r", legal_basis="b", starts_at=now,
                                  ends_at=now - timedelta(days=1), by=supervisor)
    with pytest.raises(Refused) as refused:
        restriction_impose_manual(subject=applicant, reason="r", legal_basis=" ", starts_at=timezone.now(),
                                  ends_at=timezone.now() + timedelta(days=30), by=supervisor)
    assert "legal_basis" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        violation_grade(violation_id=case.pk, by=staff)
    with pytest.raises(PermissionDenied):
        open_case(applicant, staff, "untrue")


def test_lifting_an_expired_restriction_is_refused_even_before_the_sweep(applicant, supervisor):
    now = timezone.now()
    restriction = restriction_impose_manual(subject=applicant, reason="检查不合格", legal_basis="《办法》第十条",
                                            starts_at=now, ends_at=now + timedelta(days=1), by=supervisor)
    with time_machine.travel(restriction.ends_at, tick=False):
        with pytest.raises(Refused, match="2"):
            restriction_lift_by_supervisor(restriction_id=restriction.pk, by=supervisor, reason="修复")
    restriction.refresh_from_db()
    assert restriction.state == RestrictionState.ACTIVE  # nothing changed; the sweep records the expiry


def fraud_concluded(applicant, staff, supervisor):
    _, licence = licensed(applicant, staff)
    case = open_case(applicant, supervisor, "identity", licences=[licence])
    violation_grade(violation_id=case.pk, by=supervisor)
    return violation_revoke(violation_id=case.pk, by=supervisor, reason="冒用他人身份")


def test_an_objection_freezes_publication_and_upheld_withdraws_everything_derived(applicant, matter, staff,
                                                                                 supervisor):
    case = fraud_concluded(applicant, staff, supervisor)
    now = timezone.now()
    assert list(published_violations(now)) == [case]
    objection = objection_file(violation_id=case.pk, by=applicant.user, grounds="身份证系被盗用，已报案")
    assert list(published_violations(timezone.now())) == []
    assert list(published_restrictions(timezone.now())) == []
    with pytest.raises(Refused):  # objecting twice to the same finding
        objection_file(violation_id=case.pk, by=applicant.user, grounds="再次异议")
    with pytest.raises(PermissionDenied):
        objection_file(violation_id=case.pk, by=PersonFactory(user=UserFactory()).user, grounds="x")
    assert objection.due_on > timezone.localdate()

    objection_decide(objection_id=objection.pk, by=supervisor, upheld=True, reasons="公安机关出具被冒用证明")
    case.refresh_from_db()
    assert case.state == ViolationState.WITHDRAWN
    assert active_restrictions(applicant, timezone.now()) == []
    assert case.restrictions.get().state == RestrictionState.WITHDRAWN
    assert list(published_violations(timezone.now())) == []
    withdrawals = FeedRecord.objects.filter(action=FeedAction.WITHDRAW).values_list("category", flat=True)
    assert sorted(withdrawals) == ["restriction", "violation"]
    with pytest.raises(Refused):
        objection_decide(objection_id=objection.pk, by=supervisor, upheld=False, reasons="x")


def test_a_rejected_objection_publishes_again(applicant, matter, staff, supervisor):
    case = fraud_concluded(applicant, staff, supervisor)
    objection = objection_file(violation_id=case.pk, by=applicant.user, grounds="不服")
    objection_decide(objection_id=objection.pk, by=supervisor, upheld=False, reasons="证据确凿")
    assert list(published_violations(timezone.now())) == [case]
    actions = list(FeedRecord.objects.filter(category=FeedCategory.VIOLATION).values_list("action", flat=True))
    assert actions == ["publish", "withdraw", "publish"]


def test_credit_repair_lifts_the_restriction_early_and_ends_publication(applicant, matter, staff, supervisor):
    case = fraud_concluded(applicant, staff, supervisor)
    repair = repair_file(violation_id=case.pk, by=applicant.user, evidence="已参加信用修复培训并完成公益服务")
    with pytest.raises(Refused):
        repair_file(violation_id=case.pk, by=applicant.user, evidence="again")
    with pytest.raises(Refused):
        repair_decide(repair_id=repair.pk, by=supervisor, approved=True, reasons=" ")
    repair_decide(repair_id=repair.pk, by=supervisor, approved=True, reasons="修复材料齐全")
    assert active_restrictions(applicant, timezone.now()) == []
    assert case.restrictions.get().state == RestrictionState.LIFTED
    assert list(published_violations(timezone.now())) == []
    with pytest.raises(Refused):  # nothing left to repair
        repair_file(violation_id=case.pk, by=applicant.user, evidence="再次")


def test_a_rolled_back_act_leaves_no_feed_record_nor_restriction(applicant, supervisor):
    case = open_case(applicant, supervisor, "identity")
    violation_grade(violation_id=case.pk, by=supervisor)
    before = FeedRecord.objects.count()

    class Crash(Exception):
        pass

    with pytest.raises(Crash):
        with transaction.atomic():
            violation_revoke(violation_id=case.pk, by=supervisor, reason="冒用身份")
            assert FeedRecord.objects.count() > before  # written inside the act's transaction …
            raise Crash
    assert FeedRecord.objects.count() == before  # … and gone with it
    case.refresh_from_db()
    assert case.state == ViolationState.GRADED and not case.restrictions.exists()
