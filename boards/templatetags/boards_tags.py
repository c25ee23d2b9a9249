"""Formatting for the board: every score and point is formatted here, once."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

CENT = Decimal("0.01")


@register.filter
def cent(value) -> str:
    """A score with two decimals; empty for "none"."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(CENT):f}"


@register.filter
def signed(value) -> str:
    """An adjustment with its sign and two decimals: +1.50, −1.50, 0.00."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT)
    if value > 0:
        return f"+{value:f}"
    if value < 0:
        return f"−{abs(value):f}"
    return "0.00"


@register.filter
def score_for(scores, indicator_id):
    """scores[indicator_id], formatted; "—" when unscored."""
    return cent(scores.get(indicator_id)) if scores else "—"


@register.simple_tag(takes_context=True)
def page_url(context, param: str, number) -> str:
    """The current URL's query with one page parameter replaced (keeps search and other pages)."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()


@register.filter
def category_label(value) -> str:
    """ "1" → "Ⅰ类"."""
    from branches.models import Category

    return Category(str(value)).label
