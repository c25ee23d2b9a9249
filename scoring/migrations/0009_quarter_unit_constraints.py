"""Issue 17, 3/3: the unit required; code and year/number unique within the unit."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0008_fill_quarter_unit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="quarter",
            name="unit",
            field=models.ForeignKey(
                limit_choices_to={"is_evaluating": True},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quarters",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="quarter",
            constraint=models.UniqueConstraint(fields=("unit", "code"), name="quarter_code_unique_in_unit"),
        ),
        migrations.AddConstraint(
            model_name="quarter",
            constraint=models.UniqueConstraint(fields=("unit", "year", "number"), name="quarter_year_number_unique"),
        ),
    ]
