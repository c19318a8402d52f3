"""Verification after issuance (事后核查): obligations, reproducible random draws (双随机), inspectors' field
records with sign-offs (cases 12 Delingha, 15 Wuhan; the national 双随机、一公开 rules)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ObligationState(models.TextChoices):
    DUE = "due", _("due")
    ASSIGNED = "assigned", _("assigned to inspectors")
    NOT_SELECTED = "not_selected", _("not drawn")
    COMPLIANT = "compliant", _("compliant")
    NON_COMPLIANT = "non_compliant", _("non-compliant")


class Obligation(models.Model):
    """Each notify-and-commit licence is due for verification within its matter's window; for a random-share
    matter, its chance of being drawn is the share for the holder's grade at issue."""

    licence = models.OneToOneField("approvals.Licence", on_delete=models.PROTECT, related_name="obligation",
                                   verbose_name=_("licence"))
    # copied from the licence at issue, so a draw selects its population from this table alone
    # (no index of their own: the population index leads with matter, for due rows; every index is rewritten when
    # a draw or a check changes a row's state, so the table keeps few)
    holder = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="+", null=True,
                               db_index=False, verbose_name=_("holder"))
    matter = models.ForeignKey("approvals.Matter", on_delete=models.PROTECT, related_name="+", null=True,
                               db_index=False, verbose_name=_("matter"))
    issued_on = models.DateField(_("issued on"), null=True)
    method = models.CharField(_("verification method"), max_length=10)
    scope = models.CharField(_("verification after issuance"), max_length=10)
    grade = models.CharField(_("credit grade at issue"), max_length=1, blank=True)
    share = models.PositiveSmallIntegerField(_("chance of being drawn (%)"), default=100)
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=14, choices=ObligationState.choices, default=ObligationState.DUE)
    draw = models.ForeignKey("inspections.Draw", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="obligations", verbose_name=_("draw"))
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        # the population index holds the undrawn (due) obligations only: a draw's UPDATE inserts no new row versions
        # into it (the drawn ones are no longer due; issue 8), and it stays the size of what is open
        indexes = [models.Index(fields=["state", "due_on"], name="obligation_state_due"),
                   models.Index(fields=["matter", "issued_on"], name="obligation_population",
                                condition=Q(state="due")),
                   # the supervisors' overdue list, a page at a time in (due_on, pk) order: open obligations only
                   # (without it, each page sorted every open obligation past due: 0.97 s at 780,000)
                   models.Index(fields=["due_on", "id"], name="obligation_open_due",
                                condition=Q(state__in=["due", "assigned"]))]
        verbose_name = _("verification obligation")
        verbose_name_plural = _("verification obligations")

    def __str__(self):
        return f"{self.licence} → {self.due_on}"

    @property
    def overdue_since(self):
        """The day an open obligation past its due date became overdue (the day after it; None if it is not overdue).
        Derived, not stored: the data it comes from (due date, state) is stored and audited already."""
        if self.state in (ObligationState.DUE, ObligationState.ASSIGNED) and self.due_on < timezone.localdate():
            return self.due_on + timedelta(days=1)
        return None


class Assignment(models.Model):
    """An inspector assigned to verify an obligation (drawn at random or assigned by a supervisor)."""

    # no single-column indexes of their own: the unique (obligation, inspector) and (inspector, assigned at)
    # indexes lead with them (issue 8: a draw inserts 100,000 rows into every index)
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="assignments", db_index=False)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_assignments",
                                  verbose_name=_("inspector"), db_index=False)
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    draw = models.ForeignKey("inspections.Draw", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "inspector"], name="one_assignment_per_inspector")]
        indexes = [models.Index(fields=["inspector", "assigned_at"], name="assignment_inspector_at")]
        verbose_name = _("inspection assignment")
        verbose_name_plural = _("inspection assignments")


class Recusal(models.Model):
    """回避: an inspector may not check a subject they are related to (declared, with the reason)."""

    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recusals",
                                  verbose_name=_("inspector"))
    subject = models.ForeignKey("approvals.Subject", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("subject"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspector", "subject"], name="one_recusal_per_pair")]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")


class DrawMode(models.TextChoices):
    WEIGHTED = "weighted", _("each licence by the share for its grade")
    SHARE = "share", _("a share of the population")
    COUNT = "count", _("a number of licences")


class DrawState(models.TextChoices):
    DEFINED = "defined", _("defined")
    DRAWN = "drawn", _("drawn")
    CONCLUDED = "concluded", _("concluded")


class DrawCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)


class Draw(models.Model):
    """双随机: random targets and random inspectors, reproducible from what is stored here — the population
    (sorted, hashed), the inspector pool, the exclusions with their reasons, the seed and the algorithm."""

    number = models.CharField(_("draw number"), max_length=30, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    matters = models.ManyToManyField("approvals.Matter", related_name="+", verbose_name=_("matters"))
    issued_from = models.DateField(_("licences issued from"))
    issued_to = models.DateField(_("licences issued to"))
    department = models.CharField(_("department"), max_length=200, blank=True)
    mode = models.CharField(_("how targets are drawn"), max_length=10, choices=DrawMode.choices,
                            default=DrawMode.WEIGHTED)
    share_percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    count = models.PositiveIntegerField(_("number of licences"), null=True, blank=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("inspector pool"))
    inspectors_per_target = models.PositiveSmallIntegerField(_("inspectors per licence"), default=2)
    recheck_days = models.PositiveSmallIntegerField(_("no re-check of a subject within (days)"), default=180)
    seed_number = models.CharField(_("seed number entered by the supervisor"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=DrawState.choices, default=DrawState.DEFINED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("defined by"))
    # stored at the draw: the inputs and the result, for verify_draw
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("drawn by"))
    algorithm = models.CharField(_("algorithm"), max_length=40, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    # (obligation, subject, share) sorted, packed little-endian int64, compressed (draws.pack / store / unpack)
    population = models.BinaryField(_("population"), default=b"", blank=True)
    population_size = models.PositiveIntegerField(_("population size"), default=0)
    population_hash = models.CharField(_("population SHA-256"), max_length=64, blank=True)
    pool = models.JSONField(_("inspector pool"), default=list, blank=True)  # sorted user ids
    exclusions = models.JSONField(_("exclusions"), default=dict, blank=True)  # {obligation: {inspector: reason}}
    result = models.JSONField(_("result"), default=list, blank=True)  # [[obligation, [inspector, …]], …]
    # the result put into effect after the draw's commit, a chunk per transaction (draws.draw_apply): how many of
    # its items are in (the result's targets, then, for a weighted draw, the members not drawn), and when all were
    applied = models.PositiveIntegerField(_("items applied"), default=0)
    applied_at = models.DateTimeField(_("assignments applied at"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(issued_to__gte=models.F("issued_from")),
                                              name="draw_dates_in_order")]
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")

    def __str__(self):
        return self.number or self.title


class RecordState(models.TextChoices):
    DRAFT = "draft", _("being recorded")
    SIGNED = "signed", _("signed off")


class Conclusion(models.TextChoices):
    COMPLIANT = "compliant", _("compliant")
    NON_COMPLIANT = "non_compliant", _("non-compliant")


class InspectionRecord(models.Model):
    """The inspectors' record of one check: each commitment item met or not, with notes and photos. Frozen at
    the first sign-off; a correction is a new record that references the first."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="records",
                                   verbose_name=_("obligation"))
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction", verbose_name=_("corrects"))
    state = models.CharField(_("state"), max_length=10, choices=RecordState.choices, default=RecordState.DRAFT)
    conclusion = models.CharField(_("conclusion"), max_length=14, choices=Conclusion.choices, blank=True)
    note = models.TextField(_("overall note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        ordering = ["obligation", "pk"]
        constraints = [models.UniqueConstraint(fields=["obligation"], condition=Q(state="draft"),
                                               name="one_draft_record_per_obligation")]
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")

    def __str__(self):
        return f"{self.obligation.licence} #{self.pk}"


class ItemResult(models.TextChoices):
    MET = "met", _("met")
    NOT_MET = "not_met", _("not met")
    NOT_APPLICABLE = "na", _("not applicable")


class ItemCheck(models.Model):
    record = models.ForeignKey(InspectionRecord, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("commitment item"))
    result = models.CharField(_("result"), max_length=8, choices=ItemResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["record", "position"]
        constraints = [models.UniqueConstraint(fields=["record", "position"], name="item_position_unique")]


def photo_upload_to(instance, filename):
    return f"inspections/{instance.record.obligation_id}/{instance.record_id}/{filename}"


class RecordPhoto(models.Model):
    record = models.ForeignKey(InspectionRecord, on_delete=models.CASCADE, related_name="photos")
    item = models.ForeignKey(ItemCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.FileField(upload_to=photo_upload_to)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class SignOff(models.Model):
    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="signoffs")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "inspector"], name="one_signoff_per_inspector")]
