"""Star ratings (星级党支部) on the shared board pages: one query per tag."""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.db import connection

from boards.models import BoardEntry, StarRating
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


@register.inclusion_tag("boards/_quarter_stars.html")
def quarter_stars(quarter):
    """The quarter's star-rated branches (one star or more), by level: the first
    QUARTER_STARS_SHOWN names of each level (best average first) and the level's count. One query."""
    levels: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = {}
    if quarter.is_published:
        sql = _QUARTER_STARS_SQL.format(ratings=StarRating._meta.db_table, entries=BoardEntry._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, [quarter.pk, quarter.pk, QUARTER_STARS_SHOWN])
            for stars_, name, count in cursor.fetchall():
                levels[stars_].append(name)
                counts[stars_] = count
    return {
        "quarter": quarter,
        "levels": [(n, names, counts[n], counts[n] - len(names)) for n, names in sorted(levels.items(), reverse=True)],
    }
