"""Install the audit triggers (see audit/triggers.py): after the audited tables exist in their latest form."""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install(schema_editor.connection, apps)


def uninstall(apps, schema_editor):
    from audit import triggers

    triggers.uninstall(schema_editor.connection, apps)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("approvals", "0005_application_created_index"),
        ("inspections", "0006_obligation_fewer_indexes"),
        ("sanctions", "0006_restriction_starts_index"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
