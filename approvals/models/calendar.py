"""Working-day calendar data that an administrator maintains on top of chinese-calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year the package does not know, declared by an administrator once the State Council's schedule
    is out: weekends are rest days, weekdays working days, and CalendarDay rows give the holidays and
    make-up working days."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=255, help_text=_("e.g. the State Council notice on the year's holidays"))
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Set while the official schedule is not yet entered.")
    )
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An administrator's ruling on one day; it wins over the package."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. Spring Festival, make-up working day"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date} {self.name}"
