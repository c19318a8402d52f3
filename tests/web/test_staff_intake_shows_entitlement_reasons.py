"""Window staff take an application at the counter: find the subject by number, tick the matters, submit;
the application page shows the credit check and every reason for the entitlement, in plain text."""

import pytest
from django.utils.html import escape

from approvals.models import Application, Channel
from approvals.roles import APPLICANT
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import element, has_element, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def grade_c_person():
    person = PersonFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=person, grade="C")
    return person


def test_the_subject_is_found_by_number_with_spaces_and_lower_case(client, staff, grade_c_person, matter):
    client.force_login(staff)
    spaced = " ".join([grade_c_person.number[:6], grade_c_person.number[6:].lower()])
    page = client.get("/applications/new/", {"number": spaced})
    html = page.content.decode()
    assert page.status_code == 200
    assert grade_c_person.number in element(html, "found-subject")
    assert f'name="subject" value="{grade_c_person.pk}"' in html
    assert 'value="WS-001"' in html


def test_an_unknown_number_offers_to_register_the_subject(client, staff, matter):
    client.force_login(staff)
    html = client.get("/applications/new/", {"number": "11010519491231002X"}).content.decode()
    assert has_element(html, "subject-not-found")
    assert 'href="/subjects/new/"' in html
    assert not has_element(html, "choose-matters")


def test_intake_at_the_counter_shows_each_entitlement_reason(client, staff, grade_c_person, matter):
    client.force_login(staff)
    response = client.post("/applications/new/", {"subject": grade_c_person.pk, "matters": ["WS-001"]})

    application = Application.objects.get()
    assert response.status_code == 302 and response.url == page_url(application)
    assert application.channel == Channel.COUNTER and application.created_by == staff
    html = client.get(response.url).content.decode()
    check = application.credit_checks.get()
    reasons = check.entitlements[str(matter.pk)]["reasons"]
    assert reasons, "a grade-C applicant is refused notify-and-commit with a reason"
    entitlements = element(html, "entitlements")
    for reason in reasons:
        assert reason in entitlements
        assert escape(reason) in html
    assert grade_c_person.number in element(html, "subject-number")  # staff see the full number
    assert has_element(html, "commitment-blocked") and not has_element(html, "choose-commitment")
    assert has_element(html, "choose-standard")


def test_no_matter_ticked_is_refused_and_the_subject_stays_chosen(client, staff, applicant, matter):
    client.force_login(staff)
    response = client.post("/applications/new/", {"subject": applicant.pk})
    html = response.content.decode()
    assert response.status_code == 200 and not Application.objects.exists()
    assert has_element(html, "matters-errors")
    assert applicant.number in element(html, "found-subject")


def test_an_applicant_cannot_use_the_counter_intake(client, applicant, matter):
    client.force_login(applicant.user)
    assert client.get("/applications/new/").status_code == 403
    assert client.post("/applications/new/", {"subject": applicant.pk, "matters": ["WS-001"]}).status_code == 403
    assert not Application.objects.exists()


def test_an_unknown_subject_id_is_refused_not_a_crash(client, staff, matter):
    client.force_login(staff)
    response = client.post("/applications/new/", {"subject": 999999, "matters": ["WS-001"]})
    assert response.status_code == 200 and 'id="intake-subject-errors"' in response.content.decode()
    assert not Application.objects.exists()
