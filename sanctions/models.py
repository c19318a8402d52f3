"""The restriction list (违诺制约名单). The rules that impose restrictions come with the sanctions issue;
the list, its lifecycle and the query other apps use live here from the start."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RestrictionState(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    LIFTED = "lifted", _("lifted early")
    WITHDRAWN = "withdrawn", _("withdrawn")


class RestrictionScope(models.TextChoices):
    ALL = "all", _("all notify-and-commit privileges")
    MATTER = "matter", _("one matter")


class Restriction(models.Model):
    """While active the subject may not use lenient acceptance, notify and commit or the green channel
    (case 14 Dezhou: six months for level-3 violations)."""

    subject = models.ForeignKey(
        "approvals.Subject", on_delete=models.PROTECT, related_name="restrictions", verbose_name=_("subject")
    )
    scope = models.CharField(_("scope"), max_length=10, choices=RestrictionScope.choices, default=RestrictionScope.ALL)
    matter = models.ForeignKey(
        "approvals.Matter", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("matter")
    )
    reason = models.TextField(_("reason"))
    legal_act = models.CharField(
        _("legal act that imposed it"), max_length=200, help_text=_("e.g. the number of the restriction notice")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    state = models.CharField(_("state"), max_length=10, choices=RestrictionState.choices, default=RestrictionState.ACTIVE)
    key_supervision = models.BooleanField(_("key supervision target"), default=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lifted by")
    )
    lift_reason = models.TextField(_("why lifted"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["subject", "ends_at"], name="restriction_subject_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="restriction_ends_after_start",
                violation_error_message=_("A restriction must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(scope=RestrictionScope.ALL, matter__isnull=True)
                | Q(scope=RestrictionScope.MATTER, matter__isnull=False),
                name="restriction_matter_iff_matter_scope",
                violation_error_message=_("A restriction on one matter names that matter; a general one names none."),
            ),
        ]
        verbose_name = _("restriction")
        verbose_name_plural = _("restrictions")

    def __str__(self):
        return f"{self.subject} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    def is_active_at(self, at) -> bool:
        if self.state == RestrictionState.WITHDRAWN:
            return False
        if self.lifted_at and self.lifted_at <= at:
            return False
        return self.starts_at <= at < self.ends_at


class ViolationKind(models.TextChoices):
    IDENTITY = "identity", _("using another's identity")
    FALSE_MATERIALS = "false_materials", _("false materials")
    DECEPTION = "deception", _("deception or concealment")
    NOT_SUPPLIED = "not_supplied", _("deferred materials never supplied")
    UNTRUE = "untrue", _("commitment untrue")


class ViolationState(models.TextChoices):
    OPENED = "opened", _("opened")


class Violation(models.Model):
    """A broken commitment (违诺). Opened here; grading, the ladder and its documents come with the
    sanctions issue."""

    subject = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="violations")
    application = models.ForeignKey("approvals.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    licences = models.ManyToManyField("approvals.Licence", blank=True, related_name="violations")
    kind = models.CharField(_("kind"), max_length=20, choices=ViolationKind.choices)
    findings = models.TextField(_("findings"))
    state = models.CharField(_("state"), max_length=20, choices=ViolationState.choices, default=ViolationState.OPENED)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    source_key = models.CharField(max_length=80, unique=True, help_text="what opened it, so it is opened once")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")

    def __str__(self):
        return f"{self.subject} {self.get_kind_display()}"
