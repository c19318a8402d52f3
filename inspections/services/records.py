"""Inspectors' field records: each commitment item of the licence's matter version met / not met / not
applicable with a note and photos; both assigned inspectors sign off; the first sign-off freezes the record; a
non-compliant conclusion goes to sanctions through the port (a violation case, 承诺不实 by default)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import StateChange
from approvals.services.uploads import read_upload, stored_file

from ..models import (
    Conclusion, Draw, DrawState, InspectionRecord, ItemCheck, ItemResult, Obligation, ObligationState, RecordPhoto,
    RecordState, SignOff,
)
from ..ports import noncompliance_handlers, obligation_concluded_handlers
from ._common import Refused


def _lock_obligation(obligation_id: int) -> Obligation:
    return Obligation.objects.select_for_update(of=("self",)).select_related(
        "licence__application_matter__matter_version", "licence__holder").get(pk=obligation_id)


def _require_assigned(obligation: Obligation, user) -> None:
    if not obligation.assignments.filter(inspector=user).exists():
        raise PermissionDenied(_("This check is not assigned to you."))


def _items(obligation: Obligation) -> list[str]:
    version = obligation.licence.application_matter.matter_version
    texts = list(version.commitment_items.order_by("position", "pk").values_list("text", flat=True))
    return texts or [_("The conditions committed to in the commitment letter are met")]


@transaction.atomic
def record_open(*, obligation_id: int, by) -> InspectionRecord:
    """The draft record of an assigned check (created on first opening, with one row per commitment item)."""
    obligation = _lock_obligation(obligation_id)
    _require_assigned(obligation, by)
    draft = obligation.records.filter(state=RecordState.DRAFT).first()
    if draft:
        return draft
    if obligation.state != ObligationState.ASSIGNED:
        raise Refused(_("This check is concluded; to change it, start a correction."), code="state")
    record = InspectionRecord.objects.create(obligation=obligation, created_by=by)
    ItemCheck.objects.bulk_create([ItemCheck(record=record, position=i, text=text)
                                   for i, text in enumerate(_items(obligation), start=1)])
    return record


def _lock_record(record_id: int, by) -> InspectionRecord:
    record = InspectionRecord.objects.select_for_update(of=("self",)).select_related("obligation").get(pk=record_id)
    _require_assigned(record.obligation, by)
    return record


def _editable(record: InspectionRecord) -> None:
    if record.frozen_at:
        raise Refused(_("This record was signed off at %(at)s and can no longer be changed; start a correction.")
                      % {"at": timezone.localtime(record.frozen_at).strftime("%Y-%m-%d %H:%M")}, code="frozen")


@transaction.atomic
def record_item(*, record_id: int, item_id: int, by, result: str, note: str = "") -> ItemCheck:
    record = _lock_record(record_id, by)
    _editable(record)
    if result not in ItemResult.values:
        raise Refused({"result": _("Choose met, not met or not applicable.")}, code="result")
    item = record.items.get(pk=item_id)
    if result == ItemResult.NOT_MET and not (note or "").strip():
        raise Refused({"note": _("Say what was found when an item is not met.")}, code="note")
    item.result, item.note = result, (note or "").strip()
    item.save(update_fields=["result", "note"])
    return item


@transaction.atomic
def record_photo(*, record_id: int, by, upload, item_id: int | None = None) -> RecordPhoto:
    record = _lock_record(record_id, by)
    _editable(record)
    data, content_type = read_upload(upload, field="photo", images_only=True)  # photos: images only
    content, digest = stored_file(data, upload.name)
    return RecordPhoto.objects.create(record=record, item=record.items.get(pk=item_id) if item_id else None,
                                      file=content, filename=upload.name[-255:], content_type=content_type,
                                      size=len(data), sha256=digest, uploaded_by=by)


@transaction.atomic
def record_sign(*, record_id: int, by, note: str = "") -> InspectionRecord:
    """Sign off: every item must have a result. The first signature freezes the record; when every assigned
    inspector has signed, the check concludes (compliant, or non-compliant if any item is not met)."""
    record = _lock_record(record_id, by)
    obligation = _lock_obligation(record.obligation_id)
    if record.signoffs.filter(inspector=by).exists():
        raise Refused(_("You have already signed off this record."), code="duplicate")
    if record.state == RecordState.SIGNED:
        raise Refused(_("This record is already signed off."), code="state")
    missing = [item.position for item in record.items.all() if not item.result]
    if missing:
        raise Refused(_("Record a result for every item before signing off (items %(items)s).")
                      % {"items": "、".join(map(str, missing))}, code="incomplete")
    try:
        with transaction.atomic():
            SignOff.objects.create(record=record, inspector=by)
    except IntegrityError:
        raise Refused(_("You have already signed off this record."), code="duplicate")
    now = timezone.now()
    if not record.frozen_at:
        record.frozen_at = now
        if note:
            record.note = note.strip()
    failed = [item for item in record.items.all() if item.result == ItemResult.NOT_MET]
    record.conclusion = Conclusion.NON_COMPLIANT if failed else Conclusion.COMPLIANT
    assigned = set(obligation.assignments.values_list("inspector_id", flat=True))
    signed = set(record.signoffs.values_list("inspector_id", flat=True))
    if assigned <= signed:
        source = record.state
        record.state, record.signed_at = RecordState.SIGNED, now
        record.save()
        StateChange.record(record, source, record.state, by=by, reason=record.get_conclusion_display())
        _conclude(obligation, record, failed, by)
    else:
        record.save()
    return record


def _conclude(obligation: Obligation, record: InspectionRecord, failed: list, by) -> None:
    source = obligation.state
    obligation.state = ObligationState.NON_COMPLIANT if failed else ObligationState.COMPLIANT
    obligation.concluded_at = timezone.now()
    obligation.save(update_fields=["state", "concluded_at"])
    StateChange.record(obligation, source, obligation.state, by=by, reason=record.get_conclusion_display())
    if failed:
        for handler in noncompliance_handlers:
            handler(record=record, failed_items=failed, by=by)
    for handler in obligation_concluded_handlers:
        handler(obligation=obligation, record=record, by=by)
    if obligation.draw_id:
        draw = Draw.objects.select_for_update().get(pk=obligation.draw_id)
        if draw.state == DrawState.DRAWN and not draw.obligations.filter(state=ObligationState.ASSIGNED).exists():
            draw.state, draw.concluded_at = DrawState.CONCLUDED, timezone.now()
            draw.save(update_fields=["state", "concluded_at"])
            StateChange.record(draw, DrawState.DRAWN, DrawState.CONCLUDED, by=by, reason=_("every check concluded"))


@transaction.atomic
def record_correct(*, record_id: int, by, reason: str) -> InspectionRecord:
    """A correction of a signed-off record: a new draft with the same items and results, referencing it."""
    if not (reason or "").strip():
        raise Refused({"reason": _("Give the reason for the correction.")}, code="reason")
    original = _lock_record(record_id, by)
    if original.state != RecordState.SIGNED:
        raise Refused(_("Only a signed-off record can be corrected; change the draft instead."), code="state")
    if hasattr(original, "correction"):
        raise Refused(_("This record has already been corrected."), code="duplicate")
    record = InspectionRecord.objects.create(obligation=original.obligation, created_by=by, corrects=original,
                                             note=reason.strip())
    ItemCheck.objects.bulk_create([ItemCheck(record=record, position=item.position, text=item.text,
                                             result=item.result, note=item.note) for item in original.items.all()])
    return record
