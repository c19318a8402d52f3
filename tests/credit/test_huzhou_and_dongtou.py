"""The arithmetic of the shipped models on invented cases (seeds 000, 001, 003)."""

from datetime import date
from decimal import Decimal

import pytest

from credit.models import Score
from credit.services import explain_subject, recalculate
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory

from .helpers import entry, version

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 25)


def test_huzhou_base_800_times_40_percent_plus_ten_commitments_kept_plus_a_commendation():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="B", assessed_on=date(2026, 1, 5))  # provincial score 800
    for day in range(1, 11):
        entry(person, "commitment_kept", date(2026, 10, day))
    entry(person, "commendation", date(2026, 9, 1))
    result = explain_subject(person, DAY, version("huzhou"))
    # 800 × 40 % = 320; 10 × 20 = 200; one commendation 10 → 530, band A (from 360)
    assert result.points == Decimal("530.00")
    assert result.grade == "A" and result.band.label == "优秀"
    assert [t.points for t in result.totals if t.indicator.code in ("provincial", "kept", "commendation")] == [
        Decimal("320.0000"), Decimal("200"), Decimal("10")]


def test_huzhou_caps_commitments_at_400_and_growth_counts_after_a_year():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="D", assessed_on=date(2026, 1, 5))  # 500 × 40 % = 200
    for n in range(25):
        entry(person, "commitment_kept", date(2025, 1, 1 + n))  # kept more than a year ago: growth too
    result = explain_subject(person, DAY, version("huzhou"))
    kept = next(t for t in result.totals if t.indicator.code == "kept")
    growth = next(t for t in result.totals if t.indicator.code == "growth")
    assert kept.points == Decimal(400) and kept.capped
    assert growth.points == Decimal(100) and growth.capped  # 25 × 5 = 125, capped at 100
    assert result.points == Decimal("700.00")


def test_huzhou_does_not_apply_without_an_imported_grade_nor_to_organisations():
    assert explain_subject(PersonFactory(), DAY, version("huzhou")) is None
    company = OrganisationFactory()
    CreditGradeFactory(subject=company, grade="A")
    assert explain_subject(company, DAY, version("huzhou")) is None


def test_a_violation_stops_counting_exactly_on_its_repair_date():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="B", assessed_on=date(2025, 1, 5))
    entry(person, "violation_1", date(2026, 1, 31))  # six months: stops counting on 2026-07-31
    before = explain_subject(person, date(2026, 7, 30), version("huzhou"))
    on = explain_subject(person, date(2026, 7, 31), version("huzhou"))
    assert before.points == Decimal("290.00") and before.grade == "C"
    (line,) = [line for line in before.lines if line.source == "violation_1"]
    assert line.ends_on == date(2026, 7, 31) and line.counts and line.points == Decimal(-30)
    assert before.valid_until == date(2026, 7, 31)
    assert on.points == Decimal("320.00") and on.grade == "B"
    assert not [line for line in on.lines if line.source == "violation_1" and line.counts]


def test_dongtou_passes_an_organisations_entries_through_to_its_legal_representative():
    company = OrganisationFactory()
    representative = company.legal_representative
    entry(company, "violation_2", date(2026, 6, 1))  # 未兑现政务承诺（较重）: −10 for 12 months
    entry(company, "commitment_kept", date(2026, 6, 2))  # passes through too: +1
    entry(company, "commendation", date(2026, 6, 3))  # does not pass through
    result = explain_subject(representative, DAY, version("dongtou"))
    assert result.points == Decimal("91.00") and result.grade == "B"
    assert {line.via for line in result.lines if line.counts} == {company}
    assert explain_subject(company, DAY, version("dongtou")) is None  # the index scores persons


def test_recalculation_is_idempotent():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="A", assessed_on=date(2026, 1, 5))
    entry(person, "commitment_kept", date(2026, 11, 1))
    first = recalculate([person.pk], DAY)[person.pk]
    second = recalculate([person.pk], DAY)[person.pk]
    assert Score.objects.filter(subject=person).count() == 1
    assert (first.pk, first.points, first.grade) == (second.pk, second.points, second.grade) == (
        first.pk, Decimal("380.00"), "A")
