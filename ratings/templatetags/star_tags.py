"""Star ratings (星级党支部) on the shared board pages: one query per tag, each a selector."""

from __future__ import annotations

from django import template

from ratings.rules import stars_text
from ratings.selectors import quarter_star_levels, yearly_ratings

register = template.Library()


@register.filter
def stars(value) -> str:
    """3 → ★★★☆☆."""
    return stars_text(int(value or 0))


@register.inclusion_tag("ratings/_branch_stars.html")
def branch_stars(branch):
    """The branch's star rating per year (the rating of the year's latest published quarter)."""
    return {"ratings": yearly_ratings(branch.pk), "branch": branch}


@register.inclusion_tag("ratings/_quarter_stars.html")
def quarter_stars(quarter):
    """The quarter's star-rated branches by level (ratings.selectors.quarter_star_levels). One query."""
    return {"quarter": quarter, "levels": quarter_star_levels(quarter)}
