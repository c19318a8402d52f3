"""Staff decide on the spot from the application page; the licence number is on the page, and the licence
page shows it with the holder masked."""

import pytest

from approvals.models import ApplicationState, Licence
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.web.flows import committed, element, page_url

pytestmark = pytest.mark.django_db


def test_decide_then_the_licence_number_is_on_the_page(client, staff, applicant, matter):
    application = committed(applicant)
    client.force_login(staff)
    assert 'id="decide-submit"' in client.get(page_url(application)).content.decode()

    response = client.post(f"{page_url(application)}decide/")

    licence = Licence.objects.get()
    assert response.status_code == 302 and response.url == f"{page_url(application)}#licences"
    page = client.get(response.url)
    html = page.content.decode()
    assert licence.number in element(html, "licences")
    assert f'href="/licences/{licence.number}/"' in html
    assert licence.number in html.split('<ul class="messages">')[1].split("</ul>")[0]  # the success message
    application.refresh_from_db()
    assert application.state == ApplicationState.DECIDED
    assert 'id="decide-submit"' not in html


def test_the_licence_page_masks_the_holder(client, staff, applicant, matter):
    application = committed(applicant)
    client.force_login(staff)
    client.post(f"{page_url(application)}decide/")
    licence = Licence.objects.get()
    client.logout()

    html = client.get(f"/licences/{licence.number}/").content.decode()

    assert licence.number in element(html, "licence-number")
    holder = element(html, "licence-holder")
    assert applicant.number not in html and applicant.number[:4] in holder and applicant.number[-4:] in holder
    assert 'data-state="valid"' in html
    assert f"/applications/{application.pk}/" not in html  # a visitor gets no link into the application
    assert client.get("/licences/NO-SUCH-000001/").status_code == 404
