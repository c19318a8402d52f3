from django.db import migrations, models
from django.db.models import F


def drawn_ones_were_applied(apps, schema_editor):
    """Draws run before this change wrote their assignments and states in their own transaction."""
    Draw = apps.get_model("inspections", "Draw")
    Draw.objects.filter(drawn_at__isnull=False).update(applied_at=F("drawn_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0009_obligation_overdue_derived'),
    ]

    operations = [
        migrations.AddField(
            model_name='draw',
            name='applied',
            field=models.PositiveIntegerField(default=0, verbose_name='items applied'),
        ),
        migrations.AddField(
            model_name='draw',
            name='applied_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='assignments applied at'),
        ),
        migrations.RunPython(drawn_ones_were_applied, migrations.RunPython.noop),
    ]
