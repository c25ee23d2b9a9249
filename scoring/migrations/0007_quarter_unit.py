"""Issue 17, 1/3: a quarter belongs to an evaluating unit; its code is unique within the unit."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0010_unit_tree_constraints"),
        ("scoring", "0006_severity_report_to_fairness"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="quarter", name="quarter_year_number_unique"),
        migrations.AlterField(model_name="quarter", name="code", field=models.CharField(max_length=6, verbose_name="季度")),
        migrations.AddField(
            model_name="quarter",
            name="unit",
            field=models.ForeignKey(
                limit_choices_to={"is_evaluating": True},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quarters",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
    ]
