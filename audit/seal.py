"""Sealing: giving committed entries their place in the hash chain (PostgreSQL; SQLite seals on insert)."""

from django.db import connection as default_connection, transaction


def seal(*, max_rows: int = 50000, connection=None) -> int:
    """Chain what is committed, in batches of max_rows, until nothing sealable is left; returns how many."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return 0
    total = 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT audit_seal(%s)", [max_rows])
            count = cursor.fetchone()[0]
        total += count
        if count < max_rows:
            return total
