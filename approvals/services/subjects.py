from django.db import transaction

from ..models import Subject, SubjectKind


@transaction.atomic
def subject_create(*, kind: str, name: str, number: str, legal_representative: Subject | None = None,
                   phone: str = "", email: str = "", user=None, language: str = "zh-hans") -> Subject:
    """Register a person (GB 11643 ID card number) or an organisation (GB 32100 credit code)."""
    subject = Subject(kind=kind, name=name.strip(), number=number, phone=phone, email=email, user=user,
                      language=language,
                      legal_representative=legal_representative if kind == SubjectKind.ORGANISATION else None)
    subject.full_clean()  # normalises the number and names every bad field
    subject.save()
    return subject
