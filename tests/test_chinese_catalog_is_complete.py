"""Every user-facing string has its Simplified Chinese translation, and none is a machine guess (fuzzy)."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
import viewflow
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# the project catalog plus each app's own (apps with a locale/ directory keep their strings there), and
# locale_vendor/: the installed libraries' strings their own zh_Hans catalogs lack (viewflow's /flow/ pages)
CATALOGS = ([ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]
            + sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
            + [ROOT / "locale_vendor/zh_Hans/LC_MESSAGES/django.po"])
needs_gettext = pytest.mark.skipif(shutil.which("msgattrib") is None, reason="needs gettext (make setup installs it)")


@needs_gettext
@pytest.mark.parametrize("po", CATALOGS, ids=[str(p.relative_to(ROOT)) for p in CATALOGS])
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_no_untranslated_or_fuzzy_entries(flag, po):
    out = subprocess.run(["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    entries = [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert entries == [], f"{len(entries)} {flag} entries, e.g. {entries[:5]}"


VIEWFLOW_CATALOG = Path(viewflow.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
# date-input placeholders stay in Latin letters: "MM" is both the month and the minute
SAME_IN_CHINESE = {"YYYY", "MM", "DD", "HH", "SS"}


@needs_gettext
def test_every_string_of_viewflows_catalog_comes_out_in_chinese(tmp_path):
    """viewflow ships its zh_Hans catalog untranslated: each of its strings is translated by locale_vendor/, or by
    the project's or Django's catalogs (which locale_vendor/ leaves alone). A viewflow upgrade that adds strings to
    its catalog fails here until they are translated in locale_vendor/."""
    filled, mo = tmp_path / "viewflow.po", tmp_path / "viewflow.mo"
    # msgstr = msgid, so that every entry gets into the .mo
    subprocess.run(["msgen", "-o", filled, VIEWFLOW_CATALOG], check=True)
    subprocess.run(["msgfmt", "-o", mo, filled], check=True)
    with mo.open("rb") as f:
        keys = gettext.GNUTranslations(f)._catalog  # msgid, "context\x04msgid", or (msgid, n) of a plural entry
    english = []
    with translation.override("zh-hans"):
        for key in keys:
            if key == "" or key in SAME_IN_CHINESE or isinstance(key, tuple) and key[1] != 0:
                continue
            if isinstance(key, tuple):  # a plural entry: the plural form in Chinese is neither English form
                singular, plural = key[0], keys[(key[0], 1)]
                shown, english_forms = translation.ngettext(singular, plural, 2), (singular, plural)
            elif "\x04" in key:
                context, msgid = key.split("\x04")
                shown, english_forms = translation.pgettext(context, msgid), (msgid,)
            else:
                shown, english_forms = translation.gettext(key), (key,)
            if shown in english_forms:
                english.append(key)
    assert len(keys) > 100 and english == [], f"{len(english)} of viewflow's strings in English: {english[:10]}"
