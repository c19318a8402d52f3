"""Applicants see only their own and their organisations' applications; staff see all."""

import pytest

from approvals.roles import APPLICANT, INSPECTOR, SUPERVISOR, WINDOW_STAFF
from approvals.selectors import applications_visible_to, subjects_visible_to
from tests.approvals.factories import ApplicationFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    me = PersonFactory(user=UserFactory(role=APPLICANT))
    my_company = OrganisationFactory(legal_representative=me)
    agency = OrganisationFactory()
    agency.agents.add(me)
    stranger = PersonFactory(user=UserFactory(role=APPLICANT))
    return {
        "me": me,
        "mine": ApplicationFactory(subject=me),
        "company": ApplicationFactory(subject=my_company),
        "agency": ApplicationFactory(subject=agency),
        "other": ApplicationFactory(subject=stranger),
        "other_company": ApplicationFactory(subject=OrganisationFactory(legal_representative=stranger)),
    }


def test_an_applicant_sees_their_own_their_companys_and_where_they_are_agent(world):
    visible = set(applications_visible_to(world["me"].user))
    assert visible == {world["mine"], world["company"], world["agency"]}


def test_an_applicant_never_sees_another_applicants_subjects(world):
    assert world["other"].subject not in subjects_visible_to(world["me"].user)


@pytest.mark.parametrize("role", [WINDOW_STAFF, SUPERVISOR])
def test_staff_and_supervisors_see_every_application(world, role):
    assert applications_visible_to(UserFactory(role=role)).count() == 5


def test_an_inspector_sees_no_applications(world):
    assert applications_visible_to(UserFactory(role=INSPECTOR)).count() == 0


def test_an_applicant_gets_404_for_someone_elses_subject_page(world, client):
    client.force_login(world["me"].user)
    assert client.get(f"/subjects/{world['other'].subject.pk}/").status_code == 404
    page = client.get(f"/subjects/{world['me'].pk}/")
    assert page.status_code == 200
    assert world["me"].number not in page.content.decode()  # masked outside staff pages
    assert world["me"].masked_number in page.content.decode()


def test_staff_pages_show_the_full_number(world, client):
    client.force_login(UserFactory(role=WINDOW_STAFF))
    page = client.get(f"/subjects/{world['me'].pk}/")
    assert world["me"].number in page.content.decode()


def test_applicants_cannot_open_staff_pages(world, client):
    client.force_login(world["me"].user)
    assert client.get("/subjects/new/").status_code == 403
