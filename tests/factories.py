"""factory_boy factories for the models every app shares. App-specific ones live beside their tests."""

from __future__ import annotations

from decimal import Decimal

import factory

from branches.models import Branch, Category, Unit, User
from scoring.models import InspectionGroup, Quarter, Score, ScoreSheet


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"单位{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"第{n}党支部")
    category = Category.I
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-123456")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class QuarterFactory(factory.django.DjangoModelFactory):
    """A quarter with the default scheme, created through the service like the real thing."""

    class Meta:
        model = Quarter

    code = factory.Sequence(lambda n: f"{2030 + n // 4}Q{n % 4 + 1}")

    @classmethod
    def _create(cls, model_class, code, status=Quarter.Status.PREPARING, **kwargs):
        from scoring.services import quarter_create

        quarter = quarter_create(code=code)
        if status != Quarter.Status.PREPARING:
            Quarter.objects.filter(pk=quarter.pk).update(status=status)
            quarter.refresh_from_db()
        return quarter


class InspectionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionGroup

    quarter = factory.SubFactory(QuarterFactory)
    name = factory.Sequence(lambda n: f"检查组{n}")


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    quarter = factory.SubFactory(QuarterFactory)
    branch = factory.SubFactory(BranchFactory)
    group = None


def fill_sheet(sheet: ScoreSheet, fraction: Decimal = Decimal("0.9")) -> None:
    """Score every indicator of the sheet's branch at `fraction` of its maximum."""
    from scoring.selectors import scheme_for_category

    for indicator in scheme_for_category(sheet.quarter, sheet.branch.category):
        Score.objects.update_or_create(
            sheet=sheet,
            indicator=indicator,
            defaults={"value": (indicator.max_score * fraction).quantize(Decimal("0.1"))},
        )
