from django.db import migrations


def fillfactor(apps, schema_editor):
    """Room on each page for a second version of its rows: the expiry sweep (and a lift or withdrawal) then updates a
    restriction in place (a HOT update) without inserting into its eight indexes, as its state is not indexed
    (issue 8: 100,000 expiring at once, 9.5 s -> 5.4 s on a loaded machine). New pages only: rows already stored
    keep their pages until the table is rewritten (VACUUM FULL)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sanctions_restriction SET (fillfactor = 60)")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sanctions_restriction RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('sanctions', '0006_restriction_starts_index'),
    ]

    operations = [migrations.RunPython(fillfactor, reset, elidable=False)]
