"""Pure rendering: a template and its context in, PDF bytes out (no database, no files written)."""

import atexit
import functools
import os
import shutil
import subprocess
import threading
from collections import OrderedDict
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


STYLESHEETS_KEPT = 16
_kept = threading.local()  # a FontConfiguration (Pango font map) is not thread-safe: one per thread and process


@atexit.register
def forget_kept() -> None:
    """Drop this thread's kept font configuration and remove its temporary folder (the CJK font's copy), at exit
    and when a Celery pool process ends (documents.tasks): not left to FontConfiguration.__del__ and the GC."""
    folder = getattr(getattr(_kept, "font_config", None), "_folder", None)
    _kept.__dict__.clear()
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _shared() -> tuple:
    """(FontConfiguration, {stylesheet text: CSS}) of this process and thread."""
    from weasyprint.text.fonts import FontConfiguration

    pid = os.getpid()
    if getattr(_kept, "pid", None) != pid:
        _kept.pid, _kept.font_config, _kept.stylesheets = pid, FontConfiguration(), OrderedDict()
    return _kept.font_config, _kept.stylesheets


def _split_style(html: str) -> tuple[str, str] | None:
    """(the page without its one <style> element, that element's text), or None when the page is not that plain."""
    if html.count("<style>") != 1 or html.count("</style>") != 1 or "<link" in html or " style=" in html:
        return None
    before, rest = html.split("<style>")
    css, after = rest.split("</style>")
    if "!important" in css or "@import" in css:
        return None
    return before + after, css


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF of the template, byte for byte what WeasyPrint makes of the page with its <style> inline, in
    about two thirds of the time when done a thousand times over in one worker (a package's certificates):
    what WeasyPrint would redo the same for each document is kept per process and thread, the font
    configuration (otherwise it loads the system fonts, copies the 5 MB CJK font to a temporary folder and
    registers it, each time) and each template's stylesheet parsed with it. The stylesheet is then a user one, not the author's: the same to
    the cascade while the page has no other stylesheet, style attribute or !important (checked, else the page
    is rendered as it is)."""
    from weasyprint import CSS, HTML  # lazy import keeps start-up fast

    html, base_url = render_html(template, context), str(settings.BASE_DIR)
    split = _split_style(html)
    if split is None:
        return HTML(string=html, base_url=base_url).write_pdf()
    page, css = split
    font_config, stylesheets = _shared()
    stylesheet = stylesheets.get(css)
    if stylesheet is None:
        stylesheet = stylesheets[css] = CSS(string=css, base_url=base_url, font_config=font_config)
        while len(stylesheets) > STYLESHEETS_KEPT:
            stylesheets.popitem(last=False)
    else:
        stylesheets.move_to_end(css)
    return HTML(string=page, base_url=base_url).write_pdf(stylesheets=[stylesheet], font_config=font_config)
