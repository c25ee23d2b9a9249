"""The scheme of a category (考核指标体系), defined once: a branch of category C is scored on the
five standardizations (五个标准化, the indicators with an empty category, common to all) plus
C's own criteria (the indicators of category C), the standardizations first.

Pure: no ORM queries here. `scoring.models.IndicatorQuerySet.for_category` and the selectors use
these to filter; code that already holds a quarter's indicators uses them to pick.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.db.models import F, Q

T = TypeVar("T")

STANDARD = ""  # Indicator.category of the five standardizations
# The scheme's order: the standardizations (empty category) first, then the category's own criteria.
SCHEME_ORDER = ("category", "position", "id")


def scheme_categories(category: str) -> tuple[str, str]:
    """The indicator categories a branch of `category` is scored on, in scheme order."""
    return (STANDARD, category)


def applies_to(indicator_category: str, branch_category: str) -> bool:
    """Whether an indicator of `indicator_category` is on the scheme of a branch of `branch_category`."""
    return indicator_category in scheme_categories(branch_category)


def scheme_q(indicator: str = "", branch_category: str | F = "") -> Q:
    """The scheme as a filter. `indicator` is the path to the indicator ("" on Indicator itself,
    "indicator__" from a score); `branch_category` a category or an expression for it, e.g.
    F("sheet__branch__category")."""
    return Q(**{f"{indicator}category": STANDARD}) | Q(**{f"{indicator}category": branch_category})


def pick(items: Iterable[T], category: str, *, category_of=lambda i: i.category) -> list[T]:
    """The items (indicators, or anything carrying an indicator's category) on `category`'s scheme,
    in the order given."""
    return [i for i in items if applies_to(category_of(i), category)]


def merge(per_category: Mapping[str, Mapping], category: str) -> dict:
    """One category's scheme from a mapping held per indicator category (indicator category →
    {id: value}): the standardizations' entries, then the category's own."""
    return {key: value for c in scheme_categories(category) for key, value in per_category.get(c, {}).items()}


def count(per_category: Mapping[str, int], category: str) -> int:
    """How many indicators `category`'s scheme has, from the counts per indicator category."""
    return sum(per_category.get(c, 0) for c in scheme_categories(category))
