from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LicenceState(models.TextChoices):
    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    # Translators: legal term 撤销
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    SUPERSEDED = "superseded", _("superseded")


class LicenceCounter(models.Model):
    """Gapless numbering per matter and year: the row is locked while a number is taken."""

    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["matter", "year"], name="licence_counter_unique")]


class Licence(models.Model):
    application_matter = models.OneToOneField(
        "approvals.ApplicationMatter", on_delete=models.PROTECT, related_name="licence"
    )
    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, related_name="licences")
    holder = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="licences", verbose_name=_("holder"))
    number = models.CharField(_("licence number"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    state = models.CharField(_("state"), max_length=12, choices=LicenceState.choices, default=LicenceState.VALID)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "year", "sequence"], name="licence_sequence_unique")]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self):
        return self.number
