"""What the credit check looks at for one subject: grade, the dishonest list, restrictions; for an
organisation its legal representative too (穿透, seed 001)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from ..credit.ports import restriction_lookups
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
    """Facts for the subject and, for an organisation, its legal representative."""
    at = at or timezone.now()
    people = [(subject, "subject")]
    if subject.legal_representative_id:
        people.append((subject.legal_representative, "legal_representative"))
    return [
        SubjectCreditFacts(
            subject=s, role=role, grade=current_grade(s, at), dishonest=dishonest_entries(s.number, at),
            restrictions=[r for lookup in restriction_lookups for r in lookup(s, at)],
        )
        for s, role in people
    ]
