"""Violation cases (违诺案件) on the three-level ladder, the restriction list (违诺制约名单), objections (异议),
credit repair (信用修复) and the feed to the credit platform (case 14 Dezhou)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    violation = models.ForeignKey(
        "sanctions.Violation", on_delete=models.PROTECT, null=True, blank=True, related_name="restrictions",
        verbose_name=_("violation case"),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        # PostgreSQL: fillfactor 60 (migration 0007), so the expiry sweep's state updates are HOT (issue 8)
        indexes = [models.Index(fields=["subject", "ends_at"], name="restriction_subject_end"),
                   # the lists, newest first: the public list stops after a page instead of joining every subject
                   # to every restriction in force and sorting (issue 8)
                   models.Index(fields=["-starts_at", "-id"], name="restriction_newest_first")]
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



class Level(models.IntegerChoices):
    RECTIFY = 1, _("Level 1 — rectification within a deadline")
    REVOKE = 2, _("Level 2 — revocation of the licensing decision")
    RESTRICT = 3, _("Level 3 — revocation and the restriction list")


class ViolationKind(models.Model):
    """A kind of violation and the ladder level it leads to by default (configuration, case 14 Dezhou names
    five; an administrator adds more)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    level = models.PositiveSmallIntegerField(_("default level"), choices=Level.choices)
    builtin = models.BooleanField(_("built in"), default=False, editable=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("violation kind")
        verbose_name_plural = _("violation kinds")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


# the five kinds the source names (codes kept from the first version of the model)
BUILTIN_KINDS = [
    ("identity", "冒用他人身份", "using another's identity", 3),
    ("false_materials", "提供虚假材料", "false materials", 3),
    ("deception", "欺骗隐瞒", "deception or concealment", 3),
    ("not_supplied", "容缺不补", "deferred materials never supplied", 1),
    ("untrue", "承诺不实", "commitment untrue", 1),
]
NOT_SUPPLIED, UNTRUE = "not_supplied", "untrue"


class ViolationState(models.TextChoices):
    OPENED = "opened", _("opened")
    GRADED = "graded", _("graded")
    RECTIFICATION_ORDERED = "rectification_ordered", _("rectification ordered")
    RECTIFIED = "rectified", _("rectified")
    NOT_RECTIFIED = "not_rectified", _("not rectified")
    REVOKED = "revoked", _("decision revoked")
    RESTRICTED = "restricted", _("restricted")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn (objection upheld)")


class ViolationCounter(models.Model):
    """Gapless case numbers per year (WN-2026-000001)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)


class Violation(models.Model):
    """A broken commitment (违诺案件): graded on the ladder, each step a legal act with its document."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    subject = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="violations",
                                verbose_name=_("subject"))
    application = models.ForeignKey("approvals.Application", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="violations", verbose_name=_("application"))
    licences = models.ManyToManyField("approvals.Licence", blank=True, related_name="violations",
                                      verbose_name=_("licences"))
    kind = models.ForeignKey(ViolationKind, on_delete=models.PROTECT, to_field="code", db_column="kind",
                             related_name="violations", verbose_name=_("kind"))
    findings = models.TextField(_("findings"))
    evidence = models.TextField(_("evidence"), blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, null=True, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=ViolationState.choices, default=ViolationState.OPENED)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    source_key = models.CharField(max_length=80, unique=True, help_text="what opened it, so it is opened once")
    rectification_deadline = models.DateField(_("rectify by"), null=True, blank=True)
    rectification_report = models.TextField(_("rectification"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    publish_until = models.DateTimeField(_("published until"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["state", "level"], name="violation_state_level")]
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")

    def __str__(self):
        return f"{self.number} {self.subject}"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("under review")
    UPHELD = "upheld", _("upheld")
    REJECTED = "rejected", pgettext_lazy("objection or repair", "rejected")


class Objection(models.Model):
    """异议: the subject disputes a finding; publication is frozen while it is open."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="objections",
                                  verbose_name=_("violation case"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    grounds = models.TextField(_("grounds"))
    state = models.CharField(_("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    due_on = models.DateField(_("to be decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    reasons = models.TextField(_("reasons for the decision"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["violation"], name="one_objection_per_finding")]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.violation.number} {self.get_state_display()}"


class RepairState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", pgettext_lazy("objection or repair", "rejected")


class Repair(models.Model):
    """信用修复: after rectification the subject asks, with evidence, for the restriction to end early."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="repairs",
                                  verbose_name=_("violation case"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    evidence = models.TextField(_("evidence of rectification"))
    state = models.CharField(_("state"), max_length=10, choices=RepairState.choices, default=RepairState.SUBMITTED)
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    reasons = models.TextField(_("reasons for the decision"), blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["violation"], condition=Q(state="submitted"),
                                               name="one_open_repair_per_case")]
        verbose_name = _("credit repair")
        verbose_name_plural = _("credit repairs")

    def __str__(self):
        return f"{self.violation.number} {self.get_state_display()}"


class FeedCategory(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    VIOLATION = "violation", _("violation")
    RESTRICTION = "restriction", _("restriction")


class FeedAction(models.TextChoices):
    PUBLISH = "publish", _("publish")
    WITHDRAW = "withdraw", _("withdraw")


class FeedRecord(models.Model):
    """One record for the credit platform, written in the transaction of the act it reports (an outbox):
    read by cursor (id) and pushed until acknowledged; the key lets the receiver drop a repeat."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=12, choices=FeedCategory.choices)
    action = models.CharField(_("action"), max_length=10, choices=FeedAction.choices)
    object_id = models.PositiveBigIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    pushed_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["pushed_at", "id"], name="feed_unpushed")]
        verbose_name = _("credit feed record")
        verbose_name_plural = _("credit feed records")
