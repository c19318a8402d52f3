"""Applications (办件): one request for one or more matters (多证齐发, case 15 Wuhan)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Channel, Mode


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CHECKED = "checked", _("credit checked")
    NOTIFIED = "notified", _("notified, awaiting signature")
    COMMITTED = "committed", _("commitment signed")
    AWAITING_SUPPLEMENTS = "awaiting_supplements", _("accepted with materials deferred")
    UNDER_REVIEW = "under_review", _("under standard review")
    DECIDED = "decided", _("decided, licences issued")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed (supplements not provided in time)")
    TERMINATED = "terminated", _("terminated")


OPEN_STATES = [
    ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.CHECKED, ApplicationState.NOTIFIED,
    ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS, ApplicationState.UNDER_REVIEW,
]


class PackageStatus(models.TextChoices):
    PREPARING = "preparing", _("applications being prepared")
    READY = "ready", _("applications prepared")
    FAILED = "failed", _("preparation refused")


class Package(models.Model):
    """A packaged commitment (打包承诺, case 14 Dezhou): an organisation signs one letter for many people;
    each person has an application and all are decided together.

    A large package is prepared in the background: it is `preparing` until every application, its credit
    check and the letter exist (`ready`), or `failed` with the reasons if someone lost the entitlement
    meanwhile (then nothing was created)."""

    organisation = models.ForeignKey(
        "approvals.Subject", on_delete=models.PROTECT, related_name="packages", verbose_name=_("organisation")
    )
    matter_version = models.ForeignKey("approvals.MatterVersion", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=PackageStatus.choices,
                              default=PackageStatus.PREPARING)
    # the persons asked for (subject ids, in the order given): what the preparation creates applications for
    people = models.JSONField(_("persons"), default=list)
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    refusals = models.JSONField(_("why preparation was refused"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("packaged commitment")
        verbose_name_plural = _("packaged commitments")

    def __str__(self):
        return self.title


class Application(models.Model):
    subject = models.ForeignKey(
        "approvals.Subject", on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, blank=True)
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, null=True, blank=True, related_name="applications", verbose_name=_("package")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    outcome_reason = models.TextField(_("reason"), blank=True, help_text=_("for a rejection, failure or termination"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "decision_due_on"], name="application_state_due"),
                   # the inbox and the API list, newest first (issue 8: a top-N sort over every row without it)
                   models.Index(fields=["-created_at", "-id"], name="application_newest_first")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


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


def material_upload_to(instance, filename):
    return f"materials/{instance.application_id}/{instance.sha256[:16]}-{filename[-80:]}"


class ApplicationMaterial(models.Model):
    """An uploaded material (or supplement). Content-checked: PDF, JPEG or PNG only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="uploads")
    material = models.ForeignKey("approvals.Material", on_delete=models.PROTECT, related_name="+", verbose_name=_("material"))
    file = models.FileField(_("file"), upload_to=material_upload_to)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("uploaded material")
        verbose_name_plural = _("uploaded materials")

    def __str__(self):
        return self.filename
