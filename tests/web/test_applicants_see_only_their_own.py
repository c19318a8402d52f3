"""An applicant sees only the applications of the subjects they act for: anything else is a 404."""

import pytest

from approvals.models import Signature
from approvals.roles import APPLICANT
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, png, staff  # noqa: F401
from tests.web.flows import notified, page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    person = PersonFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=person, grade="A")
    return person


def test_someone_elses_application_is_not_found(client, applicant, stranger, matter, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = notified(applicant)
    client.force_login(applicant.user)
    client.post(f"{page_url(application)}materials/{matter.materials.first().pk}/", {f"m{matter.materials.first().pk}-file": png()})
    upload = application.uploads.get()

    client.force_login(stranger.user)
    base = page_url(application)
    for url in (base, f"{base}letter.txt", f"{base}uploads/{upload.pk}/"):
        assert client.get(url).status_code == 404, url
    for url in ("sign/", "choose-standard/", "withdraw/", "decide/", "one-time-code/"):
        assert client.post(f"{base}{url}", {"sign-method": "password", "sign-password": PASSWORD,
                                            "sign-confirm": "on"}).status_code == 404, url
    assert not Signature.objects.exists()
    assert f'href="{base}"' not in client.get("/applications/").content.decode()

    client.force_login(staff)
    assert client.get(base).status_code == 200


def test_an_authorised_agent_sees_the_organisations_application(client, stranger, matter, staff):
    company = OrganisationFactory()
    company.agents.add(stranger)
    CreditGradeFactory(subject=company, grade="A")
    CreditGradeFactory(subject=company.legal_representative, grade="A")
    application = notified(company, by=staff, channel="counter")
    client.force_login(stranger.user)
    html = client.get(page_url(application)).content.decode()
    assert 'id="sign-submit"' in html
    assert company.legal_representative.number not in html  # masked for the applicant


def test_anonymous_visitors_are_sent_to_log_in(client, applicant, matter):
    application = notified(applicant)
    response = client.get(page_url(application))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
