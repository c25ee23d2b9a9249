"""The live board of a quarter: its scores loaded in a constant number of queries and fed to the
pure rules in boards.ranking (a preview while the quarter is unpublished, and publication's input)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Avg, F, Q, QuerySet, Sum

from boards.models import AdjustmentRule, Board, Exclusion
from boards.ranking import (
    BLUE,
    NO_SCORES,
    RED,
    BranchInput,
    CategoryResult,
    ScoreSums,
    compute_board,
)
from branches.models import Branch, Category
from scoring.models import ContributionPoint, Indicator, Quarter, Score, ScoreSheet

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


def adjustment_table() -> dict[tuple[str, str], Decimal]:
    """(category, board) → points, as 党建部 last set them (the report's default where unset)."""
    return {**DEFAULT_ADJUSTMENTS, **{(r.category, r.board): r.points for r in AdjustmentRule.objects.all()}}


def quarter_setup_part(quarter: Quarter) -> dict[str, list[tuple[StrOrPromise, Decimal | None, Decimal | None]]]:
    """scoring's setup page of a new quarter shows the adjustment table: (category label, red, blue)
    (registered in BoardsConfig.ready())."""
    table = adjustment_table()
    return {
        "adjustments": [
            (label, table.get((value, Board.RED)), table.get((value, Board.BLUE))) for value, label in Category.choices
        ]
    }


def adjustment_rules() -> list[AdjustmentRule]:
    return list(AdjustmentRule.objects.select_related("updated_by").order_by("category", "board"))


def _required_indicators(quarter: Quarter) -> tuple[list[int], dict[str, list[int]]]:
    """The five standardizations' indicator ids, and each category's own, in scheme order."""
    required: dict[str, list[int]] = defaultdict(list)
    standard: list[int] = []
    for indicator_id, category in (
        Indicator.objects.filter(quarter=quarter).order_by("category", "position", "id").values_list("id", "category")
    ):
        (required[category] if category else standard).append(indicator_id)
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


def board_sums(quarter: Quarter) -> dict[int, ScoreSums]:
    """branch id → the sum of the means of its required indicators that are scored on submitted
    sheets, and how many are scored — summed by the database, so a whole quarter comes back as one row per branch. One query.

    Only sums, means and counts happen in SQL; boards.ranking decides what they make (rounding,
    completeness, ranks). PostgreSQL only: SQLite averages decimals as binary floats."""
    means = (
        counted_scores(quarter)
        .filter(indicator__quarter=quarter, value__isnull=False)
        .filter(Q(indicator__category="") | Q(indicator__category=F("sheet__branch__category")))
        .values("indicator_id", branch=F("sheet__branch_id"))
        .annotate(mean=Avg("value"))
        .order_by()
    )
    sql, params = means.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT branch, SUM(mean), COUNT(*) FROM ({sql}) AS means GROUP BY branch", params)
        return {branch_id: ScoreSums(total, scored) for branch_id, total, scored in cursor.fetchall()}


def sums_in_database() -> bool:
    return connection.vendor == "postgresql"


def board_inputs(quarter: Quarter, *, summed: bool = False) -> list[BranchInput]:
    """Everything the rules need for every active branch of the quarter. Five queries, whatever N.
    Only submitted sheets count (counted_scores).

    With `summed`, each input carries the database's ScoreSums (board_sums) instead of every
    group's score: 50,000 rows for a 50,000-branch quarter instead of half a million."""
    standard, required = _required_indicators(quarter)
    scores: dict[int, dict[int, list[Decimal]]] = {}
    sums: dict[int, ScoreSums] = {}
    if summed:
        sums = board_sums(quarter)
    else:
        scores = _group_scores(counted_scores(quarter))

    points = dict(
        ContributionPoint.objects.filter(quarter=quarter)
        .values("branch_id")
        .annotate(total=Sum("points"))
        .values_list("branch_id", "total")
    )
    excluded = dict(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", "reason"))
    zero = Decimal("0")
    no_sums = ScoreSums(zero, 0)
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
            sums=sums.get(branch_id, no_sums) if summed else None,
        )
        for branch_id, name, category in Branch.objects.for_quarter(quarter)
        .order_by("category", "name")
        .values_list("id", "name", "category")
    ]


def board_compute(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now (a preview while unpublished), one result per category.

    On PostgreSQL the scores are summed in the database and the results carry no per-indicator
    scores (`scores` is empty): board_compute_detailed has them; the board page loads its page's."""
    return compute_board(board_inputs(quarter, summed=sums_in_database()), adjustment_table())


def board_compute_detailed(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now, every result with its per-indicator scores (every score loaded)."""
    return compute_board(board_inputs(quarter), adjustment_table())
