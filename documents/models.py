"""Issued legal documents (告知书, 承诺书, 容缺补正材料通知书, 证照): numbered once, rendered once, verifiable."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("notification")
    COMMITMENT_LETTER = "commitment_letter", _("commitment letter")
    SUPPLEMENT_NOTICE = "supplement_notice", _("supplement notice")
    CERTIFICATE = "certificate", _("certificate")
    RECTIFICATION_ORDER = "rectification_order", _("rectification order")
    REVOCATION_DECISION = "revocation_decision", _("revocation decision")
    RESTRICTION_NOTICE = "restriction_notice", _("restriction notice")


# the document number's prefix per kind (告, 诺, 补, 证 in the number's spelling)
NUMBER_PREFIX = {
    DocumentKind.NOTICE: "GZ", DocumentKind.COMMITMENT_LETTER: "CN",
    DocumentKind.SUPPLEMENT_NOTICE: "BZ", DocumentKind.CERTIFICATE: "ZS",
    DocumentKind.RECTIFICATION_ORDER: "ZG", DocumentKind.REVOCATION_DECISION: "CX",
    DocumentKind.RESTRICTION_NOTICE: "ZY",
}


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RENDERED = "rendered", _("rendered")
    FAILED = "failed", pgettext_lazy("rendering", "failed")


class DocumentCounter(models.Model):
    """Gapless numbering per kind and year: the row is locked while a number is taken."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_counter_unique")]


def new_token() -> str:
    return secrets.token_urlsafe(24)


SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(10))


def pdf_upload_to(instance, filename):
    return f"documents/{instance.year}/{instance.kind}/{instance.token}.pdf"


class Document(models.Model):
    """One issued document for one act (kind + act unique): issued once; a correction is a new document
    that the old one points to through superseded_by."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField(_("issued at"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    act = GenericForeignKey("content_type", "object_id")
    holder = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="documents",
                               verbose_name=_("holder"))
    # the application the act belongs to: who may download the PDF (applications_visible_to)
    application = models.ForeignKey("approvals.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="documents", verbose_name=_("application"))
    pdf = models.FileField(_("PDF"), upload_to=pdf_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    short_code = models.CharField(_("short code"), max_length=12, unique=True, default=new_short_code,
                                  editable=False)
    status = models.CharField(_("rendering"), max_length=10, choices=RenderStatus.choices,
                              default=RenderStatus.PENDING)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="supersedes", verbose_name=_("superseded by"))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "content_type", "object_id"], name="document_once_per_act"),
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="document_sequence_unique"),
        ]
        indexes = [models.Index(fields=["status"], name="document_status")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class VerificationLog(models.Model):
    """One look-up of the public verification page."""

    token = models.CharField(max_length=64, db_index=True)
    document = models.ForeignKey(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")


def listing_upload_to(instance, filename):
    return f"documents/packages/{instance.package_id}/{filename}"


class CertificateBatch(models.Model):
    """The certificates of one packaged commitment (打包承诺), numbered together when the package is decided and
    rendered in the background; progress is counted from the documents themselves. The batch's own document is
    the listing (证照清单): every holder with the licence and certificate numbers, one PDF for the package."""

    package = models.OneToOneField("approvals.Package", on_delete=models.PROTECT, related_name="certificate_batch",
                                   verbose_name=_("package"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    # the package's decision has finished issuing (its last chunk committed): the listing may be made
    closed = models.BooleanField(default=False)
    listing = models.FileField(_("listing"), upload_to=listing_upload_to, blank=True)
    listing_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    listing_count = models.PositiveIntegerField(default=0)  # the certificates the stored listing lists
    listing_status = models.CharField(_("rendering"), max_length=10, choices=RenderStatus.choices,
                                      default=RenderStatus.PENDING)
    listing_error = models.TextField(_("error"), blank=True)
    listing_rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self):
        return str(self.package)
