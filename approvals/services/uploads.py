"""Uploaded materials: content-checked (PDF, JPEG, PNG by their first bytes, not the file name), size-limited."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ._common import Refused

SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png")]


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def read_upload(upload, *, field: str = "file") -> tuple[bytes, str]:
    """Return (bytes, content type) of an uploaded file or refuse with the reason."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise Refused({field: _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                       % {"size": upload.size / 1e6, "limit": limit / 1e6}}, code="size")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Refused({field: _("The file is larger than the limit of %(limit).0f MB.") % {"limit": limit / 1e6}},
                      code="size")
    if not data:
        raise Refused({field: _("The file is empty.")}, code="empty")
    content_type = sniff(data)
    if content_type is None:
        raise Refused({field: _("Only PDF, JPEG or PNG files are accepted; this file is none of them "
                                "(whatever its name says).")}, code="type")
    return data, content_type


def stored_file(data: bytes, name: str) -> tuple[ContentFile, str]:
    return ContentFile(data, name=name), hashlib.sha256(data).hexdigest()
