"""Writes for star ratings (星级党支部): the rule 党建部 edits, and the ratings stored at publication.

The rule itself is ratings.rules (pure); ratings.selectors loads its inputs.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boards.models import BoardEntry
from branches import roles
from branches.models import User
from ratings.models import StarLevel, StarRating
from ratings.rules import QuarterOutcome, StarLevelRule, level_errors, star_rating
from ratings.selectors import star_levels, window_quarters
from scoring.models import Quarter

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


def star_ratings_store(*, quarter: Quarter) -> int:
    """A follow-up of publication (registered in RatingsConfig.ready): rate every branch on the quarter's
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
