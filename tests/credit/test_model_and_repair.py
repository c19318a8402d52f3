"""Bad input: a model whose bands overlap or leave a gap, or whose caps make no sense, is refused with a clear
message; a repair record without evidence or without an authorised officer is refused. Active repair offsets
deductions at the model's rates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from approvals.roles import SUPERVISOR, WINDOW_STAFF
from approvals.services._common import Refused
from credit.models import Entry, GradeBand, Score, VersionState
from credit.services import entry_record, explain_subject, version_copy, version_problems, version_publish
from tests.approvals.factories import CreditGradeFactory, PersonFactory, UserFactory

from .helpers import entry, version

pytestmark = pytest.mark.django_db


def test_the_shipped_models_are_sound():
    assert version_problems(version("huzhou")) == []
    assert version_problems(version("dongtou")) == []


def test_bands_with_a_gap_or_an_overlap_are_refused_with_the_scores_named():
    draft = version_copy(version_id=version("huzhou").pk)
    GradeBand.objects.filter(version=draft, grade="B").update(upper=Decimal(350))  # B ends at 350, A from 360
    with pytest.raises(Refused) as refused:
        version_publish(version_id=draft.pk, by=UserFactory(role=SUPERVISOR))
    assert any("B" in m and "A" in m and "350" in m and "360" in m and "评级" in m for m in refused.value.messages), \
        refused.value.messages
    GradeBand.objects.filter(version=draft, grade="B").update(upper=Decimal(370))  # now B and A overlap
    problems = version_problems(draft)
    assert any("重叠" in p and "360" in p and "370" in p for p in problems), problems
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_a_cap_below_one_entry_or_two_indicators_on_the_same_entries_are_refused():
    draft = version_copy(version_id=version("huzhou").pk)
    draft.indicators.filter(code="kept").update(cap=Decimal(10))
    growth = draft.indicators.get(code="growth")
    growth.matures_months = None
    growth.save()
    problems = version_problems(draft)
    assert any("信用承诺履约践诺" in p and "10" in p for p in problems), problems
    assert any("成长激励" in p and "重叠" in p for p in problems), problems


def test_a_published_version_is_replaced_by_the_next_and_the_grade_records_it():
    supervisor = UserFactory(role=SUPERVISOR)
    old = version("huzhou")
    draft = version_copy(version_id=old.pk)
    draft.indicators.filter(code="kept").update(points=Decimal(25))
    version_publish(version_id=draft.pk, by=supervisor)
    old.refresh_from_db()
    assert old.state == VersionState.RETIRED and version("huzhou") == draft
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="B", assessed_on=date(2026, 1, 1))
    entry(person, "commitment_kept", date(2026, 2, 1))
    from credit.services import recalculate

    score = recalculate([person.pk], date(2026, 3, 1))[person.pk]
    assert (score.version, score.points) == (draft, Decimal("345.00"))


def test_active_repair_needs_an_authorised_officer_and_evidence_and_offsets_deductions():
    person = PersonFactory()
    CreditGradeFactory(subject=person, grade="B", assessed_on=timezone.localdate() - timedelta(days=30))
    entry(person, "violation_1", timezone.localdate() - timedelta(days=10))  # −30
    officer = UserFactory(role=SUPERVISOR)
    with pytest.raises(PermissionDenied):
        entry_record(subject_id=person.pk, source="volunteering", quantity=10, occurred_on=timezone.localdate(),
                     evidence="志愿汇证明 No.1", by=UserFactory(role=WINDOW_STAFF))
    with pytest.raises(Refused) as refused:
        entry_record(subject_id=person.pk, source="volunteering", quantity=10, occurred_on=timezone.localdate(),
                     evidence="  ", by=officer)
    assert "evidence" in refused.value.message_dict
    with pytest.raises(Refused) as refused:
        entry_record(subject_id=person.pk, source="volunteering", quantity=-1, occurred_on=timezone.localdate(),
                     evidence="x", by=officer)
    assert "quantity" in refused.value.message_dict
    assert not Entry.objects.filter(subject=person, recorded_by__isnull=False).exists()

    entry_record(subject_id=person.pk, source="volunteering", quantity=12, occurred_on=timezone.localdate(),
                 evidence="志愿服务时长证明（志愿汇）编号ZY-2026-118，12小时", by=officer)
    assert Score.objects.get(subject=person).points == Decimal("302.00")  # 320 − 30 + 12
    entry_record(subject_id=person.pk, source="blood_donation", quantity=1, occurred_on=timezone.localdate(),
                 evidence="无偿献血证 No.330500-77", by=officer)
    result = explain_subject(person)
    assert result.repair_offered == Decimal(32) and result.repair_used == Decimal(30)
    assert result.points == Decimal("320.00")  # repair clears deductions and never raises the score beyond
