"""The data generator: every number passes its check digits (and our own rules), same seed gives the same data."""

import io

import pytest
from django.core.management import call_command

from approvals.models import CreditGrade, Licence, Subject
from approvals.validators import validate_credit_code, validate_id_card_number
from demo.generator import Generator
from inspections.models import Obligation
from sanctions.models import Restriction

pytestmark = pytest.mark.django_db


def test_generated_numbers_are_valid_and_everything_is_linked():
    out = io.StringIO()
    call_command("generate_data", subjects=600, restrictions=50, licences=120, inspectors=4, seed=7, stdout=out)
    assert "done in" in out.getvalue()
    people = Subject.objects.filter(kind="person")
    orgs = Subject.objects.filter(kind="organisation")
    assert people.count() >= 500 and orgs.count() >= 80
    for subject in people:
        validate_id_card_number(subject.number)
    for subject in orgs:
        validate_credit_code(subject.number)
        assert subject.legal_representative.kind == "person"
    assert CreditGrade.objects.filter(source="generate_data").count() == people.count() + orgs.count()
    assert Restriction.objects.count() == 50
    assert Licence.objects.count() == 120 == Obligation.objects.count()
    assert len(set(Licence.objects.values_list("number", flat=True))) == 120


def snapshot():
    return (sorted(Subject.objects.values_list("kind", "name", "number")),
            sorted((r.reason, r.ends_at - r.starts_at) for r in Restriction.objects.all()))


def test_the_same_seed_gives_the_same_data():
    first = Generator(seed=3, progress=lambda _m: None)
    first.subjects(300)
    first.restrictions(20)
    once = snapshot()
    Restriction.objects.all().delete()
    Subject.objects.filter(kind="organisation").delete()
    Subject.objects.all().delete()
    again = Generator(seed=3, progress=lambda _m: None)
    again.subjects(300)
    again.restrictions(20)
    assert snapshot() == once
    other = snapshot()[0]
    assert len(other) == 300
