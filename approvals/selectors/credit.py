"""What the credit check looks at for one subject: grade, the dishonest list, restrictions; for an
organisation its legal representative too (穿透, seed 001)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from ..ports import restriction_lookups
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


def credit_facts(subject: Subject, at: datetime | None = None) -> list[SubjectCreditFacts]:
    """Facts for the subject and, for an organisation, its legal representative: one query per source."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    people = [(subject, "subject")]
    if subject.legal_representative_id:
        people.append((subject.legal_representative, "legal_representative"))
    subjects = [s for s, _role in people]
    grades: dict[int, CreditGrade] = {}
    for grade in CreditGrade.objects.filter(subject__in=subjects, assessed_on__lte=day).order_by(
        "subject_id", "-assessed_on", "-pk"
    ):
        grades.setdefault(grade.subject_id, grade)
    dishonest: dict[str, list[DishonestEntry]] = {}
    for entry in DishonestEntry.objects.filter(number__in=[s.number for s in subjects], listed_on__lte=day).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=day)
    ):
        dishonest.setdefault(entry.number, []).append(entry)
    restrictions: dict[int, list] = {}
    for lookup in restriction_lookups:
        for pk, found in lookup(subjects, at).items():
            restrictions.setdefault(pk, []).extend(found)
    return [
        SubjectCreditFacts(subject=s, role=role, grade=grades.get(s.pk), dishonest=dishonest.get(s.number, []),
                           restrictions=restrictions.get(s.pk, []))
        for s, role in people
    ]
