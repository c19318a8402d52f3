"""Who acted, through real requests: each request's changes are logged as made by its own user, also when one
database connection serves one user's request after another's (connections are kept between requests), and
the request reads its session and its user once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import Application
from approvals.roles import WINDOW_STAFF
from tests.api.helpers import apply, client_for
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.audit.helpers import entries
from tests.web.flows import committed

pytestmark = pytest.mark.django_db


def test_each_request_is_logged_as_its_own_user(applicant, matter, staff):  # noqa: F811
    other_staff = UserFactory(role=WINDOW_STAFF)
    first, second = committed(applicant), committed(applicant)
    assert client_for(staff).post(f"/api/applications/{first.pk}/decide/").status_code == 200
    assert client_for(other_staff).post(f"/api/applications/{second.pk}/decide/").status_code == 200
    started = apply(client_for(applicant.user), applicant)  # the applicant's own request, after staff's
    assert started.status_code == 201

    def actors(application_id):
        return {e.actor for e in entries(Application, object_id=application_id, op="U")
                if e.data["state"] == "decided"}

    assert actors(first.pk) == {str(staff.pk)} and actors(second.pk) == {str(other_staff.pk)}
    assert {e.actor for e in entries(Application, object_id=started.json()["id"])} == {str(applicant.user.pk)}


def test_a_request_reads_its_session_and_user_once(applicant, matter, staff):  # noqa: F811
    client = client_for(staff)
    application = committed(applicant)
    for request in (lambda: client.get("/api/applications/"),
                    lambda: client.post(f"/api/applications/{application.pk}/decide/")):
        with CaptureQueriesContext(connection) as queries:
            assert request().status_code == 200
        sql = [q["sql"] for q in queries.captured_queries]
        assert sum('FROM "django_session"' in s for s in sql) == 1
        assert sum('FROM "auth_user" WHERE' in s for s in sql) == 1
