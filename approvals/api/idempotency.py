"""Idempotency-Key for the mutating endpoints (`@idempotent` on a view's post method).

The first request with a key claims it (a row unique per user and key), runs the operation and stores
its response, all in one transaction: a retry with the same key, method, path and body gets the stored
response back (header `Idempotent-Replayed: true`) without the service running again; the same key with
another method, path or body is refused with 422. A concurrent retry waits on the claim and then replays.

Stored: 2xx and the refusals of the operation (400, 409). Not stored: 401/403/404 (who may do what can
change), 422 and 5xx (rolled back). Keys expire after 24 hours."""

import functools
import hashlib
import hmac
import json
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from outbox.services import insert_new

from ..models import IdempotencyKey
from .errors import error_body

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEEP_FOR = timedelta(hours=24)


def _storable(status_code: int) -> bool:
    return 200 <= status_code < 300 or status_code in (status.HTTP_400_BAD_REQUEST, status.HTTP_409_CONFLICT)


def _file_digest(upload: UploadedFile) -> dict:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)  # the service reads it again
    return {"name": upload.name, "size": upload.size, "sha256": digest.hexdigest()}


def _plain(value):
    return _file_digest(value) if isinstance(value, UploadedFile) else value


def request_fingerprint(request) -> str:
    """Keyed hash of method, path and parsed body (files by content), stable across multipart boundaries."""
    data = request.data
    if hasattr(data, "lists"):  # form or multipart: a QueryDict, files included
        body = {name: [_plain(v) for v in values] for name, values in data.lists()}
    else:
        body = data
    canonical = json.dumps([request.method, request.path, body], cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return hmac.new(settings.SECRET_KEY.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def _claim(*, user, key: str, method: str, path: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    """The caller holds a transaction. Returns (record, True) for a new key, or the stored one, locked."""
    record = IdempotencyKey(user=user, key=key, method=method, path=path, fingerprint=fingerprint,
                            expires_at=timezone.now() + KEEP_FOR)
    # one INSERT … ON CONFLICT DO NOTHING: a new key (nearly every request) costs no read and no savepoint; one
    # being claimed by a concurrent request is waited for, then found stored
    if insert_new(IdempotencyKey, [record], key="key"):
        return record, True
    stored = IdempotencyKey.objects.select_for_update().get(user=user, key=key)
    if stored.expires_at > timezone.now():
        return stored, False
    stored.delete()  # expired: the key is new again
    return _claim(user=user, key=key, method=method, path=path, fingerprint=fingerprint)


def _as_json(data) -> str:
    return json.dumps(data, cls=JSONEncoder, ensure_ascii=False)


def idempotent(handler):
    """Decorate a view method (post) of an APIView; requests without the header pass straight through."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return Response(error_body([_("The Idempotency-Key header is longer than %(max)d characters.")
                                        % {"max": MAX_KEY_LENGTH}], "idempotency_key"),
                            status=status.HTTP_400_BAD_REQUEST)
        method, path = request.method, request.path[:500]
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            record, created = _claim(user=request.user, key=key, method=method, path=path, fingerprint=fingerprint)
            if not created:
                if (record.method, record.path, record.fingerprint) != (method, path, fingerprint):
                    return Response(error_body([
                        _("This Idempotency-Key was already used for another request (%(method)s %(path)s with "
                          "other data). Use a new key for a new request.") % {"method": record.method,
                                                                              "path": record.path},
                    ], "idempotency_key_reused"), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
                return Response(json.loads(record.response), status=record.status_code,
                                headers={REPLAYED_HEADER: "true"})
            try:
                response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                if transaction.get_connection().needs_rollback:
                    raise
                # rendered here, inside the transaction, so that a refusal's evidence (e.g. the decision-time
                # credit check) is committed together with the stored refusal
                response = view.handle_exception(exc)
            if not _storable(response.status_code):
                record.delete()
                return response
            record.status_code, record.response = response.status_code, _as_json(response.data)
            response.data = json.loads(record.response)  # rendered from the same data as every replay
            record.save(update_fields=["status_code", "response"])
            return response

    return wrapper
