"""Issue 17, 2/3: every existing quarter is the company root's (branches 0008 made it), created here
when the database held quarters but no unit at all."""

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    Quarter = apps.get_model("scoring", "Quarter")
    Unit = apps.get_model("branches", "Unit")
    if not Quarter.objects.filter(unit__isnull=True).exists():
        return
    root = Unit.objects.filter(name=settings.COMPANY_NAME).first()
    if root is None:
        root = Unit.objects.create(name=settings.COMPANY_NAME, path="0001", depth=1, is_evaluating=True)
        Unit.objects.filter(pk=root.pk).update(evaluating_unit=root)
    Quarter.objects.filter(unit__isnull=True).update(unit=root)


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0007_quarter_unit"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
