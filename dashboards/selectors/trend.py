"""One branch's trend on the dashboard: its totals against its category's mean, its rank, and
where it loses points. A fixed number of queries, whatever the organisation's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
)

from boards.models import BoardEntry, BoardScore, PublishedIndicator
from boards.selectors.history import PublishedBranch
from branches.models import Branch
from dashboards.selectors.cache import published_once
from dashboards.selectors.table import LOSSES_SHOWN
from dashboards.stats import (
    IndicatorLoss,
    indicator_losses,
)
from scoring.models import Quarter

# --- one branch's trend ---------------------------------------------------------------------------


@dataclass
class TrendPoint:
    quarter: Quarter
    total: Decimal | None
    rank: int | None
    ranked_count: int
    board: str
    category_mean: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.total is None or self.category_mean is None:
            return None
        return self.total - self.category_mean


@dataclass
class BranchTrend:
    branch: Branch | PublishedBranch  # as last published in the quarters shown
    points: list[TrendPoint]
    losses: list[IndicatorLoss] = field(default_factory=list)

    @property
    def ranked_points(self) -> list[TrendPoint]:
        return [p for p in self.points if p.rank]


def indicator_meta(quarters: list[Quarter]) -> dict[int, tuple[str, str, Decimal]]:
    """published indicator id → (code, name, maximum) as the quarters were published. One query."""
    return {
        pk: (code, name, maximum)
        for pk, code, name, maximum in PublishedIndicator.objects.filter(quarter__in=quarters).values_list(
            "id", "code", "name", "max_score"
        )
    }


def _scores_by(rows) -> dict[int, dict[int, Decimal]]:
    """(key, indicator id, value) rows → key → indicator id → value."""
    out: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for key, indicator_id, value in rows:
        out[key][indicator_id] = value
    return out


def _ranked_counts(quarters: list[Quarter]) -> dict[tuple[int, str], int]:
    """(quarter id, category) → how many branches were ranked. One query."""
    return {
        (quarter_id, category): n
        for quarter_id, category, n in BoardEntry.objects.filter(quarter__in=quarters, status=BoardEntry.Status.RANKED)
        .values("quarter_id", "category")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("quarter_id", "category", "n")
    }


def branch_trend(branch: Branch, quarters: list[Quarter], means: dict[str, list[Decimal | None]]) -> BranchTrend:
    """The branch's total against its category's mean, its rank, and where it lost most, each
    quarter in the category it was published in. Five queries."""
    entries = {
        row.quarter_id: row
        for row in BoardEntry.objects.filter(branch=branch, quarter__in=quarters).only(
            "quarter_id", "branch_id", "branch_name", "unit_name", "category", "total", "rank", "board", "status"
        )
    }
    ranked_counts = published_once("ranked", quarters, lambda: _ranked_counts(quarters))
    points = []
    for index, quarter in enumerate(quarters):
        row = entries.get(quarter.pk)
        ranked = row if row is not None and row.status == BoardEntry.Status.RANKED else None
        category = row.category if row else branch.category
        points.append(
            TrendPoint(
                quarter=quarter,
                total=ranked.total if ranked else None,
                rank=ranked.rank if ranked else None,
                ranked_count=ranked_counts.get((quarter.pk, category), 0),
                board=row.board if row else "",
                category_mean=means.get(category, [None] * len(quarters))[index],
            )
        )
    ranked_quarters = [q for q, row in entries.items() if row.status == BoardEntry.Status.RANKED]
    scores = _scores_by(
        BoardScore.objects.filter(branch=branch, quarter_id__in=ranked_quarters).values_list(
            "quarter_id", "indicator_id", "value"
        )
    )
    losses = indicator_losses(scores.values(), indicator_meta(quarters), limit=LOSSES_SHOWN) if ranked_quarters else []
    latest = next((entries[q.pk] for q in reversed(quarters) if q.pk in entries), None)
    shown = PublishedBranch.of_entry(latest) if latest else branch
    return BranchTrend(branch=shown, points=points, losses=losses)
