"""Credit evaluation (信用评价): a configurable, versioned model scores each subject from the entries our own
events produce (commitments kept, violations, restrictions, commendations, active repair); the grade it gives
feeds the credit check. Seeds 000 (Huzhou 个人诚信码, 1+1+1+X), 001 (Dongtou 个人诚信文明指数, 穿透, repair
periods by severity), 003 (Huzhou credit system)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """What an indicator counts: the kind of entry (or, for `imported`, the imported provincial grade)."""

    IMPORTED = "imported", _("imported provincial public credit score")
    COMMITMENT_KEPT = "commitment_kept", _("commitment kept")
    VIOLATION_1 = "violation_1", _("broken commitment, level 1")
    VIOLATION_2 = "violation_2", _("broken commitment, level 2")
    VIOLATION_3 = "violation_3", _("broken commitment, level 3")
    RESTRICTION = "restriction", _("restriction in force")
    COMMENDATION = "commendation", _("commendation")
    VOLUNTEERING = "volunteering", _("volunteering (hours)")
    BLOOD_DONATION = "blood_donation", _("blood donation")
    DONATION = "donation", _("charitable donation (yuan)")


# entries an authorised officer records by hand, with evidence; the rest come from our own events
RECORDED_SOURCES = [Source.COMMENDATION, Source.VOLUNTEERING, Source.BLOOD_DONATION, Source.DONATION]
REPAIR_SOURCES = [Source.VOLUNTEERING, Source.BLOOD_DONATION, Source.DONATION]


class EvaluationModel(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("evaluation model")
        verbose_name_plural = _("evaluation models")

    def __str__(self):
        return self.name

    def current_version(self):
        return self.versions.filter(state=VersionState.PUBLISHED).order_by("-number").first()


class VersionState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    RETIRED = "retired", _("retired")


class ModelVersion(models.Model):
    """One version of a model; published versions are never edited (a change is a new version)."""

    model = models.ForeignKey(EvaluationModel, on_delete=models.PROTECT, related_name="versions",
                              verbose_name=_("evaluation model"))
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    base_points = models.DecimalField(_("base points"), max_digits=9, decimal_places=2, default=0)
    applies_to_person = models.BooleanField(_("scores persons"), default=True)
    applies_to_organisation = models.BooleanField(_("scores organisations"), default=False)
    imported_scores = models.JSONField(
        _("provincial score per imported grade"), default=dict, blank=True,
        help_text=_('e.g. {"A": 900, "B": 800}: the imported grade\'s score that the "imported" indicator weighs'))
    requires_imported = models.BooleanField(
        _("needs an imported grade"), default=False,
        help_text=_("Without an imported grade the model does not apply and the imported fallback is used."))
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="credit_version_unique"),
            models.UniqueConstraint(fields=["model"], condition=Q(state="published"),
                                    name="credit_one_published_version"),
        ]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")

    def __str__(self):
        return f"{self.model.name} v{self.number}"

    @property
    def label(self) -> str:
        return f"{self.model.code}-v{self.number}"

    def applies_to(self, kind: str) -> bool:
        return self.applies_to_person if kind == "person" else self.applies_to_organisation


class Indicator(models.Model):
    """Points per unit of an entry, up to a cap, with a sign; stops counting `repair_months` after the entry
    (到期自动修复), or counts only `matures_months` after it (growth, 成长激励)."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("counts"), max_length=20, choices=Source.choices)
    points = models.DecimalField(_("points per unit"), max_digits=9, decimal_places=4)
    negative = models.BooleanField(_("deducts"), default=False)
    cap = models.DecimalField(_("cap"), max_digits=9, decimal_places=2, null=True, blank=True)
    for_person = models.BooleanField(_("applies to persons"), default=True)
    for_organisation = models.BooleanField(_("applies to organisations"), default=False)
    pass_through = models.BooleanField(
        _("passes through to the legal representative (穿透)"), default=False)
    repair_months = models.PositiveSmallIntegerField(_("stops counting after (months)"), null=True, blank=True)
    matures_months = models.PositiveSmallIntegerField(_("counts from (months after the entry)"), null=True,
                                                      blank=True)
    offsets_only = models.BooleanField(
        _("repair credit (offsets deductions only)"), default=False,
        help_text=_("Active repair: its points cancel deductions and never raise the score above the points "
                    "earned without them."))

    class Meta:
        ordering = ["version", "negative", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="credit_indicator_code_unique")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    def applies_to(self, kind: str) -> bool:
        return self.for_person if kind == "person" else self.for_organisation


class GradeBand(models.Model):
    """Scores from `lower` (inclusive) up to `upper` (exclusive) give this grade; an empty bound is open."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="bands")
    grade = models.CharField(_("grade"), max_length=1, choices=[(g, g) for g in "ABCD"])
    label = models.CharField(_("label"), max_length=40, blank=True)
    lower = models.DecimalField(_("from (inclusive)"), max_digits=9, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(_("below"), max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["version", "grade"]
        constraints = [models.UniqueConstraint(fields=["version", "grade"], name="credit_band_grade_unique")]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")

    def __str__(self):
        return f"{self.grade} {self.label}"


class Entry(models.Model):
    """One fact about a subject that a model may count: from our own events (source_key names it, so it is
    recorded once) or recorded by an authorised officer with evidence."""

    subject = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="credit_entries",
                                verbose_name=_("subject"))
    source = models.CharField(_("kind"), max_length=20, choices=Source.choices)
    occurred_on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    ends_on = models.DateField(_("counts until"), null=True, blank=True,
                               help_text=_("An end of its own (e.g. a restriction's), before any repair period."))
    source_key = models.CharField(max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    violation_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    evidence = models.TextField(_("evidence"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("why withdrawn"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["subject", "occurred_on"], name="credit_entry_subject")]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")

    def __str__(self):
        return f"{self.subject_id} {self.get_source_display()} {self.occurred_on}"


class Score(models.Model):
    """A subject's score and grade under one model version, as last computed."""

    subject = models.ForeignKey("approvals.Subject", on_delete=models.CASCADE, related_name="credit_scores",
                                verbose_name=_("subject"))
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="scores",
                                verbose_name=_("model version"))
    points = models.DecimalField(_("score"), max_digits=9, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=1)
    computed_on = models.DateField(_("as of"))
    valid_until = models.DateField(_("changes by itself on"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "version"], name="credit_score_unique")]
        verbose_name = _("credit score")
        verbose_name_plural = _("credit scores")

    def __str__(self):
        return f"{self.subject_id} {self.points} {self.grade} ({self.version_id})"


class CheckScore(models.Model):
    """Which score the credit check saw (approvals.CreditCheck keeps the grade; this keeps where it came from)."""

    credit_check = models.ForeignKey("approvals.CreditCheck", on_delete=models.CASCADE, related_name="credit_scores_seen")
    subject = models.ForeignKey("approvals.Subject", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=24)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    points = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=1, blank=True)
    imported = models.BooleanField(default=False, help_text="the imported grade was used (no model applies)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credit_check", "subject"], name="credit_checkscore_unique")]
        verbose_name = _("score seen by a credit check")
        verbose_name_plural = _("scores seen by credit checks")


class NightlyRun(models.Model):
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    entries_added = models.PositiveIntegerField(default=0)
    scores = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
