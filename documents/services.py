"""Issue a document for an act (numbered once) and render it after the act's transaction commits."""

import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from approvals.ports import package_deciding
from approvals.sequences import take_numbers

from .models import NUMBER_PREFIX, Document, DocumentCounter, DocumentKind, RenderStatus

logger = logging.getLogger(__name__)

ERROR_MAX = 4000


def _next_number(kind: str, year: int) -> int:
    return take_numbers(DocumentCounter, kind=kind, year=year)  # gapless per kind and year


def _holder_and_application(kind: str, obj):
    if kind == DocumentKind.CERTIFICATE:
        return obj.holder, obj.application_matter.application
    if kind == DocumentKind.COMMITMENT_LETTER:
        return obj.letter.signer_subject, obj.letter.application
    if kind in (DocumentKind.RECTIFICATION_ORDER, DocumentKind.REVOCATION_DECISION, DocumentKind.RESTRICTION_NOTICE):
        from .sanctions import holder_and_application

        return holder_and_application(kind, obj)
    return obj.subject, obj


def _enqueue(document_id: int, key: str | None = None) -> None:
    import outbox  # the transactional outbox: written with the act, sent at commit, relayed if lost

    outbox.enqueue("documents.tasks.document_render", [document_id], key=key)


@transaction.atomic(savepoint=False)  # its callers hold a savepoint of their own (_safely, documents.sanctions)
def document_issue(kind: str, obj) -> Document:
    """The document of `kind` for the act `obj` (Licence, Application, Signature): created once, with the next
    number of its kind and year; its rendering is enqueued after the transaction commits."""
    content_type = ContentType.objects.get_for_model(obj)
    existing = Document.objects.filter(kind=kind, content_type=content_type, object_id=obj.pk).first()
    if existing:
        return existing
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = _next_number(kind, year)
    holder, application = _holder_and_application(kind, obj)
    document = Document.objects.create(
        kind=kind, number=f"{NUMBER_PREFIX[kind]}-{year}-{sequence:06d}", year=year, sequence=sequence,
        issued_at=now, content_type=content_type, object_id=obj.pk, holder=holder, application=application,
    )
    _enqueue(document.pk, key=f"document-render:{document.pk}")
    return document


def document_supersede(old: Document, new: Document) -> None:
    Document.objects.filter(pk=old.pk, superseded_by__isnull=True).update(superseded_by=new)


def document_render(document_id: int) -> Document:
    """Render and store the PDF unless already rendered (a stored PDF never changes). A failure is recorded
    on the document (error, attempts) and not raised: the task decides whether to retry."""
    from .context import BUILDERS
    from .rendering import render_pdf

    with transaction.atomic():
        # of self: the holder's row stays free (a package decision may be updating people meanwhile)
        document = Document.objects.select_for_update(of=("self",)).select_related("holder").get(pk=document_id)
        if document.status == RenderStatus.RENDERED:
            return document
        document.attempts += 1
        try:
            template, build = BUILDERS[document.kind]
            with translation.override(document.holder.language):  # in the recipient's language
                data = render_pdf(template, build(document))
        except Exception as error:  # noqa: BLE001 - any failure is recorded for the admin list
            logger.exception("rendering document %s failed", document.number)
            document.status = RenderStatus.FAILED
            document.error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
            document.save(update_fields=["status", "error", "attempts"])
            return document
        document.sha256 = hashlib.sha256(data).hexdigest()
        document.size = len(data)
        document.pdf.save(f"{document.token}.pdf", ContentFile(data), save=False)
        document.status, document.error, document.rendered_at = RenderStatus.RENDERED, "", timezone.now()
        document.save(update_fields=["pdf", "sha256", "size", "status", "error", "attempts", "rendered_at"])
        return document


def documents_render_again(queryset) -> int:
    """Admin: enqueue the failed ones again."""
    ids = list(queryset.exclude(status=RenderStatus.RENDERED).values_list("pk", flat=True))
    with transaction.atomic():
        Document.objects.filter(pk__in=ids).update(status=RenderStatus.PENDING)
        for pk in ids:
            _enqueue(pk)
    return len(ids)


# --- the listeners registered on approvals' ports (documents/apps.py) ------------------------------------

def _safely(kind: str, obj) -> Document | None:
    """Never break the act's transaction: a savepoint, and errors logged. -> the document, None if it failed"""
    try:
        with transaction.atomic():
            return document_issue(kind, obj)
    except Exception:  # noqa: BLE001
        logger.exception("issuing the %s document for %r failed", kind, obj)
        return None


# The licences a package decision issues together get their certificates from documents.batch (numbered in
# bulk, rendered by chunked tasks, progress on the package page), not one by one here.

def on_licence_issued(*, licence, **kwargs) -> None:
    package_id = licence.application_matter.application.package_id
    if package_id and package_deciding.get() == package_id:
        return
    _safely(DocumentKind.CERTIFICATE, licence)


# Packaged applications' notices and letters: the package has one letter for everyone (not built as a document
# yet); a notice per person would be a thousand renders for the package's preparation.


def on_process_event(event: str, application) -> None:
    if application.package_id:
        return
    if event == "notified":
        _safely(DocumentKind.NOTICE, application)
    elif event == "signed":
        letter = getattr(application, "letter", None)
        signature = letter.active_signature() if letter else None
        if signature is None:
            return
        new = _safely(DocumentKind.COMMITMENT_LETTER, signature)
        if new is not None:  # a new signature after a withdrawal: the earlier letter document is superseded
            for old in Document.objects.filter(kind=DocumentKind.COMMITMENT_LETTER, application=application,
                                               superseded_by__isnull=True).exclude(pk=new.pk):
                document_supersede(old, new)
    elif event == "accepted_lenient":
        # the supplements are created after this event, in the same transaction; the rendering (after the
        # commit) reads them
        _safely(DocumentKind.SUPPLEMENT_NOTICE, application)
