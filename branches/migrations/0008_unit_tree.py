"""Issue 17, 1/3: the unit tree's columns (django-treebeard's materialized path), nullable while
0008 fills them from the single-company database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0007_members_moved_out"),
    ]

    operations = [
        migrations.AddField(model_name="unit", name="path", field=models.CharField(max_length=255, null=True)),
        migrations.AddField(model_name="unit", name="depth", field=models.PositiveIntegerField(default=1)),
        migrations.AddField(model_name="unit", name="numchild", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(
            model_name="unit",
            name="is_evaluating",
            field=models.BooleanField(
                default=False, help_text="本单位党委组织本单位的季度考评（红蓝榜）", verbose_name="考评单位"
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="evaluating_unit",
            field=models.ForeignKey(
                blank=True,
                help_text="本单位或其上级中最近的考评单位",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluated_units",
                to="branches.unit",
                verbose_name="所属考评单位",
            ),
        ),
        migrations.AddField(
            model_name="branch",
            name="evaluating_unit",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluated_branches",
                to="branches.unit",
                verbose_name="考评单位",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="角色所在的单位（其下级单位一并可见）；不填则取所在党组织的单位",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="branches.unit",
                verbose_name="所属单位",
            ),
        ),
    ]
