from celery import shared_task

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def document_render(self, document_id: int) -> str:
    """Render one document; idempotent (a rendered document is left as it is). A failed render is retried with
    backoff; after the last retry it stays `failed`, listed in the admin with its error."""
    from .models import RenderStatus
    from .services import document_render as render

    document = render(document_id)
    if document.status == RenderStatus.FAILED and not self.request.is_eager and self.request.retries < MAX_RETRIES:
        raise self.retry(countdown=min(30 * 2 ** self.request.retries, 3600))
    return document.status


@shared_task(bind=True, acks_late=True)
def certificates_render(self, document_ids: list[int]) -> dict:
    """A chunk of a package's certificates (documents.batch); idempotent like document_render. Each failed one
    goes on to document_render's retries, then to the admin's list of failed documents."""
    from .batch import certificates_render as render
    from .models import RenderStatus

    statuses = render(document_ids=document_ids)
    if not self.request.is_eager:
        for pk, status in statuses.items():
            if status == RenderStatus.FAILED:
                document_render.apply_async((pk,), countdown=30)
    return statuses


@shared_task(acks_late=True)
def certificate_listing_render(package_id: int) -> str | None:
    """The package's listing (证照清单) once its certificates are rendered; a no-op before that or when current."""
    from .batch import certificate_listing_render as render

    batch = render(package_id=package_id)
    return batch.listing_status if batch else None
