"""Reads for the points dashboards (党支部积分看板) and the leadership overview.

Everything is read from the published BoardEntry rows (never recomputed), so the dashboard shows
exactly what the boards showed. Each read costs a fixed number of queries, whatever the number of
branches or quarters; the numbers themselves come from the pure functions in dashboards.stats.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Sum

from boards.models import Board, BoardEntry, BoardScore, PublishedIndicator
from boards.selectors.history import PublishedBranch, shown_branch, with_published_identity
from branches.models import Branch, Category
from dashboards.stats import IndicatorLoss, bin_labels, blue_streaks, histogram, indicator_losses, mean
from ratings.models import StarRating
from scoring.models import Quarter

DASHBOARD_QUARTERS = 8  # columns of the table and points of the lines: the latest published quarters
DASHBOARD_PAGE_SIZE = 50
LOSSES_SHOWN = 8


def published_quarters(limit: int = DASHBOARD_QUARTERS) -> list[Quarter]:
    """The latest published quarters, oldest first. One query."""
    quarters = list(Quarter.objects.filter(status=Quarter.Status.PUBLISHED).order_by("-year", "-number")[:limit])
    quarters.reverse()
    return quarters


# --- the branch table ---------------------------------------------------------------------------


@dataclass
class Cell:
    total: Decimal | None
    rank: int | None
    board: str
    status: str

    @property
    def status_label(self) -> str:
        return str(BoardEntry.Status(self.status).label)


@dataclass
class DashboardRow:
    branch: PublishedBranch
    cells: list[Cell | None]
    rating: StarRating | None = None

    @property
    def rank_change(self) -> int | None:
        """Places gained (+) or lost (−) between the last two quarters it was ranked in."""
        ranks = [c.rank for c in self.cells if c and c.rank]
        return ranks[-2] - ranks[-1] if len(ranks) >= 2 else None


def _branches(quarters: list[Quarter], category: str, unit_id: int | None):
    """The branches with a result in `quarters`, as the latest of them published them (name,
    category, unit): the filters read those too, never the live branch."""
    entries = BoardEntry.objects.filter(quarter__in=quarters)
    branches = with_published_identity(Branch.objects.filter(pk__in=entries.values("branch_id")), entries)
    if category:
        branches = branches.filter(Q(shown_category=category))  # annotations: Q, which the type checker leaves alone
    if unit_id:
        branches = branches.filter(Q(shown_unit_id=unit_id))
    return branches.order_by(F("shown_category"), F("shown_name"), "pk")


def branch_choices(quarters: list[Quarter], *, category: str = "", unit_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name as last published) of the branches the filters leave, for the trend's selector. One query."""
    return [(b.pk, b.shown_name) for b in _branches(quarters, category, unit_id)]


def unit_choices(quarters: list[Quarter]) -> list[tuple[int, str]]:
    """The units of the quarters' published rows, by name as published. One query."""
    rows = (
        BoardEntry.objects.filter(quarter__in=quarters, unit__isnull=False)
        .values_list("unit_id", "unit_name")
        .distinct()
        .order_by("unit_name", "unit_id")
    )
    return list(dict(rows).items())


def _rows(page_branches: list[Branch], quarters: list[Quarter]) -> list[DashboardRow]:
    """The rows of these branches: two queries."""
    ids = [b.pk for b in page_branches]
    cells: dict[tuple[int, int], Cell] = {}
    for branch_id, quarter_id, total, rank, board, status in BoardEntry.objects.filter(
        branch_id__in=ids, quarter__in=quarters
    ).values_list("branch_id", "quarter_id", "total", "rank", "board", "status"):
        cells[(branch_id, quarter_id)] = Cell(total, rank, board, status)
    ratings = (
        {r.branch_id: r for r in StarRating.objects.filter(quarter=quarters[-1], branch_id__in=ids)} if quarters else {}
    )
    return [
        DashboardRow(
            branch=shown_branch(b), cells=[cells.get((b.pk, q.pk)) for q in quarters], rating=ratings.get(b.pk)
        )
        for b in page_branches
    ]


def branch_table(
    quarters: list[Quarter], *, category: str = "", unit_id: int | None = None, page: str | None = None
) -> Page:
    """One page of branches (with a published result in `quarters`) and their total, rank and
    board per quarter, with the star rating of the latest quarter. Four queries."""
    current = Paginator(_branches(quarters, category, unit_id), DASHBOARD_PAGE_SIZE).get_page(page)
    current.object_list = _rows(list(current.object_list), quarters)
    return current


def branch_rows(quarters: list[Quarter], *, category: str = "", unit_id: int | None = None) -> list[DashboardRow]:
    """Every row of the table (for the export). Three queries."""
    return _rows(list(_branches(quarters, category, unit_id)), quarters)


def category_means(quarters: list[Quarter]) -> dict[str, list[Decimal | None]]:
    """category → the mean total of its ranked branches in each quarter (0.01). One query."""
    sums: dict[tuple[str, int], tuple[Decimal, int]] = {}
    for row in (
        BoardEntry.objects.filter(quarter__in=quarters, status=BoardEntry.Status.RANKED)
        .values("category", "quarter_id")
        .annotate(total=Sum("total"), n=Count("id"))
        .order_by()
    ):
        sums[(row["category"], row["quarter_id"])] = (Decimal(row["total"]), row["n"])
    out = {}
    for category in Category.values:
        line: list[Decimal | None] = []
        for quarter in quarters:
            total, n = sums.get((category, quarter.pk), (Decimal("0"), 0))
            line.append(mean([total / n]) if n else None)
        out[category] = line
    return out


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


def branch_trend(branch: Branch, quarters: list[Quarter], means: dict[str, list[Decimal | None]]) -> BranchTrend:
    """The branch's total against its category's mean, its rank, and where it lost most, each
    quarter in the category it was published in. Five queries."""
    entries = {
        row.quarter_id: row
        for row in BoardEntry.objects.filter(branch=branch, quarter__in=quarters).only(
            "quarter_id", "branch_id", "branch_name", "unit_name", "category", "total", "rank", "board", "status"
        )
    }
    ranked_counts = {
        (quarter_id, category): n
        for quarter_id, category, n in BoardEntry.objects.filter(quarter__in=quarters, status=BoardEntry.Status.RANKED)
        .values("quarter_id", "category")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("quarter_id", "category", "n")
    }
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


def overview(quarter: Quarter, *, losses_shown: int = 10) -> Overview:
    """For a published quarter: the totals' distribution per category, the indicators most often
    losing points across all branches, open rectification items, and the branches on the blue
    board two published quarters or more in a row. Seven queries at most."""
    ranked = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED)
    rows = list(ranked.values_list("category", "total"))
    totals: dict[str, list[Decimal]] = defaultdict(list)
    for category, total in rows:
        if total is not None:  # a ranked row always has its total
            totals[category].append(total)
    distributions = [
        CategoryDistribution(
            category=c,
            label=str(Category(c).label),
            counts=histogram(totals[c]),
            n=len(totals[c]),
            mean=mean(totals[c]),
            low=min(totals[c]) if totals[c] else None,
            high=max(totals[c]) if totals[c] else None,
        )
        for c in Category.values
    ]
    scores = _scores_by(
        BoardScore.objects.filter(quarter=quarter, branch_id__in=ranked.values("branch_id"))
        .values_list("branch_id", "indicator_id", "value")
        .iterator(chunk_size=20_000)
    )
    losses = indicator_losses(scores.values(), indicator_meta([quarter]), limit=losses_shown)

    published = Quarter.objects.filter(status=Quarter.Status.PUBLISHED, year__lte=quarter.year)
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
        ranked=len(rows),
        streaks=streak_rows,
        open_items=open_items,
        open_items_quarter=open_items_quarter,
    )


# --- home page ------------------------------------------------------------------------------------


def home_cards(user) -> list:
    """The dashboard's card: the user's branch's star rating, and the way to the dashboards.
    Three queries at most, whatever the data."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from branches import roles
    from branches.home import HomeCard
    from ratings.rules import stars_text
    from ratings.selectors import yearly_ratings

    if not Quarter.objects.filter(status=Quarter.Status.PUBLISHED).exists():
        return []
    lines = [_("各党组织历次总分、名次与星级，及本类平均走势。")]
    links = [(_("党支部积分看板"), reverse("dashboards:dashboard"))]
    if user.branch_id:
        ratings = yearly_ratings(user.branch_id)
        if ratings:
            lines.append(
                _("本组织星级：%(year)s年度 %(stars)s")
                % {"year": ratings[0].year, "stars": stars_text(ratings[0].stars)}
            )
    if roles.can_read_everything(user):
        links.append((_("党委总览"), reverse("dashboards:overview")))
    keeps = Branch.objects.filter(secretary_id=user.pk).values_list("pk", flat=True).first()
    if keeps and roles.has_role(user, roles.SECRETARY):
        links.append((_("党员积分"), reverse("members:member_points", args=[keeps])))
    return [HomeCard(title=_("积分看板与星级党支部"), lines=lines, links=links, tone="warning")]
