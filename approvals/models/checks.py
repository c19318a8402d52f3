"""Credit checks (批前信用核验 · 批中信用核查): stored as evidence on every application."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckStage(models.TextChoices):
    INTAKE = "intake", _("at intake")
    CHOICE = "choice", _("at mode choice")  # again before a mode is opened, when a restriction came into force since
    DECISION = "decision", _("at decision")


class CreditCheck(models.Model):
    """What was looked at, what it showed, when, under which rule version; and the entitlement per matter.

    `inputs` and `entitlements` are written once and never changed."""

    application = models.ForeignKey(
        "approvals.Application", on_delete=models.CASCADE, related_name="credit_checks", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=CheckStage.choices)
    checked_at = models.DateTimeField(_("checked at"))
    rule_version = models.CharField(_("rule version"), max_length=20)
    inputs = models.JSONField(_("what was looked at"))
    entitlements = models.JSONField(_("entitlement per matter"))
    restricted = models.BooleanField(_("restricted or seriously dishonest"), default=False)

    class Meta:
        ordering = ["application", "-checked_at", "-pk"]
        verbose_name = _("credit check")
        verbose_name_plural = _("credit checks")

    def __str__(self):
        return f"{self.application} {self.get_stage_display()} {self.checked_at:%Y-%m-%d %H:%M}"

    def modes_for(self, matter_version_id: int) -> list[str]:
        return self.entitlements[str(matter_version_id)]["modes"]

    def allows(self, matter_version_id: int, mode: str) -> bool:
        return mode in self.modes_for(matter_version_id)
