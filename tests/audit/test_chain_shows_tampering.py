"""verify_audit walks the hash chain: it holds after ordinary work (bulk sweeps included) and reports the first
broken link, with a non-zero exit, once an entry or the chain is altered behind the guard's back."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from audit.models import AuditEntry, AuditSeal
from audit.seal import seal
from audit.verify import verify
from sanctions.models import Restriction, RestrictionState
from tests.audit.helpers import entries, guard_off
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    restrictions = [RestrictionFactory() for _ in range(5)]
    Restriction.objects.update(state=RestrictionState.EXPIRED)
    Restriction.objects.filter(pk=restrictions[0].pk).delete()
    return restrictions


def test_the_chain_holds_after_ordinary_work(work, capsys):
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "11" in out  # 5 created, 5 expired, 1 deleted: every entry is a link
    report = verify()
    assert report.ok and report.links == AuditEntry.objects.count() == 11
    assert list(AuditSeal.objects.values_list("seq", flat=True)) == list(range(1, 12))
    assert report.head_hash == AuditSeal.objects.order_by("-seq").first().hash


def test_an_altered_entry_is_reported_as_the_first_broken_link(work):
    seal()
    victim = entries(Restriction, op="U")[2]
    with guard_off() as cursor:
        cursor.execute("UPDATE audit_entry SET actor = %s WHERE id = %s", ["42", victim.pk])

    with translation.override("en"):
        report = verify()
    assert not report.ok and report.broken == 1
    assert f"(entry {victim.pk}: sanctions_restriction #{victim.object_id}, U," in report.first_broken
    with pytest.raises(CommandError) as refused:  # manage.py exits with status 1
        call_command("verify_audit")
    assert f"审计链已断裂：第 {report.first_broken.split()[1]} 环（审计记录 {victim.pk}：" in str(refused.value)


def test_an_altered_row_snapshot_is_reported_too(work):
    seal()
    victim = entries(Restriction, op="I")[1]
    data = dict(victim.data, reason="从未受到限制")
    with guard_off():
        AuditEntry.objects.filter(pk=victim.pk).update(data=data)
    with translation.override("en"):
        assert f"(entry {victim.pk}:" in verify().first_broken


def test_a_deleted_entry_or_link_is_reported(work):
    seal()
    first, second = AuditSeal.objects.order_by("seq")[3:5]
    with guard_off() as cursor:
        cursor.execute("DELETE FROM audit_entry WHERE id = %s", [first.entry_id])
    with translation.override("en"):
        report = verify()
    assert not report.ok and report.first_broken.endswith(f"its entry {first.entry_id} is missing (deleted)")

    with guard_off() as cursor:
        cursor.execute("DELETE FROM audit_seal WHERE seq = %s", [second.seq])
    report = verify()
    assert report.broken >= 2  # the missing entry, and the gap in the chain (its entry is now outside it)


def test_a_rewritten_chain_hash_is_reported(work):
    seal()
    link = AuditSeal.objects.order_by("seq")[6]
    with guard_off() as cursor:
        cursor.execute("UPDATE audit_seal SET hash = %s WHERE seq = %s", ["f" * 64, link.seq])
    with translation.override("en"):
        report = verify()
    # that link no longer matches its entry, and the next no longer follows from it
    assert not report.ok and report.broken == 2 and report.first_broken.startswith(f"link {link.seq} ")
