"""Hostile files for the upload checks: each is (name, bytes, why it must be refused). Built here, small."""

import io
import struct
import zipfile
import zlib

from PIL import Image

from tests.approvals.process import PDF, PNG


def _jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_bomb(width=60_000, height=60_000) -> bytes:
    """A valid PNG header claiming 3.6 gigapixels, with a little zero data: the decompression bomb shape."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 16, 9)  # the first rows only; a decoder would expand on
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def _jpeg_huge_dimensions() -> bytes:
    """A real JPEG whose frame header (SOF0) is rewritten to claim 65000 × 65000 pixels."""
    data = bytearray(_jpeg())
    at = data.index(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", 65000, 65000)
    return bytes(data)


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A well-formed PDF (correct xref) from object bodies numbered from 1."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


PAGES = [b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]


def _pdf_with_catalog(extra: bytes, *more: bytes) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", *PAGES, *more])


def _pdf_js_in_object_stream() -> bytes:
    """/OpenAction pointing to an action kept inside a compressed object stream (found through a compressed
    cross-reference stream), its names spelt with #-escapes: invisible to a scan of the raw bytes."""
    inner = b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"
    header = b"5 0 "
    stream = zlib.compress(header + inner)
    bodies = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", *PAGES,
              b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(stream))
              + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    rows = struct.pack(">BIH", 0, 0, 65535) + b"".join(struct.pack(">BIH", 1, o, 0) for o in offsets)
    rows += struct.pack(">BIH", 2, 4, 0) + struct.pack(">BIH", 1, xref_at, 0)  # 5: in stream 4; 6: this one
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(rows) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)


MALICIOUS = [
    ("licence.pdf", PDF.replace(b"/Producer (pypdf)", b"/Producer (<script>alert(1)</script>)"),
     "PDF polyglot carrying HTML/JavaScript"),
    ("photo.jpg", _jpeg() + _zip({"evil.class": b"\xca\xfe\xba\xbe" + b"\x00" * 200}), "GIFAR-like JPEG + ZIP (JAR)"),
    ("scan.png", PNG + _zip({"shell.php": b"<?php system($_GET['c']); ?>"}, zipfile.ZIP_STORED),
     "PNG + ZIP polyglot"),
    ("report.pdf", PDF + _zip({"payload.exe": b"MZ" + b"\x00" * 500}), "PDF with a ZIP archive appended"),
    ("bomb.pdf", _zip({f"{n}.bin": b"\x00" * 5_000_000 for n in range(4)}), "zip bomb renamed .pdf"),
    ("bomb2.pdf", b"%PDF-1.7\n" + zlib.compress(b"\x00" * 2_000_000, 9), "compressed garbage with a PDF header only"),
    ("run.pdf", b"#!/bin/sh\nrm -rf / --no-preserve-root\n", "shell script named .pdf"),
    ("macro.pdf", b"Sub AutoOpen()\n Shell \"cmd.exe /c calc\"\nEnd Sub\n", "macro text named .pdf"),
    ("page.png", b"<!doctype html><html><body><script>fetch('/api/applications/')</script></body></html>",
     "HTML named .png"),
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
     "SVG with script named .png"),
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 400,
     "Windows executable named .pdf"),
    ("js.pdf", _pdf_with_catalog(b"/OpenAction << /S /JavaScript /JS (app.launchURL('http://x')) >>"),
     "PDF with an /OpenAction JavaScript"),
    ("launch.pdf", _pdf_with_catalog(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "PDF with a /Launch action"),
    ("hidden.pdf", _pdf_js_in_object_stream(), "PDF with JavaScript hidden in an object stream and #-escapes"),
    ("attach.pdf", _pdf_with_catalog(b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
                                     b"<< /Type /Filespec /F (a.exe) >>"), "PDF with an embedded file"),
    ("cut.pdf", PDF[: len(PDF) // 2], "truncated PDF"),
    ("cut.jpg", _jpeg((400, 300))[:900], "truncated JPEG"),
    ("cut.png", PNG[:40], "truncated PNG"),
    ("huge.png", _png_bomb(), "PNG decompression bomb (60000 × 60000)"),
    ("huge.jpg", _jpeg_huge_dimensions(), "JPEG claiming 65000 × 65000 pixels"),
    ("fake.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "JPEG magic followed by HTML"),
    ("php.png", b"\x89PNG\r\n\x1a\n<?php echo shell_exec($_GET['c']); ?>", "PNG magic followed by PHP"),
    ("empty.pdf", b"", "empty file"),
]
