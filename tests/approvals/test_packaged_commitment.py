"""打包承诺 (case 14 Dezhou): a hospital signs once for many nurses; each nurse gets an application and a
licence; all are decided together."""

import pytest

from approvals.models import ApplicationState, Signature
from approvals.roles import APPLICANT
from approvals.services import Refused, package_create, package_decide, package_sign
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter, staff  # noqa: F401
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


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


def test_one_signature_many_licences(hospital, staff):
    make_matter(code="HS-002")
    people = nurses(5)
    package = package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[p.pk for p in people],
                             title="2026年第一批护士执业注册", by=hospital.legal_representative.user)
    assert package.applications.count() == 5
    assert all(p.name in package.letter.text for p in people)
    package_sign(package_id=package.pk, user=hospital.legal_representative.user, method="password", secret=PASSWORD)
    package_sign(package_id=package.pk, user=hospital.legal_representative.user, method="password", secret=PASSWORD)
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
        package_create(organisation_id=hospital.pk, matter_code="HS-002", person_ids=[p.pk for p in people],
                       title="批次", by=staff)
    assert people[1].name in " ".join(raised.value.messages)
    assert not hospital.packages.exists()
