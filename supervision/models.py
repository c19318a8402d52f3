"""What the supervisor's figures are read from (issue 10).

`ApplicationFact` holds, per received application, what the figures need that a query cannot compute on the
fly (working time from intake to decision on the working-day calendar, within the statutory limit, the mode in
effect); it is what the drill-downs filter on. `ApplicationFigure` and `DecisionTime` sum the facts per
received day, level (all / department / matter), channel and mode; `ObligationFigure` sums verification
obligations per due day, matter, channel and state. The dashboard reads these small tables only; they are
refreshed by `supervision.services` (Celery beat, see the settings section) from the source tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ALL = "all", _("all")
    DEPARTMENT = "department", _("department")
    MATTER = "matter", _("matter")


class Outcome(models.TextChoices):
    OPEN = "open", _("in progress")
    DECIDED = "decided", _("decided, licences issued")
    REJECTED = "rejected", _("rejected")
    FAILED = "failed", _("failed")
    TERMINATED = "terminated", _("terminated")


FINISHED = (Outcome.DECIDED, Outcome.REJECTED)


class ApplicationFact(models.Model):
    application = models.OneToOneField("approvals.Application", on_delete=models.CASCADE, primary_key=True,
                                       related_name="supervision_fact", verbose_name=_("application"))
    received_on = models.DateField(_("received on"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10)
    # the mode in effect: "lenient" when materials were deferred (容缺受理), else the application's mode;
    # empty while none was chosen
    mode = models.CharField(_("mode"), max_length=12, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    finished_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    on_the_spot = models.BooleanField(_("issued on the spot"), default=False)
    same_day = models.BooleanField(_("finished the same day"), default=False)
    within_limit = models.BooleanField(_("finished within the statutory limit"), default=False)
    working_minutes = models.PositiveIntegerField(_("working time from intake to decision (minutes)"), null=True,
                                                  blank=True)
    lenient = models.BooleanField(_("lenient acceptance"), default=False)
    supplements_complete = models.BooleanField(_("all deferred materials supplied and accepted"), default=False)
    credit_checks = models.PositiveSmallIntegerField(_("credit look-ups"), default=0)
    entitlement_changed = models.BooleanField(_("a look-up changed the entitlement"), default=False)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application fact")
        verbose_name_plural = _("application facts")


class _Dimensions(models.Model):
    level = models.CharField(max_length=10, choices=Level.choices)
    department = models.CharField(max_length=200, blank=True)
    matter = models.ForeignKey("approvals.Matter", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10)

    class Meta:
        abstract = True


class ApplicationFigure(_Dimensions):
    """Applications received on one day, counted once per level: once in `all`, once per department and once
    per matter they apply for."""

    day = models.DateField()
    mode = models.CharField(max_length=12, blank=True)
    received = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_the_spot = models.PositiveIntegerField(default=0)
    same_day = models.PositiveIntegerField(default=0)
    within_limit = models.PositiveIntegerField(default=0)
    lenient = models.PositiveIntegerField(default=0)
    supplements_complete = models.PositiveIntegerField(default=0)
    credit_checks = models.PositiveIntegerField(default=0)
    entitlement_changed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["level", "day"], name="supervision_appfig_level_day")]


class DecisionTime(_Dimensions):
    """The decisions of the applications received on one day, as a histogram {working minutes: how many}
    (bucketed: to the minute under 8 hours, to the hour beyond), for the median and 90th percentile: one small
    row per day and dimension, merged over the period."""

    day = models.DateField()
    histogram = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["level", "day"], name="supervision_dtime_level_day")]


class ObligationFigure(models.Model):
    due_on = models.DateField()
    matter = models.ForeignKey("approvals.Matter", on_delete=models.CASCADE, related_name="+")
    department = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=14)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["due_on"], name="supervision_oblfig_due")]


class Refresh(models.Model):
    """One row per summary (applications, obligations): when it was last refreshed. Its row lock keeps two
    refreshes of the same summary from running at once."""

    name = models.CharField(max_length=20, unique=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
