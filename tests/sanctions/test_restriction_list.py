"""The restriction list: in force between its dates, ended exactly at its end, lifted early only with a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from approvals.models import StateChange
from approvals.selectors import credit_facts
from sanctions.models import RestrictionState
from sanctions.models import Restriction
from sanctions.selectors import active_restrictions, restrictions_in_force
from sanctions.services import restriction_impose, restriction_lift, restrictions_expire
from tests.approvals.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def test_a_restriction_is_in_force_between_its_dates_only():
    r = RestrictionFactory()
    assert active_restrictions(r.subject, timezone.now()) == [r]
    assert active_restrictions(r.subject, r.starts_at - timedelta(seconds=1)) == []
    assert active_restrictions(r.subject, r.ends_at - timedelta(seconds=1)) == [r]
    assert active_restrictions(r.subject, r.ends_at) == []  # ends exactly, even before the sweep


def test_the_credit_facts_of_an_organisation_include_its_restricted_legal_representative():
    company = OrganisationFactory()
    RestrictionFactory(subject=company.legal_representative)
    subject_facts, representative_facts = credit_facts(company)
    assert subject_facts.restrictions == []
    assert len(representative_facts.restrictions) == 1


def test_the_credit_checks_raw_read_gives_the_restrictions_the_orm_gives_field_by_field():
    """restrictions_in_force reads raw rows (the check's hot path): each value as the ORM would convert it
    (aware datetimes, dates, JSON, choices), on SQLite and PostgreSQL alike."""
    first, second = PersonFactory(), PersonFactory()
    RestrictionFactory(subject=first)
    RestrictionFactory(subject=first, ends_at=timezone.now() + timedelta(days=400))
    RestrictionFactory(subject=second, ended=True)
    found = restrictions_in_force([first, second], timezone.now())
    assert list(found) == [first.pk]
    expected = list(Restriction.objects.filter(subject=first).order_by("-ends_at"))
    fields = [f.attname for f in Restriction._meta.concrete_fields]
    assert [[getattr(r, name) for name in fields] for r in found[first.pk]] == [
        [getattr(r, name) for name in fields] for r in expected]
    assert found[first.pk][0]._state.adding is False and found[first.pk][0].ends_at.tzinfo is not None


def test_lifting_needs_a_reason_and_is_recorded():
    r = RestrictionFactory()
    supervisor = UserFactory()
    with pytest.raises(ValidationError):
        restriction_lift(restriction_id=r.pk, by=supervisor, reason="  ")
    lifted = restriction_lift(restriction_id=r.pk, by=supervisor, reason="完成信用修复（公益服务）")
    assert lifted.state == RestrictionState.LIFTED and lifted.lifted_by == supervisor
    assert active_restrictions(r.subject, timezone.now()) == []
    change = StateChange.objects.get(object_id=r.pk, target=RestrictionState.LIFTED)
    assert (change.source, change.by, change.reason) == ("active", supervisor, "完成信用修复（公益服务）")


def test_a_lifted_restriction_cannot_be_lifted_again():
    r = RestrictionFactory()
    restriction_lift(restriction_id=r.pk, by=None, reason="修复")
    with pytest.raises(ValidationError, match="提前解除|lifted"):
        restriction_lift(restriction_id=r.pk, by=None, reason="再次")


def test_the_sweep_expires_only_ended_restrictions_and_can_run_twice():
    ended = RestrictionFactory(ended=True)
    running = RestrictionFactory()
    assert restrictions_expire() == 1
    assert restrictions_expire() == 0
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.state, running.state) == (RestrictionState.EXPIRED, RestrictionState.ACTIVE)


def test_a_restriction_must_end_after_it_starts():
    now = timezone.now()
    with pytest.raises(ValidationError):
        restriction_impose(subject=PersonFactory(), reason="x", legal_act="y", starts_at=now, ends_at=now)
    with pytest.raises(IntegrityError):
        RestrictionFactory(starts_at=now, ends_at=now - timedelta(days=1))
