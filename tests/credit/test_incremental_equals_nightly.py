"""The incremental path (Python, per subject, with the explanation lines) and the nightly run (one set-based
statement) give the same score and grade for every subject, whatever the entries (Hypothesis)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit.models import Entry, Score
from credit.services import explain_subject, nightly_run
from tests.approvals.factories import CreditGradeFactory, OrganisationFactory, PersonFactory

from .helpers import entry, version

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 25)
SOURCES = ["commitment_kept", "violation_1", "violation_2", "violation_3", "restriction", "commendation",
           "volunteering", "blood_donation", "donation"]

entries = st.lists(st.tuples(
    st.integers(0, 3),  # which subject: 0-2 persons, 3 the organisation (its representative is person 0)
    st.sampled_from(SOURCES),
    st.integers(-900, 30),  # days from DAY
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
    st.one_of(st.none(), st.integers(-30, 400)),  # own end (a restriction's)
    st.booleans(),  # withdrawn
), max_size=25)


@pytest.mark.parametrize("code", ["huzhou", "dongtou"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=entries, grades=st.lists(st.sampled_from(["A", "B", "C", "D", None]), min_size=4, max_size=4))
def test_nightly_and_incremental_agree(code, rows, grades):
    Entry.objects.all().delete()
    Score.objects.all().delete()
    people = [PersonFactory() for _ in range(3)]
    company = OrganisationFactory(legal_representative=people[0])
    subjects = people + [company]
    for subject, grade in zip(subjects, grades):
        if grade:
            CreditGradeFactory(subject=subject, grade=grade, assessed_on=DAY - timedelta(days=30))
    for who, source, offset, quantity, ends, withdrawn in rows:
        on = DAY + timedelta(days=offset)
        entry(subjects[who], source, on, quantity, ends_on=on + timedelta(days=ends) if ends is not None else None,
              withdrawn_at=None if not withdrawn else "2026-01-01T00:00:00Z")
    model = version(code)
    nightly_run(DAY, model)
    stored = {s.subject_id: (s.points, s.grade) for s in Score.objects.filter(version=model)}
    for subject in subjects:
        result = explain_subject(subject, DAY, model)
        expected = (result.points, result.grade) if result else None
        got = stored.get(subject.pk)
        got = (Decimal(got[0]).quantize(Decimal("0.01")), got[1]) if got else None
        assert got == expected, (subject.kind, rows)


def test_a_second_nightly_run_changes_nothing_and_an_entry_ending_is_seen_the_next_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from approvals.selectors.credit import credit_facts_for

    person, other = PersonFactory(), PersonFactory()
    for subject in (person, other):
        CreditGradeFactory(subject=subject, grade="B", assessed_on=DAY - timedelta(days=300))
    entry(person, "violation_1", DAY - timedelta(days=178))  # six months: stops counting within the week
    entry(other, "commitment_kept", DAY - timedelta(days=3))
    model = version("huzhou")
    first = nightly_run(DAY, model)
    assert first.scores == 2
    before = {s.subject_id: (s.points, s.grade) for s in Score.objects.all()}
    again = nightly_run(DAY, model)
    assert again.scores == 0  # idempotent: nothing to write
    assert {s.subject_id: (s.points, s.grade) for s in Score.objects.all()} == before
    assert before[person.pk][0] == Decimal("290.00")

    ends = next(line.ends_on for line in explain_subject(person, DAY, model).lines if line.source == "violation_1")
    at = datetime.combine(ends, datetime.min.time(), tzinfo=ZoneInfo("Asia/Shanghai")).replace(hour=9)
    facts = credit_facts_for([person, other], at)  # no nightly run on that day: the stale score is recomputed
    grades = {pk: found[0].grade for pk, found in facts.items()}
    assert (grades[person.pk].points, grades[person.pk].grade) == (Decimal("320.00"), "B")
    assert grades[other.pk].points == Decimal("340.00")
    assert Score.objects.get(subject=person).points == Decimal("290.00")  # a read stores nothing
