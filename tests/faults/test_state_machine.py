"""A Hypothesis RuleBasedStateMachine over applications, licences, violations and restrictions, driven through
the services, with the invariants of the issue:

- no licence without a decision (its application decided, with a decision time and a decision-stage check);
- no notify-and-commit entitlement while restricted (choosing it, or a decision in it, is refused while the
  applicant's restriction is in force; no application was decided while one was);
- a revoked licence is never valid again;
- every licence number is unique.

Bounded: 30 examples of up to 25 steps, no deadline. Each example runs in a savepoint rolled back at its end
(so on_commit work such as rendering never runs; the outbox has its own tests). Runs on SQLite and PostgreSQL."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, precondition, rule

from approvals.models import Application, Licence
from approvals.roles import APPLICANT, SUPERVISOR, WINDOW_STAFF
from approvals.services import (
    EntitlementChanged, Refused, application_choose_commitment, application_decide, application_start, licence_revoke,
    signature_sign,
)
from sanctions.models import Restriction, RestrictionState
from sanctions.services import (
    restriction_impose_manual, restriction_lift_by_supervisor, violation_grade, violation_open_manual,
    violation_revoke,
)
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory
from tests.approvals.process import PASSWORD, make_matter

pytestmark = [pytest.mark.faults, pytest.mark.django_db]


SEEN: Counter = Counter()


def seen(what: str) -> None:
    event(what)
    SEEN[what] += 1


def in_force(person) -> bool:
    now = timezone.now()
    return Restriction.objects.filter(subject=person, state=RestrictionState.ACTIVE, starts_at__lte=now,
                                      ends_at__gt=now).exists()


class Licensing(RuleBasedStateMachine):
    people = Bundle("people")
    applications = Bundle("applications")

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.revoked: set[int] = set()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    @initialize(target=people)
    def setup(self):
        """The matter, the staff, and one applicant whose notify-and-commit application is decided: every example
        starts with a valid licence, so the invariants and the revocation rules have one to work on however short
        the example (Hypothesis runs some with few or no steps; CI once saw a whole run reach no decision)."""
        make_matter()
        self.staff = UserFactory(role=WINDOW_STAFF)
        self.supervisor = UserFactory(role=SUPERVISOR)
        person = PersonFactory(user=UserFactory(role=APPLICANT))
        CreditGradeFactory(subject=person, grade="A")
        application = application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online",
                                        by=person.user)
        application_choose_commitment(application_id=application.pk, by=person.user)
        signature_sign(application_id=application.pk, user=person.user, method="password", secret=PASSWORD)
        application_decide(application_id=application.pk, by=self.staff)
        assert Licence.objects.filter(application_matter__application=application, state="valid").exists()
        seen("started with a licence")
        return person

    @rule(target=people, grade=st.sampled_from("ABC"))
    def register(self, grade):
        seen("registered")
        person = PersonFactory(user=UserFactory(role=APPLICANT))
        CreditGradeFactory(subject=person, grade=grade)
        return person

    @rule(target=applications, person=people)
    def apply(self, person):
        return application_start(subject_id=person.pk, matter_codes=["WS-001"], channel="online", by=person.user)

    @rule(target=applications, person=people)
    def apply_and_sign(self, person):
        """The whole notify-and-commit intake in one step (refused when the applicant may not take it)."""
        application = self.apply(person)
        self.choose_commitment(application)
        self.sign(application)
        return application

    @rule(application=applications)
    def choose_commitment(self, application):
        application.refresh_from_db()
        try:
            application_choose_commitment(application_id=application.pk, by=application.subject.user)
        except Refused as refusal:
            seen(f"commitment refused: {refusal.code}")
            return
        # a restriction in force closes notify-and-commit at the choice, whether it came before intake or since
        assert not in_force(application.subject), "notified while restricted"

    @rule(application=applications)
    def sign(self, application):
        try:
            signature_sign(application_id=application.pk, user=application.subject.user, method="password",
                           secret=PASSWORD)
        except Refused as refusal:
            seen(f"signature refused: {refusal.code}")

    @rule(application=applications)
    def decide(self, application):
        restricted = in_force(application.subject)
        try:
            application_decide(application_id=application.pk, by=self.staff)
        except EntitlementChanged:
            seen("decision refused: entitlement changed")
            return
        except Refused as refusal:
            seen(f"decision refused: {refusal.code}")
            return
        assert not restricted, "decided under notify-and-commit while restricted"
        seen("decided")

    @precondition(lambda self: Application.objects.filter(state="committed").exists())
    @rule(data=st.data())
    def decide_a_signed_one(self, data):
        """Staff take a signed application from the queue (reaches decisions more often than a random one)."""
        self.decide(data.draw(st.sampled_from(list(Application.objects.filter(state="committed").order_by("pk")))))

    @rule(person=people, days=st.integers(1, 400))
    def restrict(self, person, days):
        now = timezone.now()
        restriction_impose_manual(subject=person, reason="核查不合格", legal_basis="《实施办法》第十条",
                                  starts_at=now - timedelta(seconds=1), ends_at=now + timedelta(days=days),
                                  by=self.supervisor)

    @rule(person=people)
    def lift(self, person):
        restriction = Restriction.objects.filter(subject=person, state=RestrictionState.ACTIVE).first()
        if restriction is None:
            return
        try:
            restriction_lift_by_supervisor(restriction_id=restriction.pk, by=self.supervisor, reason="信用修复完成")
        except Refused:
            pass

    @precondition(lambda self: Licence.objects.exists())
    @rule(data=st.data())
    def revoke(self, data):
        licence = data.draw(st.sampled_from(list(Licence.objects.order_by("pk"))))
        try:
            licence_revoke(licence_id=licence.pk, by=self.supervisor, reason="以欺骗手段取得")
        except Refused:
            assert licence.state != "valid" or licence.pk in self.revoked
            return
        self.revoked.add(licence.pk)
        seen("licence revoked")

    @precondition(lambda self: Licence.objects.filter(state="valid").exists())
    @rule(data=st.data())
    def fraud_case(self, data):
        """A level-3 case (冒用他人身份) through the sanction ladder: the licence revoked, the holder restricted."""
        licence = data.draw(st.sampled_from(list(Licence.objects.filter(state="valid").order_by("pk"))))
        case = violation_open_manual(subject=licence.holder, kind="identity", findings="冒用他人身份证件申请",
                                     licences=[licence], by=self.supervisor)
        violation_grade(violation_id=case.pk, by=self.supervisor)
        violation_revoke(violation_id=case.pk, by=self.supervisor, reason="冒用他人身份")
        self.revoked.add(licence.pk)
        assert in_force(licence.holder)
        seen("fraud case: revoked and restricted")

    # ------------------------------------------------------------------ invariants

    @invariant()
    def no_licence_without_a_decision(self):
        for licence in Licence.objects.select_related("application_matter__application"):
            application = licence.application_matter.application
            assert application.state == "decided" and application.decided_at and application.decided_by_id
            assert application.credit_checks.filter(stage="decision").exists()

    @invariant()
    def never_decided_while_restricted(self):
        for application in Application.objects.filter(state="decided", mode="commitment"):
            at = application.decided_at
            restrictions = Restriction.objects.filter(subject=application.subject, created_at__lt=at)
            assert not any(r.is_active_at(at) for r in restrictions), application

    @invariant()
    def revoked_never_valid_again(self):
        assert set(Licence.objects.filter(pk__in=self.revoked).values_list("state", flat=True)) <= {"revoked"}

    @invariant()
    def licence_numbers_unique(self):
        numbers = list(Licence.objects.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers))


Licensing.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                                       suppress_health_check=[HealthCheck.too_slow,
                                                              HealthCheck.function_scoped_fixture])


def test_licensing_state_machine(db):
    from hypothesis.stateful import run_state_machine_as_test

    SEEN.clear()
    run_state_machine_as_test(Licensing, settings=Licensing.TestCase.settings)
    print(f"\nFAULT state machine: {dict(SEEN)}")
    # every example starts with a decided application (setup); decisions the rules reach are counted apart
    assert SEEN["started with a licence"] >= 10, f"too few examples ran ({dict(SEEN)})"
