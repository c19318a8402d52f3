"""Every insert, update and delete of the audited tables lands in the log, written by database triggers: bulk
updates and sweeps included, unchanged rows not, with who acted (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Application, Licence, Signature
from approvals.services import application_decide
from audit.actor import acting_as
from inspections.models import Obligation, ObligationState
from inspections.services import obligations_sweep_overdue
from sanctions.models import Restriction, RestrictionState
from sanctions.services import restrictions_expire
from tests.approvals.factories import UserFactory
from tests.approvals.process import applicant, matter, staff  # noqa: F401
from tests.audit.helpers import entries
from tests.sanctions.factories import RestrictionFactory
from tests.web.flows import committed

pytestmark = pytest.mark.django_db


def test_insert_update_delete_each_leave_an_entry_with_the_row():
    restriction = RestrictionFactory()
    Restriction.objects.filter(pk=restriction.pk).update(state=RestrictionState.LIFTED, lift_reason="信用修复")
    Restriction.objects.filter(pk=restriction.pk).delete()

    created, changed, deleted = entries(Restriction, object_id=restriction.pk)
    assert [created.op, changed.op, deleted.op] == ["I", "U", "D"]
    assert created.data["state"] == "active" and created.data["reason"] == restriction.reason
    assert changed.data["state"] == "lifted" and changed.data["lift_reason"] == "信用修复"
    assert deleted.data["state"] == "lifted"
    assert created.actor == changed.actor == ""  # no user: the system
    assert created.at <= changed.at <= deleted.at


def test_a_bulk_update_leaves_one_entry_per_changed_row_and_none_for_unchanged_rows():
    restrictions = [RestrictionFactory() for _ in range(30)]
    before = len(entries(Restriction))

    assert Restriction.objects.update(state=RestrictionState.EXPIRED) == 30
    assert len(entries(Restriction)) == before + 30
    assert {e.object_id for e in entries(Restriction, op="U")} == {r.pk for r in restrictions}

    Restriction.objects.update(state=RestrictionState.EXPIRED)  # nothing changes: nothing to log
    assert len(entries(Restriction)) == before + 30


def test_who_acted_is_recorded():
    user = UserFactory()
    restriction = RestrictionFactory()
    with acting_as(user):
        Restriction.objects.filter(pk=restriction.pk).update(key_supervision=False)
    with acting_as("task:sanctions.tasks.restrictions_expire"):
        Restriction.objects.filter(pk=restriction.pk).update(key_supervision=True)
    Restriction.objects.filter(pk=restriction.pk).update(key_supervision=False)

    assert [e.actor for e in entries(Restriction, op="U")] == [
        str(user.pk), "task:sanctions.tasks.restrictions_expire", ""]


def test_the_restriction_expiry_sweep_is_logged_row_by_row():
    ended = [RestrictionFactory(ended=True) for _ in range(12)]
    RestrictionFactory()  # still running

    assert restrictions_expire() == 12
    changed = entries(Restriction, op="U")
    assert sorted(e.object_id for e in changed) == sorted(r.pk for r in ended)
    assert {e.data["state"] for e in changed} == {"expired"}


def test_the_on_the_spot_path_logs_application_signature_licence_and_obligation(applicant, matter, staff):  # noqa: F811
    application = committed(applicant)
    licence = application_decide(application_id=application.pk, by=staff)[0]

    states = [e.data["state"] for e in entries(Application, object_id=application.pk)]
    assert states[0] == "draft" and states[-1] == "decided" and "committed" in states
    signature = Signature.objects.get(letter__application=application)
    assert [e.op for e in entries(Signature, object_id=signature.pk)] == ["I"]
    assert [e.op for e in entries(Licence, object_id=licence.pk)] == ["I"]
    assert entries(Licence, object_id=licence.pk)[0].data["number"] == licence.number
    assert [e.op for e in entries(Obligation, object_id=licence.obligation.pk)] == ["I"]


def test_obligations_are_logged_for_their_state_only_the_sweep_logs_nothing(applicant, matter, staff):  # noqa: F811
    licence = application_decide(application_id=committed(applicant).pk, by=staff)[0]
    obligation = licence.obligation
    Obligation.objects.filter(pk=obligation.pk).update(share=50)  # not a state: not logged
    assert [e.op for e in entries(Obligation)] == ["I"]
    assert "overdue_since" not in entries(Obligation)[0].data  # overdue is derived from due_on, not stored

    assert obligations_sweep_overdue(today=obligation.due_on + timedelta(days=1)) == 1  # newly overdue: counted
    assert [e.op for e in entries(Obligation)] == ["I"]  # nothing written, so nothing logged

    Obligation.objects.filter(pk=obligation.pk).update(state=ObligationState.COMPLIANT)
    (changed,) = entries(Obligation, op="U")
    assert changed.data["state"] == "compliant" and changed.data["due_on"] == str(obligation.due_on)
    assert changed.at <= timezone.now()
