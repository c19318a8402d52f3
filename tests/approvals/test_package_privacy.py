"""What a package shows to whom: members' numbers are masked in the shared letter; the organisation does not
see its members' credit checks; a member cannot withdraw from the organisation's commitment alone."""

import pytest
from rest_framework.test import APIClient

from approvals.roles import APPLICANT
from approvals.services import Refused, signature_withdraw
from tests.approvals.factories import UserFactory
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.approvals.test_packaged_commitment import create, hospital, nurses, sign  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def package(hospital):  # noqa: F811
    make_matter(code="HS-002")
    people = nurses(3)
    people[0].user = UserFactory(role=APPLICANT)
    people[0].save()
    package = create(hospital, people)
    sign(package, hospital)
    return package, people


def test_the_shared_letter_masks_every_members_number(package):
    package, people = package
    text = package.letter.text
    for person in people:
        assert person.number not in text and person.masked_number in text


def test_a_member_cannot_withdraw_from_the_organisations_commitment(package):
    package, people = package
    application = package.applications.get(subject=people[0])
    with pytest.raises(Refused) as raised:
        signature_withdraw(application_id=application.pk, user=people[0].user, reason="不想参加")
    assert raised.value.code == "package"


def test_the_organisation_does_not_see_its_members_credit_checks_but_the_member_does(package, hospital):  # noqa: F811
    package, people = package
    application = package.applications.get(subject=people[0])
    organisation = APIClient()
    organisation.force_authenticate(hospital.legal_representative.user)
    detail = organisation.get(f"/api/applications/{application.pk}/")
    assert detail.status_code == 200 and detail.json()["latest_credit_check"] is None
    assert organisation.get(f"/api/applications/{application.pk}/credit-checks/").status_code == 403

    member = APIClient()
    member.force_authenticate(people[0].user)
    assert member.get(f"/api/applications/{application.pk}/").json()["latest_credit_check"] is not None


def test_an_organisation_is_told_who_is_not_entitled_but_not_why(hospital):  # noqa: F811
    from tests.sanctions.factories import RestrictionFactory

    make_matter(code="HS-002")
    people = nurses(2)
    restriction = RestrictionFactory(subject=people[1], legal_act="示审违诺〔2026〕9号")
    with pytest.raises(Refused) as raised:
        create(hospital, people, by=hospital.legal_representative.user)
    text = " ".join(raised.value.messages)
    assert people[1].name in text and restriction.legal_act not in text
