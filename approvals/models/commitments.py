"""Notice (告知书), commitment letter (承诺书), signatures, supplements (容缺补正)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """What the authority notifies, compiled from the matter versions; fixed once issued."""

    application = models.OneToOneField("approvals.Application", on_delete=models.CASCADE, related_name="notice")
    text = models.TextField(_("text"))
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")


class CommitmentLetter(models.Model):
    """The exact text the applicant signs (its SHA-256 is what a signature binds to).

    One per application, or one for a package of applications (打包承诺)."""

    application = models.OneToOneField(
        "approvals.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="letter"
    )
    package = models.OneToOneField(
        "approvals.Package", on_delete=models.CASCADE, null=True, blank=True, related_name="letter"
    )
    signer_subject = models.ForeignKey(
        "approvals.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("committing party")
    )
    text = models.TextField(_("text"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, package__isnull=True)
                | Q(application__isnull=True, package__isnull=False),
                name="letter_for_application_or_package",
            ),
        ]
        verbose_name = _("commitment letter")
        verbose_name_plural = _("commitment letters")

    def active_signature(self):
        """The signature in force (not withdrawn), or None. The signing service keeps the one it has just made on
        the letter it holds (`signed_now`), so that the listeners in its transaction (documents, notifications,
        the credit feed) do not each read it again."""
        known = self.__dict__.get("signed_now")
        if known is not None and known.withdrawn_at is None:
            return known
        return self.signatures.filter(withdrawn_at__isnull=True).first()


class SignatureChannel(models.TextChoices):
    ONLINE = "online", _("online")
    MOBILE = "mobile", _("mobile")
    COUNTER_PAD = "counter_pad", _("signature pad at the counter")


class ReauthMethod(models.TextChoices):
    PASSWORD = "password", _("password")
    ONE_TIME_CODE = "otp", _("one-time code")


class Signature(models.Model):
    """Evidence of signing. Never edited; a withdrawal is recorded on it, and a new signature is a new row."""

    letter = models.ForeignKey(CommitmentLetter, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signer"))
    signer_subject = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"))
    channel = models.CharField(_("channel"), max_length=12, choices=SignatureChannel.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    text_sha256 = models.CharField(_("SHA-256 of the signed text"), max_length=64)
    reauth_method = models.CharField(_("re-authentication"), max_length=10, choices=ReauthMethod.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("why withdrawn"), blank=True)

    class Meta:
        ordering = ["letter", "signed_at"]
        constraints = [
            # two people (or two clicks) can never leave two live signatures on one letter
            models.UniqueConstraint(fields=["letter"], condition=Q(withdrawn_at__isnull=True), name="one_live_signature"),
        ]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")


class OneTimeCode(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=40)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class SupplementState(models.TextChoices):
    PENDING = "pending", _("awaiting the material")
    SUPPLIED = "supplied", _("supplied, awaiting review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for correction")
    OVERDUE = "overdue", _("overdue")


class Supplement(models.Model):
    """A deferred material (容缺) with its deadline (case 12 Delingha, case 17 Tibet)."""

    application = models.ForeignKey("approvals.Application", on_delete=models.CASCADE, related_name="supplements")
    material = models.ForeignKey("approvals.Material", on_delete=models.PROTECT, related_name="+", verbose_name=_("material"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=SupplementState.choices, default=SupplementState.PENDING)
    upload = models.ForeignKey(
        "approvals.ApplicationMaterial", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("why returned"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "material"], name="one_supplement_per_material"),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="supplement_state_deadline")]
        verbose_name = _("supplement")
        verbose_name_plural = _("supplements")
