"""Star ratings (星级党支部) on the shared board pages: one query per tag."""

from __future__ import annotations

from collections import defaultdict

from django import template

from boards.models import StarRating
from boards.stars import stars_text

register = template.Library()


@register.filter
def stars(value) -> str:
    """3 → ★★★☆☆."""
    return stars_text(int(value or 0))


@register.inclusion_tag("boards/_branch_stars.html")
def branch_stars(branch):
    """The branch's star rating per year (the rating of the year's latest published quarter)."""
    from boards.star_services import yearly_ratings

    return {"ratings": yearly_ratings(branch.pk), "branch": branch}


@register.inclusion_tag("boards/_quarter_stars.html")
def quarter_stars(quarter):
    """The quarter's star-rated branches (one star or more), by level."""
    levels: dict[int, list[str]] = defaultdict(list)
    if quarter.is_published:
        for stars_, name in (
            StarRating.objects.filter(quarter=quarter, stars__gt=0)
            .order_by("-stars", "branch__category", "branch__name")
            .values_list("stars", "branch__name")
        ):
            levels[stars_].append(name)
    return {"quarter": quarter, "levels": sorted(levels.items(), reverse=True)}
