"""SeverityReportRecord moves from scoring to fairness (issue 16): the state only; the table keeps
its name (scoring_severityreportrecord), so no row moves and no table is rebuilt."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("scoring", "0005_deductions_and_copied_from"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SeverityReportRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("data", models.JSONField(verbose_name="分析结果")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="保存时间")),
                        (
                            "quarter",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="severity_report",
                                to="scoring.quarter",
                                verbose_name="季度",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "检查组宽严度分析",
                        "verbose_name_plural": "检查组宽严度分析",
                        "db_table": "scoring_severityreportrecord",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
