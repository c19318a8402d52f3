"""Messages the authority sends (issue 12): one Message per event, object and recipient, shown in the product;
one Delivery per outward channel (e-mail, SMS) with its status. Both are written in the event's transaction
and sent after it commits; the unique keys make every send happen once, even after a restart."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Message(models.Model):
    """What one recipient is told about one event (rendered once, in the recipient's language)."""

    key = models.CharField(max_length=200, unique=True, help_text="event:object:recipient, so it is sent once")
    event = models.CharField(_("event"), max_length=40, db_index=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="notifications", verbose_name=_("recipient"))
    # the subject written to when it is an applicant, licensee or organisation (may have no login)
    subject = models.ForeignKey("approvals.Subject", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+", verbose_name=_("subject"))
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    sms_text = models.CharField(_("SMS text"), max_length=300, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [models.CheckConstraint(condition=Q(recipient__isnull=False) | Q(subject__isnull=False),
                                              name="message_has_a_recipient")]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("notification channel", "e-mail")
    SMS = "sms", pgettext_lazy("notification channel", "SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "waiting to be sent")
    SENT = "sent", pgettext_lazy("delivery status", "sent")
    FAILED = "failed", pgettext_lazy("delivery status", "failed")


class Delivery(models.Model):
    """One message over one outward channel to one address; retried with backoff, then marked failed."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("gateway reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_channel")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address}"


class Preference(models.Model):
    """A user's language for messages when they are not a subject (staff, inspectors); a subject's own
    `language` wins for applicants."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
