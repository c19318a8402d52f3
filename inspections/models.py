"""Verification obligations (事后核查). Created for every notify-and-commit licence; draws, assignments
and field records come with the issue "Post-approval verification"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ObligationState(models.TextChoices):
    DUE = "due", _("due")


class Obligation(models.Model):
    licence = models.OneToOneField("approvals.Licence", on_delete=models.PROTECT, related_name="obligation")
    method = models.CharField(_("verification method"), max_length=10)
    scope = models.CharField(_("verification after issuance"), max_length=10)
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=12, choices=ObligationState.choices, default=ObligationState.DUE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("verification obligation")
        verbose_name_plural = _("verification obligations")

    def __str__(self):
        return f"{self.licence} → {self.due_on}"


class Assignment(models.Model):
    """An inspector assigned to verify an obligation (drawn at random or assigned by a supervisor)."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="assignments")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_assignments",
                                  verbose_name=_("inspector"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "inspector"], name="one_assignment_per_inspector")]
        verbose_name = _("inspection assignment")
        verbose_name_plural = _("inspection assignments")
