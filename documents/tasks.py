from celery.signals import worker_process_shutdown

from outbox import outbox_task


@worker_process_shutdown.connect
def _fonts_forget(**kwargs) -> None:
    """A pool process ending (prefork exits without atexit): its kept fonts' temporary folder goes with it."""
    from .rendering import forget_kept

    forget_kept()


class RenderFailed(Exception):
    """Raised for a failed render (recorded on the document): the outbox retries the task with backoff and
    after the last retry opens an incident (outbox admin); the document stays `failed` in the admin's list."""


@outbox_task
def document_render(document_id: int) -> str:
    """Render one document; idempotent (a rendered document is left as it is)."""
    from .models import RenderStatus
    from .services import document_render as render

    document = render(document_id)
    if document.status == RenderStatus.FAILED:
        raise RenderFailed(f"{document.number}: {document.error}")
    return document.status


@outbox_task
def certificates_render(document_ids: list[int]) -> dict:
    """A chunk of a package's certificates (documents.batch); idempotent like document_render. A chunk with a
    failed one is retried whole (the rendered ones are skipped), then becomes an incident."""
    from .batch import certificates_render as render
    from .models import RenderStatus

    statuses = render(document_ids=document_ids)
    failed = [pk for pk, status in statuses.items() if status == RenderStatus.FAILED]
    if failed:
        raise RenderFailed(f"documents {failed} failed to render")
    return statuses


@outbox_task
def certificate_listing_render(package_id: int) -> str | None:
    """The package's listing (证照清单) once the decision is over, beside its certificates; a no-op before that or
    when current."""
    from .batch import certificate_listing_render as render

    batch = render(package_id=package_id)
    return batch.listing_status if batch else None
