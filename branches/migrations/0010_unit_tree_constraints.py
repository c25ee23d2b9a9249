"""Issue 17, 3/3: the tree's columns required; branch names unique per evaluating unit, no longer
across the whole tree (every city company has an 办公室党支部)."""

import django.db.models.deletion
from django.db import migrations, models

import branches.text


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0009_fill_unit_tree"),
    ]

    operations = [
        migrations.AlterField(model_name="unit", name="path", field=models.CharField(max_length=255, unique=True)),
        migrations.AlterField(model_name="unit", name="depth", field=models.PositiveIntegerField()),
        migrations.AlterField(
            model_name="branch",
            name="evaluating_unit",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluated_branches",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
        migrations.AlterField(
            model_name="branch",
            name="name",
            field=models.CharField(
                max_length=100, validators=[branches.text.PlainNameValidator()], verbose_name="组织名称"
            ),
        ),
        migrations.AddConstraint(
            model_name="branch",
            constraint=models.UniqueConstraint(
                fields=("evaluating_unit", "name"), name="branch_name_unique_in_evaluating_unit"
            ),
        ),
    ]
