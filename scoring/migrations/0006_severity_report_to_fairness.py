"""SeverityReportRecord now belongs to fairness (fairness.0001): scoring forgets it, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0005_deductions_and_copied_from"),
        ("fairness", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SeverityReportRecord")],
            database_operations=[],
        ),
    ]
