"""The adjustment table as the report gives it: Ⅰ/Ⅱ red +1.5 blue −1.5; Ⅲ red 0 blue −0.5."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    ("1", "red"): "1.5",
    ("1", "blue"): "-1.5",
    ("2", "red"): "1.5",
    ("2", "blue"): "-1.5",
    ("3", "red"): "0",
    ("3", "blue"): "-0.5",
}


def create_defaults(apps, schema_editor):
    AdjustmentRule = apps.get_model("boards", "AdjustmentRule")
    for (category, board), points in DEFAULTS.items():
        AdjustmentRule.objects.get_or_create(category=category, board=board, defaults={"points": Decimal(points)})


class Migration(migrations.Migration):
    dependencies = [("boards", "0002_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
