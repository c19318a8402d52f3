from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a process role showed it is alive (the scheduler's beat task, every minute)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    at = models.DateTimeField(_("at"))
    hostname = models.CharField(_("host"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.name
