"""Entries from our own events (hooked into the ports of approvals, inspections and sanctions), and the
entries an authorised officer records with evidence (commendations, active repair: volunteering, blood
donation, donations)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Subject
from approvals.services._common import Refused

from ..models import RECORDED_SOURCES, Entry, Source
from .scoring import recalculate_quietly

LEVEL_SOURCES = {1: Source.VIOLATION_1, 2: Source.VIOLATION_2, 3: Source.VIOLATION_3}
RECORD_PERMISSION = "credit.add_entry"


def _entry(*, subject, source_key: str, **values) -> Entry:
    entry, _created = Entry.objects.get_or_create(source_key=source_key, defaults={"subject": subject, **values})
    return entry


def violation_counted(violation) -> Entry | None:
    """A graded violation counts at its level from the day of the act (rectification ordered, licence revoked,
    restriction imposed); escalated, the entry moves to the higher level."""
    source = LEVEL_SOURCES.get(violation.level or 0)
    if source is None:
        return None
    entry = Entry.objects.select_for_update().filter(source_key=f"violation:{violation.pk}").first()
    if entry is None:
        try:
            with transaction.atomic():
                entry = Entry.objects.create(subject=violation.subject, source=source, source_key=f"violation:{violation.pk}",
                                             occurred_on=timezone.localdate(), violation_id=violation.pk,
                                             description=f"{violation.number} {violation.kind.label}")
        except IntegrityError:
            entry = Entry.objects.select_for_update().get(source_key=f"violation:{violation.pk}")
    if entry.source != source and int(entry.source[-1]) < int(source[-1]):
        entry.source = source
        entry.save(update_fields=["source"])
    return entry


def violation_withdrawn(violation, *, reason: str = "") -> int:
    """An upheld objection: the case's entry and everything derived from it (its restrictions) stop counting."""
    now = timezone.now()
    return (Entry.objects.filter(violation_id=violation.pk, withdrawn_at__isnull=True)
            .update(withdrawn_at=now, withdrawal_reason=reason or _("objection upheld")))


def on_sanction_act(act: str, obj) -> None:
    """sanctions.ports.act_listeners."""
    if act in ("rectification_ordered", "revoked"):
        violation_counted(obj)
        recalculate_quietly([obj.subject])
    elif act == "restricted":
        if obj.violation_id:
            violation_counted(obj.violation)
        recalculate_quietly([obj.subject])
    elif act in ("restriction_lifted", "restriction_withdrawn"):
        recalculate_quietly([obj.subject])
    elif act == "objection_decided" and obj.state == "upheld":
        violation_withdrawn(obj.violation, reason=obj.reasons or _("objection upheld"))
        recalculate_quietly([obj.violation.subject])


def on_obligation_concluded(*, obligation, record=None, by=None) -> None:
    """inspections.ports.obligation_concluded_handlers: a verification that passed is a commitment kept;
    one that failed takes back a "kept by the window" entry (the violation case counts instead)."""
    if obligation.holder_id is None:
        return
    key = f"obligation:{obligation.pk}"
    if obligation.state == "compliant":
        _entry(subject=obligation.holder, source_key=key, source=Source.COMMITMENT_KEPT,
               occurred_on=timezone.localdate(obligation.concluded_at or timezone.now()),
               description=obligation.licence.number)
    else:
        Entry.objects.filter(source_key=key, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawal_reason=_("the verification found the commitment broken"))
    recalculate_quietly([obligation.holder])


def can_record(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(RECORD_PERMISSION))


@transaction.atomic
def entry_record(*, subject_id: int, source: str, quantity, occurred_on: date, evidence: str, by,
                 description: str = "") -> Entry:
    """An authorised officer records a commendation or active repair (volunteering hours, a blood donation, a
    donation in yuan) with its evidence; the model converts it at its rates."""
    if not can_record(by):
        raise PermissionDenied(_("Only an authorised officer may record commendations and credit repair."))
    errors = {}
    if source not in RECORDED_SOURCES:
        errors["source"] = _("Choose what is being recorded.")
    evidence = (evidence or "").strip()
    if not evidence:
        errors["evidence"] = _("Give the evidence (certificate number, issuing body, what it shows).")
    try:
        quantity = Decimal(str(quantity))
        if quantity <= 0 or quantity != quantity.quantize(Decimal("0.01")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["quantity"] = _("Enter a positive number (hours, times or yuan) with at most two decimals.")
    if occurred_on is None:
        errors["occurred_on"] = _("Enter the date.")
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    if errors:
        raise Refused(errors, code="invalid")
    subject = Subject.objects.select_for_update().get(pk=subject_id)
    entry = Entry.objects.create(
        subject=subject, source=source, quantity=quantity, occurred_on=occurred_on, evidence=evidence,
        recorded_by=by, description=(description or "").strip()[:300],
        source_key=f"recorded:{subject.pk}:{timezone.now().strftime('%Y%m%d%H%M%S%f')}:{by.pk}")
    recalculate_quietly([subject])
    return entry
