from datetime import date
from decimal import Decimal

from credit.models import Entry, EvaluationModel

_n = [0]


def entry(subject, source, on: date, quantity=1, **kwargs) -> Entry:
    _n[0] += 1
    return Entry.objects.create(subject=subject, source=source, occurred_on=on, quantity=Decimal(str(quantity)),
                                source_key=f"test:{_n[0]}:{subject.pk}:{source}", **kwargs)


def version(code="huzhou"):
    return EvaluationModel.objects.get(code=code).current_version()
