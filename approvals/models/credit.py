"""Credit data seen by the credit check: grades, and the imported list of seriously dishonest subjects."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Grade


class CreditGrade(models.Model):
    subject = models.ForeignKey("approvals.Subject", on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(_("credit grade"), max_length=1, choices=Grade.choices)
    source = models.CharField(_("source"), max_length=200)
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subject", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["subject", "-assessed_on"], name="grade_subject_latest")]
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")

    def __str__(self):
        return f"{self.subject} {self.grade} ({self.assessed_on})"


class DishonestImport(models.Model):
    """One import of a list file: what was read and what it changed."""

    list_name = models.CharField(_("list"), max_length=100)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("dishonest list import")
        verbose_name_plural = _("dishonest list imports")


class DishonestEntry(models.Model):
    """A subject on an imported list of seriously dishonest subjects (严重失信主体名单).

    Matched by number, not by foreign key: the list names subjects who never applied here."""

    list_name = models.CharField(_("list"), max_length=100)
    number = models.CharField(_("ID card number / unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    reason = models.TextField(_("reason for listing"), blank=True)
    authority = models.CharField(_("listing authority"), max_length=200, blank=True)
    listed_on = models.DateField(_("listed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    source_import = models.ForeignKey(DishonestImport, on_delete=models.PROTECT, related_name="entries")

    class Meta:
        ordering = ["-listed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["list_name", "number", "listed_on"], name="dishonest_entry_unique"),
        ]
        verbose_name = _("seriously dishonest subject")
        verbose_name_plural = _("seriously dishonest subjects")

    def __str__(self):
        return f"{self.name} ({self.list_name}, {self.listed_on})"
