"""The audit log: rows written by database triggers (never by Django code), chained by SHA-256 in `AuditSeal`.

`AuditEntry` is one insert, update or delete of an audited row, with the row as it stood afterwards (before, for
a delete), who (the `audit.actor` setting of the transaction, see actor.py) and when. `AuditSeal` gives each entry
its place in the chain: hash = SHA-256(previous hash + SHA-256(canonical entry)). Both tables refuse UPDATE and
DELETE in the database itself (triggers, see triggers.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Op(models.TextChoices):
    INSERT = "I", _("created")
    UPDATE = "U", _("changed")
    DELETE = "D", _("deleted")


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    table_name = models.CharField(_("table"), max_length=63)
    object_id = models.BigIntegerField(_("row"))
    op = models.CharField(_("operation"), max_length=1, choices=Op.choices)
    at = models.DateTimeField(_("at"))
    # the user's pk, or a label such as "task:…"; empty: the system (a command, a sweep without a user)
    actor = models.CharField(_("by"), max_length=150, blank=True, default="")
    data = models.JSONField(_("row data"))

    class Meta:
        db_table = "audit_entry"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["table_name", "object_id", "id"], name="audit_entry_object")]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.table_name}#{self.object_id} {self.op} {self.at:%Y-%m-%d %H:%M:%S}"


class AuditSeal(models.Model):
    seq = models.BigIntegerField(_("position in the chain"), primary_key=True)
    entry_id = models.BigIntegerField(_("entry"), unique=True)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        db_table = "audit_seal"
        ordering = ["seq"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")


class AuditSealMark(models.Model):
    """Where sealing may start looking (PostgreSQL): every entry numbered up to `low` is sealed or will never exist.
    An entry commits after others numbered above it when its transaction runs longer, so the mark moves up to
    `pending_last` (the last number handed out at an earlier run) only once every transaction that was running
    then (xid below `pending_xmax`) has ended. Only a shortcut: verify_audit checks every entry regardless."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    low = models.BigIntegerField(default=0)
    pending_last = models.BigIntegerField(null=True)
    pending_xmax = models.BigIntegerField(null=True)

    class Meta:
        db_table = "audit_sealmark"
