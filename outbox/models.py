"""The transactional outbox: work that must happen after a commit, written in the same transaction as the act
that needs it, and incidents for work whose retries ran out."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    PUBLISHED = "published", _("sent to the queue")
    DONE = "done", _("done")
    FAILED = "failed", _("failed (incident)")


class Message(models.Model):
    """One unit of after-commit work: a Celery task by name with its arguments. Idempotent by `key`: a second
    enqueue with the same key is the same message, and a task run for a key already done does nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True, default=uuid.uuid4)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    # Celery message headers from outbox.ports.header_sources at enqueue (e.g. the request id), sent every time
    headers = models.JSONField(_("message headers"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=MessageState.choices, default=MessageState.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # when the relay may (re)send it: after a grace period for a pending message (the fast path at commit
    # normally sends it first), after a longer one for a sent message whose task has not finished
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    published_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    publish_count = models.PositiveIntegerField(_("times sent"), default=0)
    run_count = models.PositiveIntegerField(_("times run"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due")]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")

    def __str__(self):
        return f"{self.task_name} [{self.key}]"


class Resolution(models.TextChoices):
    RETRIED = "retried", _("run again")
    BY_HAND = "by_hand", _("resolved by hand")


class Incident(models.Model):
    """A task whose retries ran out: listed for an administrator, who may run it again."""

    message = models.ForeignKey(Message, verbose_name=_("outbox message"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="incidents")
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    error = models.TextField(_("error"))
    retries = models.PositiveIntegerField(_("retries"), default=0)
    created_at = models.DateTimeField(_("occurred at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("task incident")
        verbose_name_plural = _("task incidents")

    def __str__(self):
        return f"{self.task_name} @ {self.created_at:%Y-%m-%d %H:%M}"
