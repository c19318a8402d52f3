"""Two staff pressing "decide all" on the same package at once, while a single application is decided at the
desk: every person gets exactly one licence and the numbers stay gapless (PostgreSQL, real threads)."""

import pytest
from django.db import connection  # noqa: F401  (read by the skipif below)

from approvals.models import ApplicationState, Licence, Signature
from approvals.roles import APPLICANT
from approvals.services import application_decide, package_create, package_decide, package_sign
from approvals.services.package import DECIDE_CHUNK
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, make_matter, staff  # noqa: F401
from tests.approvals.test_concurrent_decisions import committed_application, run_concurrently

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_concurrent_decide_all_issues_one_licence_per_person(staff, applicant):
    make_matter(code="WS-001")
    hospital = OrganisationFactory(legal_representative=PersonFactory(user=UserFactory(role=APPLICANT)))
    people = [PersonFactory() for _ in range(DECIDE_CHUNK + 20)]  # more than one chunk
    for subject in (hospital, hospital.legal_representative, *people):
        CreditGradeFactory(subject=subject, grade="A")
    director = hospital.legal_representative.user
    package = package_create(organisation_id=hospital.pk, matter_code="WS-001", person_ids=[p.pk for p in people],
                             title="批次", by=director)
    single = committed_application(applicant)  # same matter: the same licence counter

    outcomes = run_concurrently(3, lambda i: package_sign(package_id=package.pk, user=director, method="password",
                                                          secret=PASSWORD))  # three clicks on sign
    assert [kind for kind, _ in outcomes] == ["ok"] * 3
    assert Signature.objects.filter(letter__package=package).count() == 1

    def decide(i):
        if i == 2:
            return application_decide(application_id=single.pk, by=staff)
        return package_decide(package_id=package.pk, by=staff)

    outcomes = run_concurrently(3, decide)

    assert "error" not in [kind for kind, _ in outcomes], outcomes
    assert not package.applications.exclude(state=ApplicationState.DECIDED).exists()
    assert Licence.objects.count() == len(people) + 1
    assert sorted(Licence.objects.values_list("sequence", flat=True)) == list(range(1, len(people) + 2))
    assert Licence.objects.filter(application_matter__application__package=package).values(
        "application_matter__application").distinct().count() == len(people)
