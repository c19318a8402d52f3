"""Shared steps for the audit tests: what the log holds, and tampering as a superuser would (guard switched off)."""

from contextlib import contextmanager

from django.db import connection

from audit import triggers
from audit.models import AuditEntry

PG = "connection.vendor == 'postgresql'"


def entries(model=None, **filters):
    qs = AuditEntry.objects.order_by("id")
    if model is not None:
        qs = qs.filter(table_name=model._meta.db_table)
    return list(qs.filter(**filters))


@contextmanager
def guard_off():
    """What a superuser (or the tables' owner) could do: switch the append-only guard off for a moment."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_guard")
            cursor.execute("ALTER TABLE audit_seal DISABLE TRIGGER audit_guard")
        else:
            for name in ("audit_entry_guard_update", "audit_entry_guard_delete", "audit_seal_guard_update",
                         "audit_seal_guard_delete"):
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_guard")
                cursor.execute("ALTER TABLE audit_seal ENABLE TRIGGER audit_guard")
            else:
                triggers.install(connection, only_if_needed=True)
