"""Applications (办件). The foundation holds what the catalog and role rules need; the process
(credit check, notice, signing, decision) is built on top of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, Mode


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class Application(models.Model):
    subject = models.ForeignKey(
        "approvals.Subject", on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"#{self.pk} {self.subject}"


class ApplicationMatter(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="matters")
    matter_version = models.ForeignKey(
        "approvals.MatterVersion", on_delete=models.PROTECT, related_name="application_matters"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "matter_version"], name="application_matter_unique"),
        ]
        verbose_name = _("applied matter")
        verbose_name_plural = _("applied matters")

    def __str__(self):
        return str(self.matter_version)
