"""What the credit check looks at for one subject: grade, the dishonest list, restrictions; for an
organisation its legal representative too (穿透, seed 001)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from ..ports import grade_providers, restriction_lookups
from ..models import CreditGrade, DishonestEntry, Subject


@dataclass
class SubjectCreditFacts:
    subject: Subject
    role: str  # "subject" | "legal_representative"
    grade: CreditGrade | None
    dishonest: list[DishonestEntry] = field(default_factory=list)
    restrictions: list = field(default_factory=list)


def current_grade(subject: Subject, at: datetime | None = None) -> CreditGrade | None:
    at = at or timezone.now()
    return subject.grades.filter(assessed_on__lte=timezone.localdate(at)).order_by("-assessed_on", "-pk").first()


def dishonest_entries(number: str, at: datetime | None = None) -> list[DishonestEntry]:
    day = timezone.localdate(at or timezone.now())
    return list(
        DishonestEntry.objects.filter(number=number, listed_on__lte=day).filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=day)
        )
    )


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _grades_on(subject_ids: list[int], day) -> dict[int, CreditGrade]:
    """Each subject's latest grade assessed on or before `day`. Raw SQL: this is the hot path of every
    application (逢办必查), and the ORM's query building cost more than the query itself."""
    table = CreditGrade._meta.db_table
    rows = CreditGrade.objects.raw(
        f"SELECT * FROM {table} WHERE subject_id IN ({_in(subject_ids)}) AND assessed_on <= %s "
        "ORDER BY subject_id, assessed_on DESC, id DESC",
        [*subject_ids, connection.ops.adapt_datefield_value(day)],
    )
    latest: dict[int, CreditGrade] = {}
    for grade in rows:
        latest.setdefault(grade.subject_id, grade)
    return latest


def _dishonest_on(numbers: list[str], day) -> dict[str, list[DishonestEntry]]:
    table = DishonestEntry._meta.db_table
    day = connection.ops.adapt_datefield_value(day)
    found: dict[str, list[DishonestEntry]] = {}
    for entry in DishonestEntry.objects.raw(
        f"SELECT * FROM {table} WHERE number IN ({_in(numbers)}) AND listed_on <= %s "
        "AND (removed_on IS NULL OR removed_on > %s) ORDER BY listed_on DESC",
        [*numbers, day, day],
    ):
        found.setdefault(entry.number, []).append(entry)
    return found


def _chunks(values: list, size: int = 400):
    for start in range(0, len(values), size):  # SQLite allows 999 parameters per query
        yield values[start:start + size]


def credit_facts_for(subjects: list[Subject], at: datetime | None = None) -> dict[int, list[SubjectCreditFacts]]:
    """Facts for many subjects at once (a package): {subject pk: [the subject's facts, its legal
    representative's facts]}; one query per source per chunk."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    people = {s.pk: s for s in subjects}
    for s in subjects:
        if s.legal_representative_id:
            people[s.legal_representative_id] = s.legal_representative
    everyone = list(people.values())
    grades: dict[int, CreditGrade] = {}
    dishonest: dict[str, list[DishonestEntry]] = {}
    restrictions: dict[int, list] = {}
    for chunk in _chunks(everyone):
        grades.update(_grades_on([s.pk for s in chunk], day))
        dishonest.update(_dishonest_on([s.number for s in chunk], day))
        for lookup in restriction_lookups:
            for pk, found in lookup(chunk, at).items():
                restrictions.setdefault(pk, []).extend(found)
        for provider in grade_providers:  # a computed grade (credit) where a model applies; imported otherwise
            grades.update(provider(chunk, at, grades))

    def facts(s: Subject, role: str) -> SubjectCreditFacts:
        return SubjectCreditFacts(subject=s, role=role, grade=grades.get(s.pk), dishonest=dishonest.get(s.number, []),
                                  restrictions=restrictions.get(s.pk, []))

    return {
        s.pk: [facts(s, "subject")]
        + ([facts(s.legal_representative, "legal_representative")] if s.legal_representative_id else [])
        for s in subjects
    }


def credit_facts(subject: Subject, at: datetime | None = None) -> list[SubjectCreditFacts]:
    """Facts for the subject and, for an organisation, its legal representative (穿透): one query per source."""
    return credit_facts_for([subject], at)[subject.pk]
