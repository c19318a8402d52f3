"""打包承诺 (case 14 Dezhou): a hospital signs once for many nurses; each nurse gets an application and a
licence; all are decided together. Built for 1,063 people: one credit look-up pass, bulk creation that still
records every check, state change and process event; a large package is prepared by a task."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import (
    Application, ApplicationState, CheckStage, CreditCheck, Licence, Notice, Package, PackageStatus, Signature,
    StateChange,
)
from approvals.roles import APPLICANT
from approvals.selectors import credit_facts, credit_facts_for
from approvals.services import Refused, package_create, package_decide, package_prepare, package_sign
from approvals.tasks import package_prepare as package_prepare_task
from tests.approvals.factories import (
    CreditGradeFactory, MatterVersionFactory, OrganisationFactory, PersonFactory, UserFactory,
)
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]  # tasks in-process: see conftest


@pytest.fixture
def hospital():
    director = PersonFactory(user=UserFactory(role=APPLICANT))
    hospital = OrganisationFactory(legal_representative=director)
    CreditGradeFactory(subject=hospital, grade="A")
    CreditGradeFactory(subject=director, grade="A")
    return hospital


def nurses(n):
    people = [PersonFactory() for _ in range(n)]
    for person in people:
        CreditGradeFactory(subject=person, grade="A")
    return people


def create(hospital, people, by=None, title="2026年第一批护士执业注册"):
    return package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[p.pk for p in people],
                          title=title, by=by or hospital.legal_representative.user)


def sign(package, hospital):
    return package_sign(package_id=package.pk, user=hospital.legal_representative.user, method="password",
                        secret=PASSWORD)


def history(application) -> list[tuple[str, str]]:
    return list(StateChange.objects.filter(content_type__model="application", object_id=application.pk)
                .order_by("at", "pk").values_list("source", "target"))


def test_one_signature_many_licences(hospital, staff):
    make_matter(code="HS-002")
    people = nurses(5)
    package = create(hospital, people)
    assert package.status == PackageStatus.READY and package.applications.count() == 5
    assert all(p.name in package.letter.text for p in people)
    sign(package, hospital)
    sign(package, hospital)
    assert Signature.objects.count() == 1
    result = package_decide(package_id=package.pk, by=staff)
    assert len(result["licences"]) == 5 and result["refused"] == {}
    assert {licence.holder for licence in result["licences"]} == set(people)
    assert set(package.applications.values_list("state", flat=True)) == {ApplicationState.DECIDED}


def test_a_restricted_nurse_is_named_and_nothing_is_created(hospital, staff):
    make_matter(code="HS-002")
    people = nurses(3)
    RestrictionFactory(subject=people[1])
    with pytest.raises(Refused) as raised:
        create(hospital, people, by=staff)
    assert people[1].name in " ".join(raised.value.messages)
    assert people[0].name not in " ".join(raised.value.messages)
    assert raised.value.code == "entitlement"
    assert not hospital.packages.exists() and not Application.objects.exists()


def test_every_application_records_its_check_its_moves_and_its_notice(hospital):
    """Bulk creation keeps what application_start and notify record one by one."""
    make_matter(code="HS-002")
    people = nurses(4)
    package = create(hospital, people)
    applications = list(package.applications.select_related("subject").order_by("pk"))
    assert [a.subject for a in applications] == people
    for application in applications:
        assert (application.state, application.mode, application.channel) == ("notified", "commitment", "package")
        assert application.decision_due_on is not None and application.submitted_at is not None
        check = CreditCheck.objects.get(application=application)
        assert check.stage == CheckStage.INTAKE and check.inputs["facts"][0]["number"] == application.subject.number
        assert "commitment" in check.modes_for(package.matter_version_id)
        assert history(application) == [("draft", "submitted"), ("submitted", "checked"), ("checked", "notified")]
        notice = Notice.objects.get(application=application)
        assert application.subject.name in notice.text and notice.sha256
        assert application.matters.get().mode == "commitment"
    assert package.people == [p.pk for p in people]


def test_the_credit_is_looked_up_once_for_everyone(hospital):
    """逢办必查 without one look-up per person: the queries on the credit sources do not grow with the package."""
    make_matter(code="HS-002")

    def credit_queries(n):
        people = nurses(n)
        with CaptureQueriesContext(connection) as captured:
            create(hospital, people, title=f"批次{n}")
        sources = re.compile(r'FROM "?(approvals_creditgrade|approvals_dishonestentry|sanctions_restriction)\b')
        return sum(1 for q in captured.captured_queries if sources.search(q["sql"]))

    few = credit_queries(2)
    assert 2 <= few <= 3 and credit_queries(12) == few


def test_credit_facts_for_many_equals_one_by_one(hospital):
    people = nurses(3)
    RestrictionFactory(subject=people[2])
    subjects = [hospital, *people]
    many = credit_facts_for(subjects)
    for subject in subjects:
        one = credit_facts(subject)
        assert [(f.subject, f.role, f.grade, f.dishonest, f.restrictions) for f in many[subject.pk]] == \
               [(f.subject, f.role, f.grade, f.dishonest, f.restrictions) for f in one]
    assert [f.role for f in many[hospital.pk]] == ["subject", "legal_representative"]


def test_a_large_package_is_prepared_by_the_task_and_ends_ready(hospital, staff, django_capture_on_commit_callbacks):
    """More than 200 persons: the request only checks and records the package; the task (eager here) prepares it."""
    make_matter(code="HS-002")
    people = nurses(201)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        package = create(hospital, people)
        assert package.status == PackageStatus.PREPARING and not package.applications.exists()
    assert len(callbacks) == 1  # the request sends the task, and that is all it does
    callbacks[0]()  # the commit's: the task prepares the package
    package.refresh_from_db()
    assert package.status == PackageStatus.READY and package.prepared_at is not None
    assert package.applications.filter(state=ApplicationState.NOTIFIED).count() == 201
    assert CreditCheck.objects.filter(application__package=package, stage=CheckStage.INTAKE).count() == 201
    assert package.letter.text.count("\n  - ") == 201

    sign(package, hospital)
    result = package_decide(package_id=package.pk, by=staff)
    assert len(result["licences"]) == 201 and result["refused"] == {}
    assert sorted(lic.sequence for lic in result["licences"]) == list(range(1, 202))  # gapless, one block


def test_the_task_runs_once_whatever_the_deliveries(hospital, settings, django_capture_on_commit_callbacks):
    settings.PACKAGE_SYNC_LIMIT = 2
    make_matter(code="HS-002")
    with django_capture_on_commit_callbacks(execute=False):
        package = create(hospital, nurses(3))
    package_prepare_task.delay(package.pk)
    package_prepare_task.delay(package.pk)  # acks_late: a redelivery must change nothing
    package_prepare(package_id=package.pk)
    assert Application.objects.filter(package=package).count() == 3
    assert CreditCheck.objects.filter(application__package=package).count() == 3
    package.refresh_from_db()
    assert package.status == PackageStatus.READY


def test_a_nurse_restricted_before_preparation_fails_the_package(hospital, settings,
                                                                  django_capture_on_commit_callbacks):
    settings.PACKAGE_SYNC_LIMIT = 2
    make_matter(code="HS-002")
    people = nurses(3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        package = create(hospital, people)
    RestrictionFactory(subject=people[0])  # between the request and the task
    callbacks[0]()
    package.refresh_from_db()
    assert package.status == PackageStatus.FAILED
    assert people[0].name in " ".join(package.refusals) and people[1].name not in " ".join(package.refusals)
    assert not package.applications.exists()
    with pytest.raises(Refused) as raised:
        sign(package, hospital)
    assert raised.value.code == "state"


def test_nothing_is_signed_while_preparing(hospital, settings, django_capture_on_commit_callbacks):
    settings.PACKAGE_SYNC_LIMIT = 2
    make_matter(code="HS-002")
    with django_capture_on_commit_callbacks(execute=False):
        package = create(hospital, nurses(3))
    with pytest.raises(Refused) as raised:
        sign(package, hospital)
    assert raised.value.code == "state" and not Signature.objects.exists()


def test_a_nurse_whose_credit_changed_is_reported_not_decided(hospital, staff):
    """批中核查: the decision re-checks everyone; the one restricted since intake stays signed, with the reasons."""
    make_matter(code="HS-002")
    people = nurses(4)
    package = create(hospital, people)
    sign(package, hospital)
    restriction = RestrictionFactory(subject=people[2])

    result = package_decide(package_id=package.pk, by=staff)

    refused_application = Application.objects.get(package=package, subject=people[2])
    assert len(result["licences"]) == 3 and list(result["refused"]) == [refused_application.pk]
    assert restriction.legal_act in " ".join(result["refused"][refused_application.pk])
    refused_application.refresh_from_db()
    assert refused_application.state == ApplicationState.COMMITTED
    assert CreditCheck.objects.filter(application__package=package, stage=CheckStage.DECISION).count() == 4
    decided = Application.objects.filter(package=package, state=ApplicationState.DECIDED)
    assert decided.count() == 3 and all(a.decided_by == staff and a.decided_at for a in decided)
    assert history(decided[0])[-2:] == [("notified", "committed"), ("committed", "decided")]
    assert sorted(Licence.objects.values_list("sequence", flat=True)) == [1, 2, 3]
    licence = Licence.objects.first()
    assert StateChange.objects.filter(content_type__model="licence", object_id=licence.pk, target="valid").exists()
    assert licence.obligation is not None  # the verification obligation (事后核查) of each licence

    again = package_decide(package_id=package.pk, by=staff)  # only the restricted one is left: refused again
    assert again["licences"] == [] and list(again["refused"]) == [refused_application.pk]
    assert Licence.objects.count() == 3


def test_deciding_twice_is_refused(hospital, staff):
    make_matter(code="HS-002")
    package = create(hospital, nurses(2))
    with pytest.raises(Refused) as raised:
        package_decide(package_id=package.pk, by=staff)
    assert raised.value.code == "state"  # not signed yet
    sign(package, hospital)
    package_decide(package_id=package.pk, by=staff)
    with pytest.raises(Refused) as raised:
        package_decide(package_id=package.pk, by=staff)
    assert raised.value.code == "state" and Licence.objects.count() == 2


def test_what_cannot_be_packaged(hospital, staff):
    make_matter(code="HS-002")
    MatterVersionFactory(matter__code="STD-001", standard_only=True)
    people = nurses(2)
    with pytest.raises(Refused) as raised:
        package_create(organisation_id=hospital.pk, matter_code="STD-001", person_ids=[p.pk for p in people],
                       title="批次", by=staff)
    assert "matter" in raised.value.message_dict
    with pytest.raises(Refused) as raised:  # an organisation is not a person
        package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[hospital.pk],
                       title="批次", by=staff)
    assert "people" in raised.value.message_dict
    with pytest.raises(Refused) as raised:
        package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[p.pk for p in people],
                       title="  ", by=staff)
    assert "title" in raised.value.message_dict
    assert not Package.objects.exists()


def test_only_the_organisation_or_staff_may_file_and_only_the_organisation_signs(hospital, staff):
    from django.core.exceptions import PermissionDenied

    make_matter(code="HS-002")
    people = nurses(2)
    outsider = PersonFactory(user=UserFactory(role=APPLICANT)).user
    with pytest.raises(PermissionDenied):
        create(hospital, people, by=outsider)
    package = create(hospital, people, by=staff)
    with pytest.raises(PermissionDenied):
        package_sign(package_id=package.pk, user=staff, method="password", secret=PASSWORD)
    agent = PersonFactory(user=UserFactory(role=APPLICANT))
    hospital.agents.add(agent)
    package_sign(package_id=package.pk, user=agent.user, method="password", secret=PASSWORD)
    assert package.applications.filter(state=ApplicationState.COMMITTED).count() == 2


def test_the_sweep_prepares_a_package_whose_task_was_never_run(hospital, settings,
                                                               django_capture_on_commit_callbacks):
    """The broker was down when the package was filed: the database remembers it, the beat sweep prepares it."""
    from datetime import timedelta

    from django.utils import timezone

    from approvals.tasks import packages_prepare_sweep

    settings.PACKAGE_SYNC_LIMIT = 2
    make_matter(code="HS-002")
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue is lost
        stuck = create(hospital, nurses(3), title="滞留批次")
        fresh = create(hospital, nurses(3), title="刚提交批次")
    Package.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    assert packages_prepare_sweep.delay().get() == {"prepared": 1, "failed": 0}
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == PackageStatus.READY and stuck.applications.count() == 3
    assert fresh.status == PackageStatus.PREPARING  # its own task may still be on the way
    assert packages_prepare_sweep.delay().get() == {"prepared": 0, "failed": 0}
