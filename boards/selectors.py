"""Reads for the board: a quarter's scores loaded in a constant number of queries, fed to the
pure rules in boards.ranking."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from boards.models import AdjustmentRule, Exclusion
from boards.ranking import BranchInput, CategoryResult, compute_board
from branches.models import Branch
from branches.selectors import HomeCard
from scoring.models import ContributionPoint, Indicator, Quarter, Score


def adjustment_table() -> dict[tuple[str, str], Decimal]:
    """(category, board) → points, as 党建部 last set them."""
    return {(r.category, r.board): r.points for r in AdjustmentRule.objects.all()}


def board_inputs(quarter: Quarter) -> list[BranchInput]:
    """Everything the rules need for every active branch of the quarter. Five queries, whatever N."""
    required: dict[str, list[int]] = defaultdict(list)
    standard: list[int] = []
    for indicator_id, category in Indicator.objects.filter(quarter=quarter).values_list("id", "category"):
        (required[category] if category else standard).append(indicator_id)

    scores: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = Score.objects.filter(sheet__quarter=quarter, value__isnull=False).values_list(
        "sheet__branch_id", "indicator_id", "value"
    )
    for branch_id, indicator_id, value in rows.iterator(chunk_size=20_000):
        scores[branch_id][indicator_id].append(value)

    points = dict(
        ContributionPoint.objects.filter(quarter=quarter)
        .values("branch_id")
        .annotate(total=Sum("points"))
        .values_list("branch_id", "total")
    )
    excluded = dict(Exclusion.objects.filter(quarter=quarter).values_list("branch_id", "reason"))

    return [
        BranchInput(
            branch_id=branch_id,
            name=name,
            category=category,
            scores=scores.get(branch_id, {}),
            required=standard + required[category],
            contribution=points.get(branch_id) or Decimal("0"),
            excluded_reason=excluded.get(branch_id),
        )
        for branch_id, name, category in Branch.objects.filter(is_active=True)
        .order_by("category", "name")
        .values_list("id", "name", "category")
    ]


def board_compute(quarter: Quarter) -> list[CategoryResult]:
    """The board as it stands now (a preview while unpublished), one result per category."""
    return compute_board(board_inputs(quarter), adjustment_table())


def home_cards(user) -> list[HomeCard]:
    return []
