"""Reads for schemes (考核指标体系): a category's indicators, their counts, the editor's sections and totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from branches.models import Category
from scoring import scheme
from scoring.models import (
    DeductionItem,
    Indicator,
    Quarter,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def scheme_for_category(quarter: Quarter, category: str) -> list[Indicator]:
    """The indicators a branch of `category` is scored on: the five standardizations, then its own."""
    return list(quarter.indicators.for_category(category))


def required_counts(quarters) -> dict[tuple[int, str], int]:
    """(quarter id, category) → how many indicators a branch of that category is scored on. One query."""
    per: dict[int, dict[str, int]] = defaultdict(dict)
    rows = Indicator.objects.filter(quarter__in=quarters).values_list("quarter_id", "category").annotate(n=Count("id"))
    for quarter_id, category, n in rows:
        per[quarter_id][category] = n
    return {
        (quarter_id, category): scheme.count(counts, category)
        for quarter_id, counts in per.items()
        for category in Category.values
    }


def scheme_with_deductions(quarter: Quarter, category: str) -> list[Indicator]:
    """scheme_for_category, each indicator with `.deduction_list` (its 扣分标准). Two queries."""
    indicators = scheme_for_category(quarter, category)
    by_indicator: dict[int, list[DeductionItem]] = defaultdict(list)
    for item in DeductionItem.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("position", "id"):
        by_indicator[item.indicator_id].append(item)
    for indicator in indicators:
        indicator.deduction_list = by_indicator[indicator.pk]  # type: ignore[attr-defined]  # for the page
    return indicators


SCHEME_TARGET = Decimal("100")


@dataclass
class SchemeSection:
    """One block of the scheme editor: the five standardizations (category "") or a category's own
    criteria, each indicator with `.deduction_list`."""

    category: str
    title: str
    indicators: list[Indicator]

    @property
    def total(self) -> Decimal:
        return sum((i.max_score for i in self.indicators), start=Decimal("0"))


@dataclass
class CategoryTotal:
    """A category's total maximum: the five standardizations plus its own criteria."""

    category: str
    label: StrOrPromise
    standard: Decimal
    own: Decimal
    indicators: int
    deductions: int

    @property
    def total(self) -> Decimal:
        return self.standard + self.own

    @property
    def is_target(self) -> bool:
        return self.total == SCHEME_TARGET


def section_title(category: str) -> str:
    """The title of a block of the scheme: the five standardizations, or a category's own criteria."""
    if category == scheme.STANDARD:
        return _("五个标准化（各类别通用）")
    return _("%(category)s特色指标") % {"category": Category(category).label}


def scheme_sections(quarter: Quarter) -> list[SchemeSection]:
    """The quarter's scheme by section, in scoring order. Two queries."""
    from branches.models import Category

    indicators = list(
        quarter.indicators.prefetch_related(
            Prefetch("deductions", queryset=DeductionItem.objects.order_by("position", "id"), to_attr="deduction_list")
        ).order_by(*scheme.SCHEME_ORDER)
    )
    sections = [SchemeSection(c, section_title(c), []) for c in (scheme.STANDARD, *Category.values)]
    by_category = {s.category: s for s in sections}
    for indicator in indicators:
        by_category[indicator.category].indicators.append(indicator)
    return sections


def category_totals(sections: list[SchemeSection]) -> list[CategoryTotal]:
    """Each category's total maximum (a warning unless it is 100), from loaded sections."""
    from branches.models import Category

    standard = sections[0]
    by_category = {s.category: s for s in sections[1:]}
    return [
        CategoryTotal(
            category=c.value,
            label=c.label,
            standard=standard.total,
            own=by_category[c.value].total,
            indicators=len(standard.indicators) + len(by_category[c.value].indicators),
            deductions=sum(
                len(i.deduction_list)  # type: ignore[attr-defined,misc]  # scheme_with_deductions sets it
                for i in standard.indicators + by_category[c.value].indicators
            ),
        )
        for c in Category
    ]
