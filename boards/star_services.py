"""Star ratings (星级党支部): the rule 党建部 edits, and the ratings stored at publication.

The rule itself is boards.stars (pure); this module loads its inputs and writes its results.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boards.models import BoardEntry, StarLevel, StarRating
from boards.stars import DEFAULT_LEVELS, WINDOW, QuarterOutcome, StarLevelRule, level_errors, star_rating
from branches import roles
from branches.models import User
from scoring.models import Quarter


def star_levels() -> list[StarLevelRule]:
    """The rule as 党建部 last set it, highest level first (the default where never set)."""
    stored = {lv.stars: lv for lv in StarLevel.objects.all()}
    rules = []
    for default in DEFAULT_LEVELS:
        row = stored.get(default.stars)
        rules.append(default if row is None else StarLevelRule(row.stars, row.min_average, row.no_blue))
    return rules


LEVEL_MESSAGES = {
    "range": gettext_lazy("平均总分应在 0 到 200 之间。"),
    "order": gettext_lazy("星级越高，要求的平均总分应越高（须高于下一星级）。"),
    "blue": gettext_lazy("下一星级已要求“期间不得上蓝榜”，更高星级也应要求。"),
}


@transaction.atomic
def star_levels_update(*, levels: list[StarLevelRule], user: User) -> int:
    """Set the star rule. Ratings already stored keep the rule they were computed with.
    Returns how many levels changed."""
    if not roles.is_dept(user):
        raise PermissionDenied(_("只有党建部可以修改星级评定标准。"))
    errors = level_errors(levels)
    if errors:
        raise ValidationError({f"min_average_{stars}": str(LEVEL_MESSAGES[code]) for stars, code in errors.items()})
    stored = {lv.stars: lv for lv in StarLevel.objects.select_for_update()}
    effective = {lv.stars: lv for lv in star_levels()}  # the defaults stand in for rows never saved
    changed = 0
    for level in levels:
        row = stored.get(level.stars)
        if effective.get(level.stars) != level:
            changed += 1
        if row is None:
            StarLevel.objects.create(
                stars=level.stars, min_average=level.min_average, no_blue=level.no_blue, updated_by=user
            )
        elif (row.min_average, row.no_blue) != (level.min_average, level.no_blue):
            row.min_average, row.no_blue, row.updated_by = level.min_average, level.no_blue, user
            row.save(update_fields=["min_average", "no_blue", "updated_by", "updated_at"])
    return changed


def window_quarters(quarter: Quarter) -> list[Quarter]:
    """The company's last WINDOW published quarters up to and including `quarter`, oldest first."""
    quarters = list(
        Quarter.objects.filter(status=Quarter.Status.PUBLISHED)
        .filter(Q(year__lt=quarter.year) | Q(year=quarter.year, number__lte=quarter.number))
        .order_by("-year", "-number")[:WINDOW]
    )
    quarters.reverse()
    return quarters


def star_ratings_store(*, quarter: Quarter) -> int:
    """A follow-up of publication (registered in boards.apps): rate every branch on the quarter's
    board. Idempotent — a quarter already rated is left alone, so the follow-up may run twice.
    Returns the number of ratings written. Four queries, whatever the number of branches."""
    if not quarter.is_published or StarRating.objects.filter(quarter=quarter).exists():
        return 0
    quarters = window_quarters(quarter)
    codes = {q.pk: q.code for q in quarters}
    outcomes: dict[int, dict[int, QuarterOutcome]] = defaultdict(dict)
    for branch_id, quarter_id, status, total, board in BoardEntry.objects.filter(quarter__in=quarters).values_list(
        "branch_id", "quarter_id", "status", "total", "board"
    ):
        ranked = status == BoardEntry.Status.RANKED
        outcomes[branch_id][quarter_id] = QuarterOutcome(codes[quarter_id], total if ranked else None, board)
    levels = star_levels()
    rule = [[lv.stars, str(lv.min_average), lv.no_blue] for lv in levels]
    rated = BoardEntry.objects.filter(quarter=quarter).values_list("branch_id", flat=True)
    ratings = []
    for branch_id in rated:
        history = [outcomes[branch_id].get(q.pk) or QuarterOutcome(q.code, None) for q in quarters]
        result = star_rating(history, levels)
        ratings.append(
            StarRating(
                quarter=quarter,
                branch_id=branch_id,
                year=quarter.year,
                stars=result.stars,
                average=result.average,
                quarters_counted=result.counted,
                blue_count=result.blue_count,
                rule=rule,
            )
        )
    StarRating.objects.bulk_create(ratings, ignore_conflicts=True)
    return len(ratings)


def ratings_for_quarter(quarter: Quarter) -> dict[int, StarRating]:
    """branch id → its rating at the quarter. One query."""
    return {r.branch_id: r for r in StarRating.objects.filter(quarter=quarter)}


def latest_ratings(branch_ids: list[int] | None = None) -> tuple[Quarter | None, dict[int, StarRating]]:
    """The ratings of the latest rated quarter. Two queries."""
    latest = StarRating.objects.order_by("-quarter__year", "-quarter__number").select_related("quarter").first()
    if latest is None:
        return None, {}
    rows = StarRating.objects.filter(quarter_id=latest.quarter_id)
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=branch_ids)
    return latest.quarter, {r.branch_id: r for r in rows}


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


def level_counts(ratings: dict[int, StarRating]) -> list[tuple[int, int]]:
    """(stars, number of branches) from five stars down to none."""
    counts = defaultdict(int)
    for rating in ratings.values():
        counts[rating.stars] += 1
    return [(stars, counts[stars]) for stars in range(5, -1, -1)]
