"""Issue 17, 1/3: each evaluating unit has its own adjustment table (绩效加扣分标准)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0014_category_means"),
        ("branches", "0010_unit_tree_constraints"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="adjustmentrule", name="adjustment_rule_unique"),
        migrations.AddField(
            model_name="adjustmentrule",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="adjustment_rules",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
    ]
