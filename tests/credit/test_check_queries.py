"""The credit check reads the model in one statement per check (issue 8) and answers as before: the statement
also reads the row of the version in use with the day of its last complete nightly run, so a version published
or a nightly run finished, in this process or another, is seen by the very next check."""

import dataclasses
import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals.selectors.credit import credit_facts
from credit import providers
from credit.models import ModelVersion, NightlyRun, Score, VersionState
from credit.services import explain_subject, version_copy
from credit.services.scoring import is_fresh
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory

from .helpers import entry, version

pytestmark = pytest.mark.django_db


def graded_person(**kwargs):
    """Imported grade B (800 × 40 % = 320) and one commitment kept (20): huzhou computes 340, grade B."""
    person = PersonFactory(**kwargs)
    CreditGradeFactory(subject=person, grade="B", assessed_on=timezone.localdate() - timedelta(days=30))
    entry(person, "commitment_kept", timezone.localdate() - timedelta(days=3))
    return person


def grade_of(subject, role="subject"):
    return next(f.grade for f in credit_facts(subject) if f.role == role)


def test_a_check_of_an_organisation_and_its_representative_takes_three_queries(django_assert_num_queries):
    company = OrganisationFactory(legal_representative=graded_person())
    credit_facts(company)  # the first check of a process also looks the version up
    # the imported grades with the dishonest list, the restrictions (sanctions), the model with scores and entries
    with django_assert_num_queries(3):
        facts = credit_facts(company)
    seen = {f.role: f.grade for f in facts}
    assert seen["subject"] is None  # huzhou scores persons only; the organisation has no imported grade
    assert (seen["legal_representative"].grade, seen["legal_representative"].points) == ("B", Decimal("340.00"))
    assert seen["legal_representative"].pk is None  # computed for the check, not stored (no nightly run here)


def test_the_model_is_read_in_one_query_with_or_without_a_stored_score(django_assert_num_queries):
    person = graded_person()
    grade_of(person)
    with django_assert_num_queries(1):
        providers.computed_grades([person], timezone.now(), {})
    score = Score.objects.create(subject=person, version=version(), points=Decimal("340.00"), grade="B",
                                 computed_on=timezone.localdate(), valid_until=None)
    with django_assert_num_queries(1):
        found = providers.computed_grades([person], timezone.now(), {})
    assert found[person.pk].pk == score.pk


def test_three_hundred_and_one_subjects_take_two_statements(django_assert_num_queries):
    people = [PersonFactory() for _ in range(301)]
    for person in people[::100]:
        CreditGradeFactory(subject=person, grade="A", assessed_on=timezone.localdate() - timedelta(days=1))
    imported = {p.pk: type("G", (), {"grade": "A"})() for p in people[::100]}
    providers.computed_grades(people[:1], timezone.now(), {})
    with django_assert_num_queries(2):
        found = providers.computed_grades(people, timezone.now(), imported)
    assert sorted(found) == sorted(p.pk for p in people[::100])  # huzhou needs an imported grade
    assert {g.points for g in found.values()} == {Decimal("360.00")}  # 900 × 40 %


def test_a_version_published_by_another_process_is_used_by_the_next_check(django_assert_num_queries):
    person = graded_person()
    old = version()
    assert (grade_of(person).version_id, grade_of(person).points) == (old.pk, Decimal("340.00"))
    draft = version_copy(version_id=old.pk)
    draft.indicators.filter(code="kept").update(points=Decimal(25))
    # published as another process would: straight in the database, nothing in this process told
    ModelVersion.objects.filter(pk=old.pk).update(state=VersionState.RETIRED)
    ModelVersion.objects.filter(pk=draft.pk).update(state=VersionState.PUBLISHED, published_at=timezone.now())
    grade = grade_of(person)
    assert (grade.version_id, grade.points) == (draft.pk, Decimal("345.00"))
    imported = {person.pk: person.grades.get()}
    with django_assert_num_queries(1):  # and from then on one statement again
        found = providers.computed_grades([person], timezone.now(), imported)
    assert found[person.pk].version_id == draft.pk


def test_a_nightly_run_finished_by_another_process_vouches_for_the_stored_score_from_the_next_check():
    person = graded_person()
    day = timezone.localdate()
    # a score its own dates no longer vouch for (and different from what the entries give, to tell them apart)
    score = Score.objects.create(subject=person, version=version(), points=Decimal("999.99"), grade="A",
                                 computed_on=day - timedelta(days=5), valid_until=day - timedelta(days=1))
    assert (grade_of(person).pk, grade_of(person).points) == (None, Decimal("340.00"))
    NightlyRun.objects.create(version=version(), day=day, finished_at=timezone.now())
    assert (grade_of(person).pk, grade_of(person).points) == (score.pk, Decimal("999.99"))


OFFSETS = list(itertools.product(["huzhou", "dongtou"], [1, 0, -3], [None, 0, 1, -1], [False, True]))


@pytest.mark.parametrize("code, computed, valid_until, vouched", OFFSETS)
def test_a_stored_score_is_used_exactly_when_is_fresh_says_so(code, computed, valid_until, vouched, settings,
                                                              django_assert_num_queries):
    """Every case at the edges of is_fresh (computed tomorrow, today, before; good until none, today, tomorrow,
    yesterday; with or without a complete nightly run today), under a model without and one with entries passed
    through (dongtou): the statement's own reading of the rule leaves passed-through entries out only where the
    score is used."""
    settings.CREDIT_EVALUATION_MODEL = code
    person = graded_person()
    day = timezone.localdate()
    entry(OrganisationFactory(legal_representative=person), "violation_2", day - timedelta(days=10))
    score = Score.objects.create(subject=person, version=version(code), points=Decimal("999.99"), grade="A",
                                 computed_on=day + timedelta(days=computed),
                                 valid_until=None if valid_until is None else day + timedelta(days=valid_until))
    if vouched:
        NightlyRun.objects.create(version=version(code), day=day, finished_at=timezone.now())
    grade_of(person)
    imported = {person.pk: person.grades.get()}
    with django_assert_num_queries(1):
        found = providers.computed_grades([person], timezone.now(), imported)
    if is_fresh(score, day, day if vouched else None):
        assert (found[person.pk].pk, found[person.pk].points) == (score.pk, Decimal("999.99"))
    else:
        expected = explain_subject(person, day, version(code))
        assert (found[person.pk].pk, found[person.pk].points, found[person.pk].grade) == (
            None, expected.points, expected.grade)


def test_passed_entries_left_out_on_a_nightly_day_that_turned_out_wrong_are_read_after_all(
        settings, django_assert_num_queries):
    settings.CREDIT_EVALUATION_MODEL = "dongtou"
    person = PersonFactory()
    day = timezone.localdate()
    entry(OrganisationFactory(legal_representative=person), "violation_2", day - timedelta(days=10))  # −10
    entry(person, "commitment_kept", day - timedelta(days=20))  # +1
    Score.objects.create(subject=person, version=version("dongtou"), points=Decimal("999.99"), grade="A",
                         computed_on=day - timedelta(days=5), valid_until=day - timedelta(days=1))
    in_use = dataclasses.replace(providers._resolve("dongtou"), vouched=day)  # assumed: a run today (there is none)
    with django_assert_num_queries(2):
        read = providers._read(in_use, [person], day, pinned=True)
        found = providers._grades(in_use, read, day, {})
    assert (found[person.pk].pk, found[person.pk].points) == (None, Decimal("91.00"))


def test_dongtou_passes_an_organisations_entries_to_its_representative_in_the_same_statement(
        settings, django_assert_num_queries):
    settings.CREDIT_EVALUATION_MODEL = "dongtou"
    person = PersonFactory()
    company = OrganisationFactory(legal_representative=person)
    day = timezone.localdate()
    entry(company, "violation_2", day - timedelta(days=10))  # 未兑现政务承诺（较重）: −10, passed through
    entry(person, "commitment_kept", day - timedelta(days=20))  # +1
    credit_facts(company)
    with django_assert_num_queries(3):
        grade = grade_of(company, "legal_representative")
    expected = explain_subject(person, day, version("dongtou"))
    assert (grade.points, grade.grade) == (expected.points, expected.grade) == (Decimal("91.00"), "B")


def test_grades_and_dishonest_entries_read_in_one_statement_are_the_rows_the_orm_reads():
    """approvals reads its two sources by hand in one statement: the objects are those the ORM would give (dates,
    times, every field), the latest grade on the day wins, and the entries in force come newest first."""
    from approvals.models import CreditGrade, DishonestEntry, DishonestImport

    company = OrganisationFactory()
    day = timezone.localdate()
    CreditGradeFactory(subject=company, grade="C", assessed_on=day - timedelta(days=40))
    latest = CreditGradeFactory(subject=company, grade="B", assessed_on=day - timedelta(days=4))
    CreditGradeFactory(subject=company, grade="A", assessed_on=day + timedelta(days=1))  # not yet
    CreditGradeFactory(subject=company.legal_representative, grade="D", assessed_on=day)
    source = DishonestImport.objects.create(list_name="失信被执行人", filename="a.csv", sha256="0" * 64)

    def listed(number, on, removed=None, name="失信被执行人"):
        return DishonestEntry.objects.create(list_name=name, number=number, name="某", reason="未履行", authority="法院",
                                             listed_on=on, removed_on=removed, source_import=source)

    older = listed(company.number, day - timedelta(days=300))
    newer = listed(company.number, day - timedelta(days=3), name="重大税收违法")
    listed(company.number, day - timedelta(days=200), removed=day)  # removed today: no longer in force
    listed(company.number, day + timedelta(days=2))  # not yet
    facts = {f.role: f for f in credit_facts(company)}
    fields = [f.attname for f in CreditGrade._meta.concrete_fields]
    assert [getattr(facts["subject"].grade, n) for n in fields] == [
        getattr(CreditGrade.objects.get(pk=latest.pk), n) for n in fields]
    assert facts["legal_representative"].grade.grade == "D"
    fields = [f.attname for f in DishonestEntry._meta.concrete_fields]
    assert [[getattr(e, n) for n in fields] for e in facts["subject"].dishonest] == [
        [getattr(DishonestEntry.objects.get(pk=e.pk), n) for n in fields] for e in (newer, older)]
    assert facts["legal_representative"].dishonest == []
