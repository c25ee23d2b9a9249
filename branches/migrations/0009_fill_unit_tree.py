"""Issue 17, 2/3: an existing single-company database becomes a tree of one evaluating unit.

The root is the company named by PORTAL_COMPANY_NAME (a 所属单位 of that name, if there is one,
becomes the root itself); every other unit goes under it as a non-evaluating unit, and every branch
is evaluated by the root. Quarters follow in scoring 0007. Paths are treebeard's (4 characters a
level, base 36), written here because historical models have none of treebeard's methods."""

from django.conf import settings
from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


def step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEP, "0")


def fill(apps, schema_editor):
    Unit = apps.get_model("branches", "Unit")
    Branch = apps.get_model("branches", "Branch")
    units = list(Unit.objects.order_by("name", "pk"))
    if not units:
        return  # a fresh database: branches.units.default_unit creates the root when first needed
    root = next((u for u in units if u.name == settings.COMPANY_NAME), None)
    if root is None:
        root = Unit.objects.create(name=settings.COMPANY_NAME, path=step(1), depth=1)
    children = [u for u in units if u.pk != root.pk]
    for number, unit in enumerate(children, start=1):
        unit.path, unit.depth, unit.numchild = step(1) + step(number), 2, 0
        unit.is_evaluating, unit.evaluating_unit = False, root
    root.path, root.depth, root.numchild = step(1), 1, len(children)
    root.is_evaluating, root.evaluating_unit = True, root
    Unit.objects.bulk_update(
        [root, *children], ["path", "depth", "numchild", "is_evaluating", "evaluating_unit"], batch_size=500
    )
    Branch.objects.update(evaluating_unit=root)


def empty(apps, schema_editor):
    Unit = apps.get_model("branches", "Unit")
    Unit.objects.update(path=None, evaluating_unit=None)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0008_unit_tree"),
    ]

    operations = [migrations.RunPython(fill, empty)]
