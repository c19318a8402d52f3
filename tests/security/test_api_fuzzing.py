"""API fuzzing: schemathesis generates requests for every operation in /api/schema/ (a few examples each,
derandomised so a run is repeatable) as a logged-in applicant and as window staff, in-process through WSGI.
Every answer must be no server error and conform to the schema (status code documented, body and
content type as declared)."""

import base64

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from approvals.roles import APPLICANT, WINDOW_STAFF
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter
from tests.web.flows import committed

EXAMPLES = 4
pytestmark = pytest.mark.fuzz  # .ci/run fuzzes once, in its PostgreSQL phase (the production database)


def _load_schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


# loaded when collected (the schema endpoint needs no database); the data for the operations is made per test
schema = _load_schema()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI app, not through Django's test client, so, as that client does, keep
    request_started/finished from closing the connection that holds the test's transaction (PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def some_data(db, keep_the_test_connection):
    make_matter()
    person = PersonFactory(user=UserFactory(role=APPLICANT))
    CreditGradeFactory(subject=person, grade="A")
    committed(person)


def basic(user) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()}


CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]


@pytest.fixture
def applicant_user(db):
    return UserFactory(role=APPLICANT)


@pytest.fixture
def staff_user(db):
    return UserFactory(role=WINDOW_STAFF)


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_as_an_applicant(case, applicant_user):
    case.call_and_validate(headers=basic(applicant_user), checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_as_window_staff(case, staff_user):
    case.call_and_validate(headers=basic(staff_user), checks=CHECKS)
