"""Issue 17, 3/3: the unit required; one row per unit × category × board."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0016_fill_adjustment_rule_unit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="adjustmentrule",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="adjustment_rules",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
        migrations.AddConstraint(
            model_name="adjustmentrule",
            constraint=models.UniqueConstraint(fields=("unit", "category", "board"), name="adjustment_rule_unique"),
        ),
    ]
