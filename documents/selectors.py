"""What the public verification page may say about a document: its current status, the holder masked."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.masking import mask_number
from approvals.models import Licence, LicenceState

from .models import CertificateBatch, Document, DocumentKind, RenderStatus

STATUS_LABELS = {
    "valid": _("valid"), "revoked": _("revoked"), "expired": _("expired"), "superseded": _("superseded"),
    "suspended": _("suspended"), "issued": _("issued"), "in_force": _("in force"), "ended": _("ended"),
    "lifted": _("lifted early"), "withdrawn": _("withdrawn"),
}


@dataclass
class Verification:
    document: Document
    status: str  # valid, revoked, expired, superseded, suspended, issued
    status_label: str
    since: date | datetime | None
    holder_name: str
    holder_number: str
    # a revoked certificate: the revocation decision (its number and date are shown)
    decision: Document | None = None


def _revocation_decision(licence) -> Document | None:
    from django.contrib.contenttypes.models import ContentType

    from sanctions.models import Violation

    return (Document.objects.filter(kind=DocumentKind.REVOCATION_DECISION,
                                    content_type=ContentType.objects.get_for_model(Violation),
                                    object_id__in=licence.violations.values("pk"))
            .order_by("issued_at").first())


def _sanction_status(document: Document, now) -> tuple[str, datetime | None]:
    """A restriction notice says whether the restriction is still in force; a case's documents say when the
    case was withdrawn after an upheld objection."""
    from sanctions.models import RestrictionState, ViolationState

    act = document.act
    if document.kind == DocumentKind.RESTRICTION_NOTICE:
        if act.state == RestrictionState.WITHDRAWN:
            return "withdrawn", None
        if act.state == RestrictionState.LIFTED or (act.lifted_at and act.lifted_at <= now):
            return "lifted", act.lifted_at
        if act.ends_at <= now:
            return "ended", act.ends_at
        return "in_force", act.starts_at
    if act.state == ViolationState.WITHDRAWN:
        return "withdrawn", None
    return "issued", None


def verification_for(document: Document, *, today: date | None = None) -> Verification:
    today = today or timezone.localdate()
    since = decision = None
    if document.kind == DocumentKind.CERTIFICATE:
        licence = document.act
        status = str(licence.state)
        if status == LicenceState.REVOKED:
            since = licence.revoked_at
            decision = _revocation_decision(licence)
        elif status == LicenceState.VALID and licence.valid_to and licence.valid_to < today:
            status, since = "expired", licence.valid_to
        elif status == LicenceState.EXPIRED:
            since = licence.valid_to
    elif document.kind in (DocumentKind.RESTRICTION_NOTICE, DocumentKind.RECTIFICATION_ORDER,
                           DocumentKind.REVOCATION_DECISION):
        status, since = _sanction_status(document, timezone.now())
    else:
        status = "issued"
    if document.superseded_by_id and status in ("valid", "issued"):
        status, since = "superseded", document.superseded_by.issued_at
    holder = document.holder
    return Verification(document=document, status=status, status_label=str(STATUS_LABELS.get(status, status)),
                        since=since, holder_name=holder.masked_name, holder_number=mask_number(holder.number),
                        decision=decision)


STALLED_AFTER = timedelta(minutes=10)


@dataclass
class CertificatesProgress:
    """How far a package's certificates are (documents.batch): rendered N of M, failed K, and the listing."""

    batch: CertificateBatch | None
    licences: int  # licences of the package: each gets a certificate
    issued: int  # certificates numbered
    rendered: int
    failed: int
    pending: int

    @property
    def done(self) -> bool:
        return self.issued == self.licences and self.pending == 0 and self.failed == 0 and self.listing_ready

    @property
    def working(self) -> bool:
        """Something is still being rendered: the page refreshes itself."""
        listing_due = self.batch is not None and self.batch.closed and not self.listing_ready and self.failed == 0
        return self.pending > 0 or (listing_due and self.batch.listing_status == RenderStatus.PENDING)

    @property
    def stalled(self) -> bool:
        """Still waiting long after the decision (a lost task, a broker that was down): offer to resume."""
        return (self.working and self.batch is not None
                and self.batch.started_at < timezone.now() - STALLED_AFTER)

    @property
    def listing_ready(self) -> bool:
        return (self.batch is not None and self.batch.listing_status == RenderStatus.RENDERED
                and self.batch.listing_count == self.issued)

    @property
    def percent(self) -> int:
        return int(100 * self.rendered / self.licences) if self.licences else 0


def package_certificates_progress(package) -> CertificatesProgress:
    """Two counting queries for any size of package."""
    counts = dict(Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package=package)
                  .order_by().values_list("status").annotate(n=Count("pk")))
    return CertificatesProgress(
        batch=CertificateBatch.objects.filter(package=package).first(),
        licences=Licence.objects.filter(application_matter__application__package=package).count(),
        issued=sum(counts.values()), rendered=counts.get(RenderStatus.RENDERED, 0),
        failed=counts.get(RenderStatus.FAILED, 0), pending=counts.get(RenderStatus.PENDING, 0))


def package_page_context(*, package, user) -> dict:
    """approvals.ports.package_page_context: the certificates' progress on the package page."""
    progress = package_certificates_progress(package)
    return {"certificates": progress if progress.licences or progress.batch else None}
