"""Re-install audit_seal(): the horizon for moving the sealing mark is the sealer's own transaction id, not the
snapshot's xmax (which let the mark pass an entry whose transaction was still open; see audit/triggers.py)."""

from django.db import migrations


def reinstall(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from audit import triggers

    with connection.cursor() as cursor:
        cursor.execute(triggers.PG_SEAL)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_triggers")]

    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop, elidable=False)]
