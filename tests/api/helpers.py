"""Clients and steps shared by the API tests."""

from rest_framework.test import APIClient

from tests.approvals.process import PASSWORD


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)  # a session, as a browser or the mobile app has after logging in
    return client


def apply(client, subject, codes=("WS-001",), channel="online", **headers):
    return client.post("/api/applications/", {"subject_id": subject.pk, "matter_codes": list(codes),
                                               "channel": channel}, format="json", headers=headers)


def commit(client, application_id):
    """Choose notify-and-commit and sign with the password."""
    assert client.post(f"/api/applications/{application_id}/choose-commitment/").status_code == 200
    response = client.post(f"/api/applications/{application_id}/sign/", {"method": "password", "secret": PASSWORD},
                           format="json")
    assert response.status_code == 200, response.json()
    return response
