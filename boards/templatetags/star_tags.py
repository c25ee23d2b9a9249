"""Star ratings (星级党支部) on the shared board pages: one query per tag."""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

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


# Names shown per star level on the board page; beyond that the level says how many more. At
# 50,000 branches thousands are rated, and the page must not list them all (bench/, BENCHMARKS.md).
QUARTER_STARS_SHOWN = 30


@register.inclusion_tag("boards/_quarter_stars.html")
def quarter_stars(quarter):
    """The quarter's star-rated branches (one star or more), by level: the first
    QUARTER_STARS_SHOWN names of each level and the level's count. One query."""
    levels: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = {}
    if quarter.is_published:
        for stars_, name, count in (
            StarRating.objects.filter(quarter=quarter, stars__gt=0)
            .annotate(
                position=Window(
                    RowNumber(), partition_by=F("stars"), order_by=[F("branch__category"), F("branch__name")]
                ),
                level_count=Window(Count("id"), partition_by=F("stars")),
            )
            .filter(position__lte=QUARTER_STARS_SHOWN)
            .order_by("-stars", "position")
            .values_list("stars", "branch__name", "level_count")
        ):
            levels[stars_].append(name)
            counts[stars_] = count
    return {
        "quarter": quarter,
        "levels": [(n, names, counts[n], counts[n] - len(names)) for n, names in sorted(levels.items(), reverse=True)],
    }
