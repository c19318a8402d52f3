from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class StateChange(models.Model):
    """One transition of a lifecycle: who, when, why. Written by each lifecycle's on_success."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target_object = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("from"), max_length=30)
    target = models.CharField(_("to"), max_length=30)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="state_change_object")]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    @classmethod
    def record(cls, obj, source, target, *, by=None, reason=""):
        change = cls.row(obj, source, target, by=by, reason=reason)
        change.save(force_insert=True)
        return change

    @classmethod
    def row(cls, obj, source, target, *, by=None, reason=""):
        """The unsaved change, for paths that record many at once (bulk_create)."""
        return cls(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            source=str(source or ""),
            target=str(target),
            by=by if getattr(by, "pk", None) else None,
            reason=reason,
        )
