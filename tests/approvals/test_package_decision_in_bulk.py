"""A package's decision chunk tells the listeners in bulk (approvals.ports: a listener's `many` variant): the
verification obligations, the credit checks' scores and the certificates' render messages are written by a
number of statements that does not grow with the package, and each licence and check still gets its row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import CheckStage, CreditCheck
from approvals.services import package_decide
from credit.models import CheckScore
from inspections.models import Obligation
from tests.approvals.process import make_matter, staff  # noqa: F401
from tests.approvals.test_packaged_commitment import create, hospital, nurses, sign  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]  # tasks in-process: see conftest

BULK_TABLES = re.compile(r'^(INSERT INTO|UPDATE) "(inspections_obligation|credit_checkscore|outbox_message)"'
                         r'|FROM "approvals_creditgrade"')


def _decided(hospital, staff, n: int, title: str):
    people = nurses(n)
    package = create(hospital, people, title=title)
    sign(package, hospital)
    with CaptureQueriesContext(connection) as captured:
        result = package_decide(package_id=package.pk, by=staff)
    assert len(result["licences"]) == n and not result["refused"]
    statements = sum(1 for q in captured.captured_queries if BULK_TABLES.search(q["sql"]))
    return result["licences"], statements


def test_the_listeners_write_per_chunk_not_per_person(hospital, staff, settings):
    make_matter(code="HS-002")
    settings.CREDIT_UNGRADED_AS = "C"
    few_licences, few = _decided(hospital, staff, 2, "批次2")
    many_licences, many = _decided(hospital, staff, 9, "批次9")
    assert many == few
    for licence in few_licences + many_licences:
        obligation = Obligation.objects.get(licence=licence)
        assert (obligation.holder_id, obligation.grade) == (licence.holder_id, "A")  # the holder's grade, not C
        check = CreditCheck.objects.get(application=licence.application_matter.application, stage=CheckStage.DECISION)
        assert CheckScore.objects.filter(credit_check=check, subject=licence.holder).exists()
