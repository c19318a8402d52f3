"""Every user-facing string has its Simplified Chinese translation, and none is a machine guess (fuzzy)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the project catalog plus each app's own (apps with a locale/ directory keep their strings there)
CATALOGS = [ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"] + sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="needs gettext (make setup installs it)")
@pytest.mark.parametrize("po", CATALOGS, ids=[str(p.relative_to(ROOT)) for p in CATALOGS])
@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_no_untranslated_or_fuzzy_entries(flag, po):
    out = subprocess.run(["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True).stdout
    entries = [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert entries == [], f"{len(entries)} {flag} entries, e.g. {entries[:5]}"
