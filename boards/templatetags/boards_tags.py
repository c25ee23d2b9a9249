"""The board's template filters; the numbers are written as scoring.numbers writes them."""

from __future__ import annotations

from django import template

from scoring.numbers import format_cent, format_signed

register = template.Library()


@register.filter
def cent(value) -> str:
    """A score with two decimals; "—" for none (scoring.numbers.format_cent)."""
    return format_cent(value)


@register.filter
def signed(value) -> str:
    """An adjustment with its sign and two decimals: +1.50, −1.50, 0.00 (scoring.numbers.format_signed)."""
    return format_signed(value)


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
