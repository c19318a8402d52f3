"""The certificates of a packaged commitment (打包承诺, case 14 Dezhou: 1,063 nurse certificates at once).

Numbered together in the transaction that issues the licences (one counter lock per chunk, one bulk insert),
rendered after the commit by chunked tasks that any number of workers share, beside them the package's listing
(证照清单): one PDF with every holder and number, the batch's own document. The staff member who decided the
package follows the progress on the package page (documents.selectors.package_certificates_progress)."""

import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from approvals.models import Licence, Package
from approvals.sequences import take_numbers

from .models import NUMBER_PREFIX, CertificateBatch, Document, DocumentCounter, DocumentKind, RenderStatus
from .services import ERROR_MAX, document_render

logger = logging.getLogger(__name__)

# documents per render task: small enough that two workers share a package evenly and a lost worker costs little
RENDER_CHUNK = 20


def _certificates_of(package_id: int):
    return Document.objects.filter(kind=DocumentKind.CERTIFICATE, application__package_id=package_id)


def _licences_without_certificate(package_id: int):
    content_type = ContentType.objects.get_for_model(Licence)
    numbered = Document.objects.filter(kind=DocumentKind.CERTIFICATE, content_type=content_type).values("object_id")
    return (Licence.objects.filter(application_matter__application__package_id=package_id)
            .exclude(pk__in=numbered).select_related("application_matter").order_by("pk"))


def _enqueue_renders(document_ids: list[int], package_id: int, *, listing: bool) -> None:
    import outbox  # written in the caller's transaction, sent at commit, relayed if lost

    # the listing first: its seconds of work (a table of every holder) run beside the certificates' chunks,
    # not alone at the end while the other workers have nothing left to do
    if listing:
        outbox.enqueue("documents.tasks.certificate_listing_render", [package_id])
    chunks = [document_ids[start:start + RENDER_CHUNK] for start in range(0, len(document_ids), RENDER_CHUNK)]
    # one INSERT; sent at the commit and marked sent in one UPDATE
    outbox.enqueue_many("documents.tasks.certificates_render", [[chunk] for chunk in chunks])


def _issue_missing(package: Package, *, by, final: bool) -> list[Document]:
    CertificateBatch.objects.get_or_create(package=package, defaults={"started_by": by})
    batch = CertificateBatch.objects.select_for_update().get(package=package)
    licences = list(_licences_without_certificate(package.pk))
    documents = []
    if licences:
        now = timezone.now()
        year = timezone.localdate(now).year
        first = take_numbers(DocumentCounter, count=len(licences), kind=DocumentKind.CERTIFICATE, year=year)
        content_type = ContentType.objects.get_for_model(Licence)
        prefix = NUMBER_PREFIX[DocumentKind.CERTIFICATE]
        documents = Document.objects.bulk_create([
            Document(kind=DocumentKind.CERTIFICATE, number=f"{prefix}-{year}-{first + i:06d}", year=year,
                     sequence=first + i, issued_at=now, content_type=content_type, object_id=licence.pk,
                     holder_id=licence.holder_id, application_id=licence.application_matter.application_id)
            for i, licence in enumerate(licences)])
        batch.listing_status = RenderStatus.PENDING
    batch.closed = final
    batch.save(update_fields=["closed", "listing_status"])
    return documents


@transaction.atomic
def package_certificates_issue(*, package: Package, by, final: bool = True) -> list[Document]:
    """A certificate for every licence of the package that has none (证照, one per licence): numbered in one
    block of the per-kind yearly sequence, created in bulk, rendered by tasks enqueued after the commit
    (RENDER_CHUNK documents each). Idempotent: a licence that already has its certificate is left as it is."""
    documents = _issue_missing(package, by=by, final=final)
    _enqueue_renders([d.pk for d in documents], package.pk, listing=final)  # bulk_create sets the ids (RETURNING)
    return documents


def on_package_decided(*, package, licences, by, final: bool, **kwargs) -> None:
    """approvals.ports.package_decided_handlers: never breaks the decision (a savepoint, errors logged); a
    licence left without its certificate is picked up by package_certificates_resume."""
    try:
        with transaction.atomic():
            package_certificates_issue(package=package, by=by, final=final)
    except Exception:  # noqa: BLE001
        logger.exception("issuing the certificates of package %s failed", package.pk)


def certificates_render(*, document_ids: list[int]) -> dict[int, str]:
    """Render each document (each in its own transaction, so a slow one holds no other). The listing is a task
    of its own (certificate_listing_render), sent with them. -> {document id: status}"""
    return {pk: document_render(pk).status for pk in document_ids}


def certificate_listing_render(*, package_id: int) -> CertificateBatch | None:
    """The package's listing (证照清单), once the decision is over: every certificate's holder and numbers, all
    fixed when they were numbered, so it is made beside their PDFs, not after them; made again only when
    certificates were added since. Safe to call often and concurrently (the batch is locked)."""
    from .context import certificate_listing_context
    from .rendering import render_pdf

    with transaction.atomic():
        # of self only: locking the package row too would deadlock with a decision chunk holding it
        batch = (CertificateBatch.objects.select_for_update(of=("self",)).select_related("package__organisation")
                 .filter(package_id=package_id).first())
        if batch is None or not batch.closed:
            return batch
        count = _certificates_of(package_id).count()
        if batch.listing_status == RenderStatus.RENDERED and batch.listing_count == count:
            return batch
        try:
            with translation.override(batch.package.organisation.language):
                data = render_pdf("documents/certificate_listing.html", certificate_listing_context(batch))
        except Exception as error:  # noqa: BLE001 - recorded, shown on the package page
            logger.exception("rendering the listing of package %s failed", package_id)
            batch.listing_status, batch.listing_error = RenderStatus.FAILED, f"{type(error).__name__}: {error}"[:ERROR_MAX]
            batch.save(update_fields=["listing_status", "listing_error"])
            return batch
        batch.listing.save(f"certificates-{count}.pdf", ContentFile(data), save=False)
        batch.listing_sha256, batch.listing_count = hashlib.sha256(data).hexdigest(), count
        batch.listing_status, batch.listing_error, batch.listing_rendered_at = RenderStatus.RENDERED, "", timezone.now()
        batch.save(update_fields=["listing", "listing_sha256", "listing_count", "listing_status", "listing_error",
                                  "listing_rendered_at"])
        return batch


def package_certificates_resume(*, package_id: int, by) -> int:
    """Staff, from the package page: number what is missing (e.g. a person decided alone later), and render
    again every certificate not rendered yet (failed, or its task lost) and the listing. -> documents queued"""
    package = Package.objects.get(pk=package_id)
    with transaction.atomic():
        _issue_missing(package, by=by, final=True)
        ids = list(_certificates_of(package_id).exclude(status=RenderStatus.RENDERED).values_list("pk", flat=True))
        Document.objects.filter(pk__in=ids).update(status=RenderStatus.PENDING)
        CertificateBatch.objects.filter(package_id=package_id).exclude(
            listing_status=RenderStatus.RENDERED).update(listing_status=RenderStatus.PENDING)
        _enqueue_renders(ids, package_id, listing=True)
    return len(ids)
