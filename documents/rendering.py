"""Pure rendering: a template and its context in, PDF bytes out (no database, no files written)."""

import functools
import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string


class NoCJKFont(ImproperlyConfigured):
    pass


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """The file of a font covering Chinese: DOCUMENTS_CJK_FONT, else the first `fc-list :lang=zh` (Debian:
    fonts-wqy-microhei). `fc-match :lang=zh` is not used: without a Chinese font it answers DejaVu anyway."""
    configured = os.environ.get("DOCUMENTS_CJK_FONT") or getattr(settings, "DOCUMENTS_CJK_FONT", "")
    candidates = [configured] if configured else []
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
        candidates += sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    candidates.append("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    for path in candidates:
        if path and Path(path).is_file():
            return path
    raise NoCJKFont("No Chinese (CJK) font found for the documents: install fonts-wqy-microhei "
                    "(apt-get install fonts-wqy-microhei) or set DOCUMENTS_CJK_FONT to a .ttf/.ttc/.otf file.")


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, {**context, "cjk_font_url": Path(cjk_font_path()).as_uri()})


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # lazy import keeps start-up fast

    return HTML(string=render_html(template, context), base_url=str(settings.BASE_DIR)).write_pdf()
