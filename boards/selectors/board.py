"""The live board of a quarter: its scores loaded in a constant number of queries and fed to the
pure rules in boards.ranking (a preview while the quarter is unpublished, and publication's input)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Avg, F, QuerySet, Sum

from boards.models import AdjustmentRule, Board, Exclusion
from boards.ranking import (
    BLUE,
    NO_SCORES,
    RED,
    BranchInput,
    CategoryResult,
    SummedBranch,
    compute_board,
    compute_board_from_sums,
)
from branches.models import Branch, Category, Unit
from branches.units import sole_evaluating_unit
from scoring.models import ContributionPoint, Indicator, Quarter, Score, ScoreSheet
from scoring.scheme import SCHEME_ORDER, STANDARD, scheme_q

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The report's table: Ⅰ/Ⅱ red +1.5 blue −1.5; Ⅲ red 0 blue −0.5. The data migration stores it; a
# row that is missing all the same (a flushed test database, a hand-edited table) falls back to it.
DEFAULT_ADJUSTMENTS: dict[tuple[str, str], Decimal] = {
    ("1", RED): Decimal("1.50"),
    ("1", BLUE): Decimal("-1.50"),
    ("2", RED): Decimal("1.50"),
    ("2", BLUE): Decimal("-1.50"),
    ("3", RED): Decimal("0.00"),
    ("3", BLUE): Decimal("-0.50"),
}


def adjustment_table(unit: Unit | None = None) -> dict[tuple[str, str], Decimal]:
    """(category, board) → points, as the evaluating unit's 党建部 last set them (the report's
    default where unset). Without a unit, the only evaluating unit's."""
    unit = unit or sole_evaluating_unit()
    rules = AdjustmentRule.objects.filter(unit=unit)
    return {**DEFAULT_ADJUSTMENTS, **{(r.category, r.board): r.points for r in rules}}


def quarter_setup_part(quarter: Quarter) -> dict[str, list[tuple[StrOrPromise, Decimal | None, Decimal | None]]]:
    """scoring's setup page of a new quarter shows the adjustment table: (category label, red, blue)
    (registered in BoardsConfig.ready())."""
    table = adjustment_table(quarter.unit)
    return {
        "adjustments": [
            (label, table.get((value, Board.RED)), table.get((value, Board.BLUE))) for value, label in Category.choices
        ]
    }


def adjustment_rules(unit: Unit | None = None) -> list[AdjustmentRule]:
    unit = unit or sole_evaluating_unit()
    return list(AdjustmentRule.objects.filter(unit=unit).select_related("updated_by").order_by("category", "board"))


def _required_indicators(quarter: Quarter) -> tuple[list[int], dict[str, list[int]]]:
    """The five standardizations' indicator ids, and each category's own, in scheme order."""
    required: dict[str, list[int]] = defaultdict(list)
    standard: list[int] = []
    for indicator_id, category in (
        Indicator.objects.filter(quarter=quarter).order_by(*SCHEME_ORDER).values_list("id", "category")
    ):
        (standard if category == STANDARD else required[category]).append(indicator_id)
    return standard, required


def counted_scores(quarter: Quarter) -> QuerySet[Score]:
    """The scores a board counts: those of the quarter's submitted sheets only. A draft — never
    submitted, or returned by 党建部 and not submitted again — counts for nothing until it is."""
    return Score.objects.filter(sheet__quarter=quarter, sheet__status=ScoreSheet.Status.SUBMITTED)


def _group_scores(queryset) -> dict[int, dict[int, list[Decimal]]]:
    """branch id → indicator id → the groups' scores, for the scores of `queryset`."""
    scores: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = queryset.filter(value__isnull=False).values_list("sheet__branch_id", "indicator_id", "value")
    for branch_id, indicator_id, value in rows.iterator(chunk_size=20_000):
        scores[branch_id][indicator_id].append(value)
    return scores


def group_scores(quarter: Quarter, branch_ids) -> dict[int, dict[int, list[Decimal]]]:
    """branch id → indicator id → the groups' scores, for some branches of the quarter (a page of
    the board, a chunk of an export), from submitted sheets only. One query."""
    return _group_scores(counted_scores(quarter).filter(sheet__branch_id__in=list(branch_ids)))


def indicator_means(quarter: Quarter, category: str | None = None):
    """(branch, indicator_id, mean): the groups' mean on each required indicator the branch has
    scored on submitted sheets (of one category's branches, or all)."""
    scores = counted_scores(quarter).filter(indicator__quarter=quarter, value__isnull=False)
    if category is not None:
        scores = scores.filter(sheet__branch__category=category)
    return (
        scores.filter(scheme_q("indicator__", F("sheet__branch__category")))
        .values("indicator_id", branch=F("sheet__branch_id"))
        .annotate(mean=Avg("value"))
        .order_by()
    )


# One row per active branch: the sum of its required indicators' means and how many are scored
# (means summed by the database) beside the branch, its contribution points and
# its exclusion — the four reads of board_inputs in one query, joined where the rows are.
_BOARD_ROWS_SQL = """
WITH sums AS (SELECT branch, SUM(mean) AS means_total, COUNT(*) AS scored FROM ({means}) AS means GROUP BY branch),
points AS (SELECT branch_id, SUM(points) AS points FROM {points} WHERE quarter_id = %s GROUP BY branch_id)
SELECT b.id, b.name, b.category, COALESCE(s.means_total, 0), COALESCE(s.scored, 0), COALESCE(p.points, 0), e.reason
FROM {branches} AS b
LEFT JOIN sums AS s ON s.branch = b.id
LEFT JOIN points AS p ON p.branch_id = b.id
LEFT JOIN {exclusions} AS e ON e.quarter_id = %s AND e.branch_id = b.id
WHERE b.is_active AND b.evaluating_unit_id IS NOT DISTINCT FROM %s {category}
"""


def board_rows(quarter: Quarter, category: str | None = None) -> list[SummedBranch]:
    """Every active branch the quarter evaluates (Branch.objects.for_quarter: its evaluating unit's),
    or those of one category, as boards.ranking.compute_board_from_sums
    ranks it: the sum of the means of its required indicators scored on submitted sheets and
    how many are scored, the contribution points, the exclusion's reason. One query.

    Only sums, means and counts happen in SQL; boards.ranking decides what they make (rounding,
    completeness, ranks). PostgreSQL only: SQLite averages decimals as binary floats."""
    means_sql, means_params = indicator_means(quarter, category).query.sql_with_params()
    sql = _BOARD_ROWS_SQL.format(
        means=means_sql,
        points=ContributionPoint._meta.db_table,
        branches=Branch._meta.db_table,
        exclusions=Exclusion._meta.db_table,
        category="" if category is None else "AND b.category = %s",
    )
    params = [*means_params, quarter.pk, quarter.pk, quarter.unit_id] + ([] if category is None else [category])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [SummedBranch(*row) for row in cursor.fetchall()]


def required_counts(quarter: Quarter) -> dict[str, int]:
    """category → how many indicators its branches must all have scored. One query."""
    standard, required = _required_indicators(quarter)
    return {c: len(standard) + len(required[c]) for c in Category.values}


def sums_in_database() -> bool:
    return connection.vendor == "postgresql"


def board_inputs(quarter: Quarter) -> list[BranchInput]:
    """Everything the rules need for every active branch of the quarter, every group's score
    included. Five queries, whatever N. Only submitted sheets count (counted_scores). At scale
    board_compute ranks board_rows instead (one row per branch, not every score)."""
    standard, required = _required_indicators(quarter)
    scores = _group_scores(counted_scores(quarter))
    points = dict(
        ContributionPoint.objects.filter(quarter=quarter)
        .values("branch_id")
        .annotate(total=Sum("points"))
        .values_list("branch_id", "total")
    )
    excluded = dict(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", "reason"))
    zero = Decimal("0")
    required_by_category = {c: standard + required[c] for c in Category.values}

    return [
        BranchInput(
            branch_id=branch_id,
            name=name,
            category=category,
            scores=scores.get(branch_id, NO_SCORES),
            required=required_by_category.get(category, standard),
            contribution=points.get(branch_id) or zero,
            excluded_reason=excluded.get(branch_id),
        )
        for branch_id, name, category in Branch.objects.for_quarter(quarter)
        .order_by("category", "name")
        .values_list("id", "name", "category")
    ]


def board_compute(quarter: Quarter, category: str | None = None) -> list[CategoryResult]:
    """The board as it stands now (a preview while unpublished), one result per category (or the
    one category asked for).

    On PostgreSQL the scores are summed in the database (board_rows: three queries with the
    scheme and the adjustment table) and the results carry no per-indicator scores (`scores` is
    empty): board_compute_detailed has them; the board page loads its page's."""
    if sums_in_database():
        categories = Category.values if category is None else [category]
        return compute_board_from_sums(
            board_rows(quarter, category), required_counts(quarter), adjustment_table(quarter.unit), categories
        )
    results = compute_board(board_inputs(quarter), adjustment_table(quarter.unit))
    return results if category is None else [c for c in results if c.category == category]


def board_compute_detailed(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now, every result with its per-indicator scores (every score loaded)."""
    return compute_board(board_inputs(quarter), adjustment_table(quarter.unit))
