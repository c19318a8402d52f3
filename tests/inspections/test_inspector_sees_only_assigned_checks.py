"""Object-level rule: an inspector sees only the verification checks assigned to them; supervisors see all."""

import pytest

from approvals.roles import APPLICANT, INSPECTOR, SUPERVISOR
from approvals.services import (
    application_choose_commitment, application_decide, application_start, signature_sign,
)
from inspections.models import Assignment, Obligation
from inspections.selectors import obligations_visible_to
from tests.approvals.factories import UserFactory
from tests.approvals.process import PASSWORD, applicant, matter, staff  # noqa: F401

pytestmark = pytest.mark.django_db


def issued(person, staff):
    application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)
    application_choose_commitment(application_id=application.pk, by=person.user)
    signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
    (licence,) = application_decide(application_id=application.pk, by=staff)
    return Obligation.objects.get(licence=licence)


def test_inspectors_see_their_assigned_checks_only(applicant, matter, staff):
    mine, theirs = issued(applicant, staff), issued(applicant, staff)
    me, colleague = UserFactory(role=INSPECTOR), UserFactory(role=INSPECTOR)
    Assignment.objects.create(obligation=mine, inspector=me)
    Assignment.objects.create(obligation=theirs, inspector=colleague)
    assert list(obligations_visible_to(me)) == [mine]
    assert set(obligations_visible_to(UserFactory(role=SUPERVISOR))) == {mine, theirs}
    assert not obligations_visible_to(UserFactory(role=APPLICANT)).exists()
