"""Issue 17, 2/3: the existing table is the company root's (branches 0009). On a database without
units (a fresh one: 0003 wrote the report's defaults) rows equal to the defaults are dropped — the
board falls back to the same defaults — and a root is made only for a table that differs."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations

DEFAULTS = {
    ("1", "red"): Decimal("1.5"),
    ("1", "blue"): Decimal("-1.5"),
    ("2", "red"): Decimal("1.5"),
    ("2", "blue"): Decimal("-1.5"),
    ("3", "red"): Decimal("0"),
    ("3", "blue"): Decimal("-0.5"),
}


def fill(apps, schema_editor):
    AdjustmentRule = apps.get_model("boards", "AdjustmentRule")
    Unit = apps.get_model("branches", "Unit")
    rules = list(AdjustmentRule.objects.filter(unit__isnull=True))
    if not rules:
        return
    root = Unit.objects.filter(name=settings.COMPANY_NAME).first()
    if root is None:
        if all(DEFAULTS.get((r.category, r.board)) == r.points for r in rules):
            AdjustmentRule.objects.filter(pk__in=[r.pk for r in rules]).delete()
            return
        root = Unit.objects.create(name=settings.COMPANY_NAME, path="0001", depth=1, is_evaluating=True)
        Unit.objects.filter(pk=root.pk).update(evaluating_unit=root)
    AdjustmentRule.objects.filter(pk__in=[r.pk for r in rules]).update(unit=root)


class Migration(migrations.Migration):
    dependencies = [
        ("boards", "0015_adjustment_rule_unit"),
        ("scoring", "0008_fill_quarter_unit"),  # a root made for quarters is reused
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
