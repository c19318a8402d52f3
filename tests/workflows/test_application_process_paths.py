"""The application process follows the services: each path through approvals.services leaves the matching
trail of viewflow tasks, with human tasks in the right inbox or queue."""

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from approvals.roles import WINDOW_STAFF
from approvals.services import (
    application_accept_lenient, application_choose_commitment, application_choose_standard, application_decide,
    application_reject, application_start, application_terminate, signature_sign, signature_withdraw,
    supplements_sweep,
)
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401
from tests.workflows.helpers import history, open_nodes, open_tasks, process_of

pytestmark = pytest.mark.django_db(transaction=True)  # acts commit: the process follows after the commit

D, C, N, A = STATUS.DONE, STATUS.CANCELED, STATUS.NEW, STATUS.ASSIGNED


def start(person, by):
    return application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=by)


def sign(application, person):
    return signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)


def test_on_the_spot_path(applicant, matter, staff):
    application = start(applicant, applicant.user)
    process = process_of(application)
    assert process.artifact == application and process.status == PROCESS.NEW
    assert history(application) == [("start", D), ("choose_mode", N)]

    application_choose_commitment(application_id=application.pk, by=applicant.user)
    process.refresh_from_db()
    assert (process.coerced.mode, process.coerced.last_event) == ("commitment", "notified")
    (sign_task,) = [t for t in open_tasks(application) if t.flow_task.name == "sign"]
    assert sign_task.status == A and sign_task.owner == applicant.user  # in the applicant's inbox
    assert open_nodes(application) == ["await_signature", "sign", "withdrawn_before_signing"]

    sign(application, applicant)
    sign_task.refresh_from_db()
    assert sign_task.status == D and sign_task.owner == applicant.user
    (decide,) = [t for t in open_tasks(application) if t.flow_task.name == "decide"]
    assert decide.status == N and decide.owner is None  # in the window-staff queue
    assert decide.owner_permission == "workflows.decide_application"
    assert staff.has_perm(decide.owner_permission)

    application_decide(application_id=application.pk, by=staff)
    process.refresh_from_db()
    assert process.status == PROCESS.DONE and process.finished is not None
    assert process.coerced.last_event == "decided"
    decide.refresh_from_db()
    assert decide.status == D and decide.owner == staff  # the queue task was taken by whoever decided
    assert history(application) == [
        ("start", D), ("choose_mode", D), ("route", D), ("await_signature", D), ("sign", D),
        ("withdrawn_before_signing", C), ("await_decision", D), ("decide", D), ("withdrawn_after_signing", C),
        ("end", D),
    ]


def test_standard_path_approved_and_rejected(applicant, matter, staff):
    approved, rejected = start(applicant, staff), start(applicant, staff)
    for application in (approved, rejected):
        application_choose_standard(application_id=application.pk, by=staff)
        assert open_nodes(application) == ["review"]
        (review,) = open_tasks(application)
        assert review.status == N and review.owner_permission == "workflows.review_application"

    application_decide(application_id=approved.pk, by=staff)
    application_reject(application_id=rejected.pk, by=staff, reason="场所不符合条件")
    for application, event in ((approved, "decided"), (rejected, "rejected")):
        process = process_of(application)
        assert process.status == PROCESS.DONE and process.coerced.last_event == event
        assert history(application) == [("start", D), ("choose_mode", D), ("route", D), ("review", D), ("end", D)]
        assert process.task_set.get(flow_task=process.flow_class.review).owner == staff


def test_withdrawn_signature_goes_back_to_the_mode_choice(applicant, matter, staff):
    application = start(applicant, applicant.user)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    signature_withdraw(application_id=application.pk, user=applicant.user, reason="先走一般程序")
    assert open_nodes(application) == ["choose_mode"]
    assert process_of(application).coerced.last_event == "signature_withdrawn"

    application_choose_commitment(application_id=application.pk, by=applicant.user)
    sign(application, applicant)
    signature_withdraw(application_id=application.pk, user=applicant.user)  # after signing: the decide task goes
    assert open_nodes(application) == ["choose_mode"]

    application_choose_standard(application_id=application.pk, by=applicant.user)
    assert process_of(application).coerced.mode == "standard"
    application_decide(application_id=application.pk, by=staff)
    assert process_of(application).status == PROCESS.DONE
    trail = history(application)
    assert [node for node, status in trail if status == C] == ["sign", "withdrawn_before_signing", "decide"]
    assert [node for node, status in trail if node.startswith("withdrawn") and status == D] == [
        "withdrawn_before_signing", "withdrawn_after_signing"]
    assert [node for node, _ in history(application)].count("choose_mode") == 3


def test_lenient_acceptance_keeps_the_decision_task_open(applicant, matter, staff):
    application = start(applicant, staff)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    sign(application, applicant)
    application_accept_lenient(application_id=application.pk, by=staff,
                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    assert "decide" in open_nodes(application) and process_of(application).coerced.lenient
    application_decide(application_id=application.pk, by=staff)
    assert process_of(application).status == PROCESS.DONE


def test_termination_cancels_the_open_tasks(applicant, matter, staff):
    application = start(applicant, staff)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    assert open_nodes(application)

    application_terminate(application_id=application.pk, by=staff, reason="申请人撤回申请")
    process = process_of(application)
    assert process.status == PROCESS.CANCELED and process.finished is not None
    assert process.coerced.last_event == "terminated"
    assert open_nodes(application) == []
    assert dict(history(application))["sign"] == C


def test_supplements_not_provided_fail_and_cancel_the_process(applicant, matter, staff):
    application = start(applicant, staff)
    application_choose_commitment(application_id=application.pk, by=applicant.user)
    sign(application, applicant)
    (supplement,) = application_accept_lenient(application_id=application.pk, by=staff,
                                               missing_material_ids=[matter.materials.get(kind="deferrable").pk])
    from datetime import timedelta

    assert supplements_sweep(today=supplement.deadline + timedelta(days=1))["failed"] == 1
    process = process_of(application)
    assert process.status == PROCESS.CANCELED and process.coerced.last_event == "failed"
    assert dict(history(application))["decide"] == C and open_nodes(application) == []


def test_sign_task_goes_to_the_legal_representative_or_waits_unassigned(matter, staff):
    company = OrganisationFactory(legal_representative=PersonFactory(user=UserFactory()))
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="A")
    unlinked = PersonFactory()
    CreditGradeFactory(subject=unlinked, grade="A")

    for subject, owner in ((company, company.legal_representative.user), (unlinked, None)):
        application = start(subject, staff)
        application_choose_commitment(application_id=application.pk, by=staff)
        (sign_task,) = [t for t in open_tasks(application) if t.flow_task.name == "sign"]
        assert sign_task.owner == owner
        assert sign_task.status == (A if owner else N)
    assert not UserFactory(role=WINDOW_STAFF).has_perm(sign_task.owner_permission)  # staff cannot sign for them
