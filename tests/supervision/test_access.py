"""Only supervisors and administrators see the figures, their drill-downs and exports, or refresh them."""

import pytest

from approvals.roles import ADMINISTRATOR, APPLICANT, INSPECTOR, SUPERVISOR, WINDOW_STAFF
from tests.approvals.factories import UserFactory

pytestmark = pytest.mark.django_db

URLS = ["/supervision/", "/supervision/records/received/", "/supervision/records/mode/?key=commitment",
        "/supervision/export/overview.csv", "/supervision/records/violations/export.xlsx"]


@pytest.mark.parametrize("role", [WINDOW_STAFF, APPLICANT, INSPECTOR])
def test_other_roles_are_refused(client, role):
    client.force_login(UserFactory(role=role))
    for url in URLS:
        assert client.get(url).status_code == 403, url
    assert client.post("/supervision/refresh/").status_code == 403
    assert 'id="nav-supervision"' not in client.get("/").content.decode()


def test_the_anonymous_are_sent_to_log_in(client):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", [SUPERVISOR, ADMINISTRATOR])
def test_supervisors_and_administrators_see_everything(client, role):
    client.force_login(UserFactory(role=role))
    for url in URLS:
        assert client.get(url).status_code == 200, url
    response = client.post("/supervision/refresh/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    page = client.get("/supervision/").content.decode()
    assert 'id="nav-supervision"' in page


def test_bad_filters_fall_back_with_a_message_and_unknown_figures_are_not_found(client):
    client.force_login(UserFactory(role=SUPERVISOR))
    page = client.get("/supervision/", {"start": "2026-05-01", "end": "2026-04-01"}).content.decode()
    assert "结束日期早于开始日期" in page or "before its start" in page
    assert client.get("/supervision/records/nonsense/").status_code == 404
    assert client.get("/supervision/records/mode/?key=nonsense").status_code == 404
    assert client.get("/supervision/export/nonsense.csv").status_code == 404
    assert client.get("/supervision/export/overview.pdf").status_code == 404
