"""Reads for star ratings (星级党支部): the rule as set, the publication window, the stored ratings."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Q

from boards.models import BoardEntry
from ratings.models import StarLevel, StarRating
from ratings.rules import DEFAULT_LEVELS, WINDOW, StarLevelRule
from scoring.models import Quarter


def star_levels() -> list[StarLevelRule]:
    """The rule as 党建部 last set it, highest level first (the default where never set)."""
    stored = {lv.stars: lv for lv in StarLevel.objects.all()}
    rules = []
    for default in DEFAULT_LEVELS:
        row = stored.get(default.stars)
        rules.append(default if row is None else StarLevelRule(row.stars, row.min_average, row.no_blue))
    return rules


def window_quarters(quarter: Quarter) -> list[Quarter]:
    """The last WINDOW quarters published by `quarter`'s evaluating unit up to and including it,
    oldest first (another unit's quarters are not its branches' record: issue 17)."""
    quarters = list(
        Quarter.objects.published()
        .filter(unit_id=quarter.unit_id)
        .filter(Q(year__lt=quarter.year) | Q(year=quarter.year, number__lte=quarter.number))[:WINDOW]
    )
    quarters.reverse()
    return quarters


def yearly_ratings(branch_id: int) -> list[StarRating]:
    """The branch's rating for each year (that of the year's latest rated quarter), latest year
    first. One query."""
    by_year: dict[int, StarRating] = {}
    for rating in (
        StarRating.objects.filter(branch_id=branch_id)
        .select_related("quarter")
        .order_by("-quarter__year", "-quarter__number")
    ):
        by_year.setdefault(rating.year, rating)
    return list(by_year.values())


# Names shown per star level on the board page; beyond that the level says how many more. At
# 50,000 branches thousands are rated, and the page must not list them all (bench/, BENCHMARKS.md).
QUARTER_STARS_SHOWN = 30


# The first QUARTER_STARS_SHOWN branches of each level (best average first) and each level's count.
# Numbered over the rating rows alone; names looked up only for the rows shown (a join lets the
# planner hash all 50,000 branches, as does the ORM's window filtering; bench/, BENCHMARKS.md).
# The name is the one the quarter was published with (its board row), not the branch's today.
_QUARTER_STARS_SQL = """
WITH numbered AS (
    SELECT stars, branch_id,
           ROW_NUMBER() OVER (PARTITION BY stars ORDER BY average DESC NULLS LAST, branch_id) AS position,
           COUNT(*) OVER (PARTITION BY stars) AS level_count
    FROM {ratings} WHERE quarter_id = %s AND stars > 0
)
SELECT numbered.stars,
       (SELECT entry.branch_name FROM {entries} AS entry
        WHERE entry.quarter_id = %s AND entry.branch_id = numbered.branch_id),
       numbered.level_count
FROM numbered
WHERE numbered.position <= %s
ORDER BY numbered.stars DESC, numbered.position
"""


def quarter_star_levels(quarter: Quarter) -> list[tuple[int, list[str], int, int]]:
    """The quarter's star-rated branches (one star or more), by level, five stars first: (stars, the
    first QUARTER_STARS_SHOWN names, best average first, the level's count, how many more). One query;
    nothing before publication."""
    levels: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = {}
    if quarter.is_published:
        sql = _QUARTER_STARS_SQL.format(ratings=StarRating._meta.db_table, entries=BoardEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, [quarter.pk, quarter.pk, QUARTER_STARS_SHOWN])
            for stars, name, count in cursor.fetchall():
                levels[stars].append(name)
                counts[stars] = count
    return [(n, names, counts[n], counts[n] - len(names)) for n, names in sorted(levels.items(), reverse=True)]
