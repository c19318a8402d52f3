"""Gapless counters: one statement takes the next numbers and holds the row until the act's transaction ends."""

import pytest
from django.db import transaction
from django.db.transaction import TransactionManagementError

from approvals.models import LicenceCounter
from approvals.sequences import take_numbers
from documents.models import DocumentCounter
from tests.approvals.process import matter  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_numbers_follow_on_per_key_and_a_rolled_back_act_gives_them_back(matter):
    matter = matter.matter  # the fixture is the matter's published version
    with transaction.atomic():
        assert take_numbers(DocumentCounter, kind="certificate", year=2026) == 1
        assert take_numbers(DocumentCounter, count=3, kind="certificate", year=2026) == 2  # 2, 3, 4
        assert take_numbers(DocumentCounter, kind="certificate", year=2027) == 1  # another key, its own count
        assert take_numbers(LicenceCounter, matter=matter, year=2026) == 1  # a foreign key as the key
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take_numbers(DocumentCounter, kind="certificate", year=2026) == 5
        raise RuntimeError("the act fails")
    with transaction.atomic():
        assert take_numbers(DocumentCounter, kind="certificate", year=2026) == 5  # 5 was given back
    assert DocumentCounter.objects.get(kind="certificate", year=2026).last == 5
    assert LicenceCounter.objects.get(matter=matter, year=2026).last == 1


def test_a_key_of_the_wrong_model_is_refused(matter):
    with pytest.raises(TypeError, match="Matter"), transaction.atomic():
        take_numbers(LicenceCounter, matter=matter, year=2026)  # the fixture is a MatterVersion
    assert not LicenceCounter.objects.exists()


def test_a_number_is_never_taken_outside_a_transaction_or_in_no_amount():
    with pytest.raises(TransactionManagementError):
        take_numbers(DocumentCounter, kind="certificate", year=2026)
    with pytest.raises(ValueError), transaction.atomic():
        take_numbers(DocumentCounter, count=0, kind="certificate", year=2026)
    assert not DocumentCounter.objects.exists()
