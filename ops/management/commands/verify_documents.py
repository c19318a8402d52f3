import hashlib

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from documents.models import CertificateBatch, Document, RenderStatus


def _digest(field) -> str:
    digest = hashlib.sha256()
    with field.storage.open(field.name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify() -> dict:
    """Every rendered document's stored PDF (and every package listing) read back and hashed:
    -> {"checked": n, "missing": [(number, path)], "changed": [(number, path)]}."""
    result = {"checked": 0, "missing": [], "changed": []}

    def one(label: str, field, expected: str):
        result["checked"] += 1
        if not field.name:
            result["missing"].append((label, ""))
            return
        try:
            actual = _digest(field)
        except (FileNotFoundError, OSError):
            result["missing"].append((label, field.name))
            return
        if actual != expected:
            result["changed"].append((label, field.name))

    for document in Document.objects.filter(status=RenderStatus.RENDERED).only("number", "pdf", "sha256").iterator():
        one(document.number, document.pdf, document.sha256)
    for batch in (CertificateBatch.objects.filter(listing_status=RenderStatus.RENDERED)
                  .select_related("package").iterator()):
        one(str(batch), batch.listing, batch.listing_sha256)
    return result


class Command(BaseCommand):
    requires_system_checks: list = []  # an operator's tool: runs even when a system check fails
    help = ("Re-read every stored document PDF and package listing and compare its SHA-256 with the one recorded "
            "when it was rendered (after a restore, a storage migration, or as a periodic check). Exit status 1 "
            "when a file is missing or changed.")

    def add_arguments(self, parser):
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"])

    def handle(self, *args, lang, **options):
        with translation.override(lang):
            result = verify()
            for label, path in result["missing"]:
                self.stdout.write(self.style.ERROR(_("MISSING %(document)s (%(path)s)")
                                                   % {"document": label, "path": path or "-"}))
            for label, path in result["changed"]:
                self.stdout.write(self.style.ERROR(_("CHANGED %(document)s (%(path)s): its SHA-256 no longer "
                                                     "matches the one recorded at rendering")
                                                   % {"document": label, "path": path}))
            summary = _("%(checked)d files checked, %(missing)d missing, %(changed)d changed.") % {
                "checked": result["checked"], "missing": len(result["missing"]), "changed": len(result["changed"])}
            bad = result["missing"] or result["changed"]
            self.stdout.write(self.style.ERROR(summary) if bad else self.style.SUCCESS(summary))
            if bad:
                self.stdout.write(_("What to do: restore the files from the backup taken with the database "
                                    "(scripts/restore), then run verify_documents again. A changed file must "
                                    "never be served: replace it from the backup."))
        if bad:
            raise SystemExit(1)
