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
