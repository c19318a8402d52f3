from django.db import migrations, models


class Migration(migrations.Migration):
    """The population is stored packed and compressed (a million members in a few MB, not 25 MB of JSON)."""

    dependencies = [("inspections", "0003_draws_and_records")]

    operations = [
        migrations.RemoveField(model_name="draw", name="population"),
        migrations.AddField(model_name="draw", name="population",
                            field=models.BinaryField(blank=True, default=b"", verbose_name="population")),
        migrations.AddField(model_name="draw", name="population_size",
                            field=models.PositiveIntegerField(default=0, verbose_name="population size")),
    ]
