"""The leadership overview (党委总览) of a published quarter, counted by the database."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)

from boards.models import Board, BoardEntry, BoardScore
from boards.selectors.history import PublishedBranch, shown_branch, with_published_identity
from branches.models import Branch, Category
from dashboards.selectors.cache import published_once
from dashboards.selectors.trend import indicator_meta
from dashboards.stats import (
    DISTRIBUTION_EDGES,
    IndicatorLoss,
    IndicatorSums,
    bin_labels,
    blue_streaks,
    losses_from_sums,
    mean_of_sum,
)
from scoring.models import Quarter

# --- the leadership overview ---------------------------------------------------------------------


@dataclass
class CategoryDistribution:
    category: str
    label: str
    counts: list[int]
    n: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None


@dataclass
class StreakRow:
    branch: PublishedBranch
    quarters: int


@dataclass
class Overview:
    quarter: Quarter
    bins: list[str]
    distributions: list[CategoryDistribution]
    losses: list[IndicatorLoss]
    ranked: int
    streaks: list[StreakRow]
    open_items: int | None  # None: no rectification app
    open_items_quarter: int | None


def _distributions(ranked: QuerySet[BoardEntry]) -> list[CategoryDistribution]:
    """Per category: the totals' histogram (dashboards.stats.DISTRIBUTION_EDGES), count, mean, lowest
    and highest, counted by the database. One query."""
    edges = DISTRIBUTION_EDGES
    bins = [Q(total__lt=edges[0])]
    bins += [Q(total__gte=low, total__lt=high) for low, high in itertools.pairwise(edges)]
    bins.append(Q(total__gte=edges[-1]))
    rows: dict[str, dict[str, Any]] = {
        row["category"]: dict(row)
        for row in ranked.values("category")
        .annotate(
            n=Count("id"),
            sum=Sum("total"),
            low=Min("total"),
            high=Max("total"),
            **{f"bin{i}": Count("id", filter=q) for i, q in enumerate(bins)},
        )
        .order_by()
    }
    out = []
    for c in Category.values:
        row = rows.get(c) or {}
        n = row.get("n", 0)
        out.append(
            CategoryDistribution(
                category=c,
                label=str(Category(c).label),
                counts=[row.get(f"bin{i}", 0) for i in range(len(bins))],
                n=n,
                mean=mean_of_sum(Decimal(row["sum"]), n) if n else None,
                low=row["low"] if n else None,
                high=row["high"] if n else None,
            )
        )
    return out


def _indicator_sums(quarter: Quarter, indicators: dict[int, tuple[str, str, Decimal]]) -> dict[int, IndicatorSums]:
    """indicator id → what the ranked branches' published scores on it add up to, summed by the
    database (the quarter's scores are never loaded). One query."""
    # Every branch with scores in the quarter has its board row there; leaving out the few not
    # ranked (unscored, excluded) is a small hashed NOT IN, where keeping the ranked ones was a
    # semi-join over the whole quarter. Counted per (indicator, score) — a few thousand groups —
    # with no join: the maximum is applied here.
    not_ranked = BoardEntry.objects.filter(quarter=quarter).exclude(status=BoardEntry.Status.RANKED)
    maxima = {pk: maximum for pk, (_code, _name, maximum) in indicators.items()}
    scored: dict[int, int] = defaultdict(int)
    losing: dict[int, int] = defaultdict(int)
    lost: dict[int, Decimal] = defaultdict(Decimal)
    for indicator_id, value, n in (
        BoardScore.objects.filter(quarter=quarter)
        .exclude(branch_id__in=not_ranked.values("branch_id"))
        .values("indicator_id", "value")
        .annotate(n=Count("id"))
        .values_list("indicator_id", "value", "n")
        .order_by()
    ):
        scored[indicator_id] += n
        maximum = maxima.get(indicator_id)
        if maximum is not None and value < maximum:
            losing[indicator_id] += n
            lost[indicator_id] += (maximum - value) * n
    return {pk: IndicatorSums(scored[pk], losing[pk], lost[pk]) for pk in scored}


Figures = tuple[list[CategoryDistribution], dict[int, IndicatorSums]]


def overview_figures(quarter: Quarter, indicators: dict[int, tuple[str, str, Decimal]] | None = None) -> Figures:
    """What the overview counts over the whole published quarter: the distribution per category and
    the sums per indicator. Two queries, three without `indicators` (the published indicators)."""
    ranked = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED)
    if indicators is None:
        indicators = indicator_meta([quarter])
    return _distributions(ranked), _indicator_sums(quarter, indicators)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def figures_encode(distributions: list[CategoryDistribution], sums: dict[int, IndicatorSums]) -> dict[str, Any]:
    """The figures as JSON (decimals as strings), as dashboards.models.OverviewFigures keeps them."""
    return {
        "distributions": [
            {"category": d.category, "counts": d.counts, "n": d.n}
            | {k: _text(getattr(d, k)) for k in ("mean", "low", "high")}
            for d in distributions
        ],
        "sums": {str(pk): [s.scored, s.losing, str(s.lost)] for pk, s in sums.items()},
    }


def figures_decode(distributions: list[dict], sums: dict[str, list]) -> Figures:
    return (
        [
            CategoryDistribution(
                category=d["category"],
                label=str(Category(d["category"]).label),
                counts=list(d["counts"]),
                n=d["n"],
                mean=_number(d["mean"]),
                low=_number(d["low"]),
                high=_number(d["high"]),
            )
            for d in distributions
        ],
        {int(pk): IndicatorSums(scored, losing, Decimal(lost)) for pk, (scored, losing, lost) in sums.items()},
    )


def _stored_or_counted(quarter: Quarter, indicators: dict[int, tuple[str, str, Decimal]]) -> Figures:
    """The figures stored with the quarter's publication (one query); counted when there are none
    (a quarter published before they were stored, or not published)."""
    from dashboards.models import OverviewFigures

    if quarter.status == Quarter.Status.PUBLISHED:
        stored = OverviewFigures.objects.filter(quarter=quarter).values_list("distributions", "indicator_sums").first()
        if stored is not None:
            return figures_decode(*stored)
    return overview_figures(quarter, indicators)


def overview(quarter: Quarter, *, losses_shown: int = 10) -> Overview:
    """For a published quarter: the totals' distribution per category, the indicators most often
    losing points across all branches, open rectification items, and the branches on the blue
    board two published quarters or more in a row. Seven queries at most; the distribution and the
    losses are read from what publication stored (dashboards.models.OverviewFigures), one query."""
    indicators = indicator_meta([quarter])
    distributions, sums = published_once("overview", [quarter], lambda: _stored_or_counted(quarter, indicators))
    losses = losses_from_sums(sums, indicators, limit=losses_shown)

    published = Quarter.objects.published().filter(year__lte=quarter.year, unit_id=quarter.unit_id)
    order = [
        pk
        for pk, year, number in published.order_by("year", "number").values_list("id", "year", "number")
        if (year, number) <= (quarter.year, quarter.number)
    ]
    blue: dict[int, set[int]] = defaultdict(set)
    for quarter_id, branch_id in BoardEntry.objects.filter(quarter_id__in=order, board=Board.BLUE).values_list(
        "quarter_id", "branch_id"
    ):
        blue[quarter_id].add(branch_id)
    streaks = {b: n for b, n in blue_streaks(order, blue).items() if n >= 2}
    streak_rows = (
        [
            StreakRow(branch=shown_branch(b), quarters=streaks[b.pk])
            for b in with_published_identity(
                Branch.objects.filter(pk__in=streaks), BoardEntry.objects.filter(quarter_id__in=order)
            )
        ]
        if streaks
        else []
    )
    streak_rows.sort(key=lambda r: (-r.quarters, r.branch.category, r.branch.name))

    open_items = open_items_quarter = None
    if apps.is_installed("interviews"):
        from interviews.models import OPEN_STATUSES, RectificationItem

        counts = RectificationItem.objects.filter(status__in=OPEN_STATUSES).aggregate(
            all=Count("id"), quarter=Count("id", filter=Q(interview__quarter=quarter))
        )
        open_items, open_items_quarter = counts["all"], counts["quarter"]
    return Overview(
        quarter=quarter,
        bins=bin_labels(),
        distributions=distributions,
        losses=losses,
        ranked=sum(d.n for d in distributions),
        streaks=streak_rows,
        open_items=open_items,
        open_items_quarter=open_items_quarter,
    )
