"""Uploaded materials: content-checked (PDF, JPEG, PNG by their first bytes, not the file name), size-limited,
and opened before they are kept: a damaged or truncated file, an image of absurd dimensions (decompression
bomb), a PDF with scripts, launch actions or embedded files, and a polyglot (a file that is also a ZIP archive
or carries HTML/script markup) are refused with a reason; nothing is stored."""

import hashlib
import io
import re
import warnings
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ._common import Refused

SIGNATURES = [(b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png")]
IMAGE_TYPES = {"image/jpeg", "image/png"}

# markup a browser or interpreter would run if the file were ever served or opened as text
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|html|iframe|svg|object|embed|body|meta)\b|<\?php|<%[=@\s]|javascript:",
                           re.I)
# PDF names that run code, open other programs or carry other files (PDF 32000-1: 12.6 actions, 7.11 files)
PDF_ACTIVE_NAMES = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
                    "/SubmitForm", "/ImportData", "/GoToE", "/Sound", "/Movie"}
PDF_NAME = re.compile(rb"/[A-Za-z0-9#_.\-]+")
PDF_MAX_OBJECTS = 100_000


def sniff(data: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if data.startswith(magic):
            return content_type
    return None


def _refuse_active(field):
    raise Refused({field: _("The file contains scripts, embedded files or other active content, which are not "
                            "accepted; please upload a plain scan or photo.")}, code="active")


def _refuse_damaged(field):
    raise Refused({field: _("The file is damaged or incomplete and cannot be opened; please scan or save it "
                            "again.")}, code="damaged")


def _pdf_name(raw: bytes) -> str:
    # names may hide letters as #xx escapes (/J#61vaScript)
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw[1:]).decode("latin-1")


def _check_pdf(data: bytes, field: str) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if b"%%EOF" not in data[-2048:]:
        _refuse_damaged(field)
    if any(_pdf_name(m.group()) in PDF_ACTIVE_NAMES for m in PDF_NAME.finditer(data)):
        _refuse_active(field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise Refused({field: _("The PDF is protected by a password; please upload it without one.")},
                              code="encrypted")
            # walk every object reachable from the trailer (object streams are decompressed by pypdf)
            pending, seen = [reader.trailer], set()
            while pending:
                node = pending.pop()
                if isinstance(node, IndirectObject):
                    key = (node.idnum, node.generation)
                    if key in seen:
                        continue
                    seen.add(key)
                    if len(seen) > PDF_MAX_OBJECTS:
                        _refuse_damaged(field)
                    node = node.get_object()
                if isinstance(node, DictionaryObject):
                    for name, value in node.items():
                        if name in PDF_ACTIVE_NAMES or (isinstance(value, NameObject) and value in PDF_ACTIVE_NAMES):
                            _refuse_active(field)
                        pending.append(value)
                elif isinstance(node, ArrayObject):
                    pending.extend(node)
            if len(reader.pages) < 1:
                _refuse_damaged(field)
    except Refused:
        raise
    except Exception:  # pypdf raises many kinds on a broken file; all mean the same to the person uploading
        _refuse_damaged(field)


def _jpeg_complete(data: bytes) -> bool:
    """Walk the JPEG's segments from SOI through every scan to EOI. Pillow alone cannot be asked: WeasyPrint,
    once imported, sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES for the whole process and a cut-off photo then
    decodes silently with a grey bottom."""
    at, end = 2, len(data)
    while at + 4 <= end:
        if data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            at += 2
            continue
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if marker == 0xDA:  # a scan: entropy-coded data up to the next marker that is not a stuffed 00 or a restart
            while True:
                at = data.find(b"\xff", at)
                if at < 0 or at + 1 >= end:
                    return False
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    at += 2 if following != 0xFF else 1
                    continue
                break
    return end >= at + 2 and data[at:at + 2] == b"\xff\xd9"


def _check_image(data: bytes, content_type: str, field: str) -> None:
    from PIL import Image

    limit = getattr(settings, "UPLOAD_MAX_PIXELS", 50_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > limit:
                raise Refused({field: _("The image is %(width)d × %(height)d pixels; the limit is %(limit).0f million "
                                        "pixels. Please reduce it.")
                               % {"width": width, "height": height, "limit": limit / 1e6}}, code="dimensions")
            if image.get_format_mimetype() != content_type:
                _refuse_damaged(field)
            if content_type == "image/png":
                image.verify()  # every chunk's checksum up to IEND: a truncated file fails here
            else:
                if not _jpeg_complete(data):
                    _refuse_damaged(field)
                image.draft("L", (max(1, width // 8), max(1, height // 8)))  # decode at 1/8: cheap, reads it all
                image.load()
    except Refused:
        raise
    except Image.DecompressionBombError:
        raise Refused({field: _("The image's dimensions are too large to be processed; please reduce it.")},
                      code="dimensions")
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError... on a broken image
        _refuse_damaged(field)


def inspect_content(data: bytes, content_type: str, *, field: str = "file") -> None:
    """Refuse a file that is not what it claims to be all the way through."""
    if ACTIVE_MARKUP.search(data):
        _refuse_active(field)
    try:
        is_zip = zipfile.is_zipfile(io.BytesIO(data))  # a ZIP read from its end: a JPEG+ZIP "GIFAR" polyglot
    except Exception:
        is_zip = False
    if is_zip:
        _refuse_active(field)
    if content_type == "application/pdf":
        _check_pdf(data, field)
    else:
        _check_image(data, content_type, field)


def read_upload(upload, *, field: str = "file", images_only: bool = False) -> tuple[bytes, str]:
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
    if images_only and content_type not in IMAGE_TYPES:
        raise Refused({field: _("Only JPEG or PNG photos are accepted; this file is neither (whatever its name "
                                "says).")}, code="type")
    if content_type is None:
        raise Refused({field: _("Only PDF, JPEG or PNG files are accepted; this file is none of them "
                                "(whatever its name says).")}, code="type")
    inspect_content(data, content_type, field=field)
    return data, content_type


def stored_file(data: bytes, name: str) -> tuple[ContentFile, str]:
    return ContentFile(data, name=name), hashlib.sha256(data).hexdigest()
