"""What the public verification page may say about a document: its current status, the holder masked."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.masking import mask_number
from approvals.models import LicenceState

from .models import Document, DocumentKind

STATUS_LABELS = {
    "valid": _("valid"), "revoked": _("revoked"), "expired": _("expired"), "superseded": _("superseded"),
    "suspended": _("suspended"), "issued": _("issued"),
}


@dataclass
class Verification:
    document: Document
    status: str  # valid, revoked, expired, superseded, suspended, issued
    status_label: str
    since: date | datetime | None
    holder_name: str
    holder_number: str


def verification_for(document: Document, *, today: date | None = None) -> Verification:
    today = today or timezone.localdate()
    since = None
    if document.kind == DocumentKind.CERTIFICATE:
        licence = document.act
        status = str(licence.state)
        if status == LicenceState.REVOKED:
            since = licence.revoked_at
        elif status == LicenceState.VALID and licence.valid_to and licence.valid_to < today:
            status, since = "expired", licence.valid_to
        elif status == LicenceState.EXPIRED:
            since = licence.valid_to
    else:
        status = "issued"
    if document.superseded_by_id and status in ("valid", "issued"):
        status, since = "superseded", document.superseded_by.issued_at
    holder = document.holder
    return Verification(document=document, status=status, status_label=str(STATUS_LABELS.get(status, status)),
                        since=since, holder_name=holder.masked_name, holder_number=mask_number(holder.number))
