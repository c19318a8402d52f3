"""打包承诺: every application of a package has its process; the organisation's signer has the sign tasks,
one signature completes them all, and deciding the package ends every process."""

import pytest
from viewflow.workflow.status import PROCESS

from approvals.roles import APPLICANT
from approvals.services import package_create, package_decide, package_sign
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.workflows.helpers import open_nodes, process_of
from workflows.selectors import open_tasks_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_eager")]  # tasks in-process: see conftest


@pytest.fixture
def hospital():
    hospital = OrganisationFactory(legal_representative=PersonFactory(user=UserFactory(role=APPLICANT)))
    for subject in (hospital, hospital.legal_representative):
        CreditGradeFactory(subject=subject, grade="A")
    return hospital


def nurses(n):
    people = [PersonFactory() for _ in range(n)]
    for person in people:
        CreditGradeFactory(subject=person, grade="A")
    return people


def test_packaged_applications_move_together(hospital, staff):
    make_matter(code="HS-002")
    director = hospital.legal_representative.user
    package = package_create(organisation_id=hospital.pk, matter_code="HS-002",
                             person_ids=[p.pk for p in nurses(3)], title="2026年第一批护士执业注册", by=director)
    applications = list(package.applications.order_by("pk"))
    assert [(t.application_id, t.node, t.assigned) for t in open_tasks_for(director)] == [
        (a.pk, "sign", True) for a in applications]

    package_sign(package_id=package.pk, user=director, method="password", secret=PASSWORD)
    assert open_tasks_for(director) == []
    assert sorted(t.application_id for t in open_tasks_for(staff)) == [a.pk for a in applications]

    package_decide(package_id=package.pk, by=staff)
    for application in applications:
        assert process_of(application).status == PROCESS.DONE and open_nodes(application) == []
    assert open_tasks_for(staff) == []


def test_a_package_prepared_by_the_task_has_every_process(hospital, staff, settings,
                                                         django_capture_on_commit_callbacks):
    """The bulk preparation (here through the task) still tells the listeners each move: every application has
    its process, waiting for the organisation's signature."""
    settings.PACKAGE_SYNC_LIMIT = 2
    make_matter(code="HS-002")
    director = hospital.legal_representative.user
    with django_capture_on_commit_callbacks(execute=True):
        package = package_create(organisation_id=hospital.pk, matter_code="HS-002",
                                 person_ids=[p.pk for p in nurses(4)], title="批次", by=staff)
    applications = list(package.applications.order_by("pk"))
    assert len(applications) == 4
    for application in applications:
        assert process_of(application).status == PROCESS.NEW
        assert "sign" in open_nodes(application)
    assert [t.application_id for t in open_tasks_for(director)] == [a.pk for a in applications]


def test_a_package_chunk_is_followed_by_one_task(hospital, staff, monkeypatch):
    """A package's move writes its processes' events in one INSERT and sends one task for the whole chunk, which
    follows every application in its own order."""
    from workflows import tasks

    make_matter(code="HS-002")
    sent = []
    monkeypatch.setattr(tasks.process_follow, "apply_async",
                        lambda args, retry: (sent.append(args), tasks.process_follow.apply(args))[1])
    package = package_create(organisation_id=hospital.pk, matter_code="HS-002",
                             person_ids=[p.pk for p in nurses(3)], title="批次", by=hospital.legal_representative.user)
    ids = list(package.applications.order_by("pk").values_list("pk", flat=True))
    assert sent == [[ids], [ids]]  # one task for the chunk's "started", one for its "notified"
    assert all(open_nodes(application) == ["await_signature", "sign", "withdrawn_before_signing"]
               for application in package.applications.all())
