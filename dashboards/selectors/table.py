"""The dashboard's table: the latest published quarters, each branch as last published with its
result per quarter, the category means, the star levels, and the branch search. Paged and
counted in the database: a page costs its rows, whatever the number of branches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from boards.models import BoardEntry
from boards.selectors.history import PublishedBranch
from branches.models import Category
from dashboards.selectors.cache import published_once
from dashboards.stats import (
    mean,
)
from ratings.models import StarRating
from scoring.models import Quarter

DASHBOARD_QUARTERS = 8  # columns of the table and points of the lines: the latest published quarters
DASHBOARD_PAGE_SIZE = 50
LOSSES_SHOWN = 8
BRANCH_MATCHES = 20  # offered by the branch search: a short list, never the organisation


def published_quarters(limit: int = DASHBOARD_QUARTERS, unit=None) -> list[Quarter]:
    """The latest published quarters (of `unit`, the evaluating unit whose branches the dashboard
    shows; every unit's without one), oldest first. One query."""
    published = Quarter.objects.filter(status=Quarter.Status.PUBLISHED)
    if unit is not None:
        published = published.filter(unit=unit)
    quarters = list(published.newest_first()[:limit])
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


def _newest_first(quarters: list[Quarter]) -> Case:
    """The position of a row's quarter among `quarters`, the latest highest (they come oldest first)."""
    return Case(*[When(quarter_id=q.pk, then=Value(i)) for i, q in enumerate(quarters)], output_field=IntegerField())


def latest_entries(
    quarters: list[Quarter], *, category: str = "", unit_id: int | None = None, unit_name: str = ""
) -> QuerySet[BoardEntry]:
    """Each branch's row of the latest of `quarters` it was published in: the branch as last
    published (name, category, unit), in table order. The filters read those too, never the live
    branch. Paged in the database: a page costs its rows, not the organisation's size."""
    if not quarters:
        return BoardEntry.objects.none()
    newest = (
        BoardEntry.objects.filter(quarter__in=quarters)
        .annotate(n=Window(RowNumber(), partition_by=[F("branch_id")], order_by=_newest_first(quarters).desc()))
        .filter(n=1)
        .values("pk")
    )
    rows = (
        BoardEntry.objects.filter(pk__in=newest)
        if len(quarters) > 1
        else BoardEntry.objects.filter(quarter=quarters[0])
    )
    if category:
        rows = rows.filter(category=category)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if unit_name:
        rows = rows.filter(unit_name__icontains=unit_name)
    return rows.only("branch_id", "branch_name", "category", "unit_name").order_by(
        "category", "branch_name", "branch_id"
    )


def _rows(entries: list[BoardEntry], quarters: list[Quarter]) -> list[DashboardRow]:
    """The rows of these branches (their latest entries): two queries."""
    ids = [e.branch_id for e in entries]
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
            branch=PublishedBranch.of_entry(e),
            cells=[cells.get((e.branch_id, q.pk)) for q in quarters],
            rating=ratings.get(e.branch_id),
        )
        for e in entries
    ]


def branch_table(
    quarters: list[Quarter],
    *,
    category: str = "",
    unit_id: int | None = None,
    unit_name: str = "",
    page: str | None = None,
) -> Page:
    """One page of branches (with a published result in `quarters`) and their total, rank and
    board per quarter, with the star rating of the latest quarter. Four queries (the count, the
    page, its cells, its ratings); none when no quarter is published."""
    current = Paginator(
        latest_entries(quarters, category=category, unit_id=unit_id, unit_name=unit_name), DASHBOARD_PAGE_SIZE
    ).get_page(page)
    current.object_list = _rows(list(current.object_list), quarters) if quarters else []  # type: ignore[assignment]
    return current


def branch_rows(
    quarters: list[Quarter], *, category: str = "", unit_id: int | None = None, unit_name: str = "", chunk: int = 2000
) -> Iterator[DashboardRow]:
    """Every row of the table, in table order (for the export in the worker): a chunk of branches
    at a time, three queries per chunk, so memory does not grow with the organisation."""
    entries = latest_entries(quarters, category=category, unit_id=unit_id, unit_name=unit_name)
    batch: list[BoardEntry] = []
    for entry in entries.iterator(chunk_size=chunk):
        batch.append(entry)
        if len(batch) == chunk:
            yield from _rows(batch, quarters)
            batch = []
    if batch:
        yield from _rows(batch, quarters)


# --- choosing a branch by name --------------------------------------------------------------------


@dataclass(frozen=True)
class BranchMatch:
    pk: int
    name: str
    category: str
    unit_name: str

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


def branch_search(
    quarters: list[Quarter],
    text: str,
    *,
    category: str = "",
    unit_id: int | None = None,
    unit_name: str = "",
    limit: int = BRANCH_MATCHES,
) -> list[BranchMatch]:
    """The branches whose name as published contains `text` (with a result in `quarters`, within
    the filters): the closest `limit`, exact name first, then by category and name. One query."""
    text = text.strip()
    if not text or not quarters:
        return []
    rows = BoardEntry.objects.filter(quarter__in=quarters, branch_name__icontains=text)
    if category:
        rows = rows.filter(category=category)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if unit_name:
        rows = rows.filter(unit_name__icontains=unit_name)
    found: dict[int, BranchMatch] = {}
    # The newest row of each branch first, so a renamed branch is offered under its latest name.
    for pk, name, cat, unit_name in (
        rows.annotate(position=_newest_first(quarters))
        .order_by("-position", "category", "branch_name", "branch_id")
        .values_list("branch_id", "branch_name", "category", "unit_name")[: limit * len(quarters)]
    ):
        found.setdefault(pk, BranchMatch(pk, name, cat, unit_name))
    matches = sorted(found.values(), key=lambda m: (m.name != text, m.category, m.name, m.pk))
    return matches[:limit]


def category_means(quarters: list[Quarter]) -> dict[str, list[Decimal | None]]:
    """category → the mean total of its ranked branches in each quarter (0.01). One query, kept
    for the published quarters (dashboards.selectors.published_once)."""
    return published_once("means", quarters, lambda: _category_means(quarters))


def _category_means(quarters: list[Quarter]) -> dict[str, list[Decimal | None]]:
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


def star_levels_counted(unit=None) -> tuple[Quarter | None, list[tuple[int, int]]]:
    """The latest rated quarter (of `unit`, every unit's without one) and (stars, number of
    branches) from five stars down to none, counted by the database. Two queries (one when
    nothing is rated)."""
    rated = Quarter.objects.filter(Exists(StarRating.objects.filter(quarter=OuterRef("pk"))))
    if unit is not None:
        rated = rated.filter(unit=unit)
    quarter = rated.order_by("-year", "-number").first()
    if quarter is None:
        return None, []

    def count() -> list[tuple[int, int]]:
        counts = dict(
            StarRating.objects.filter(quarter=quarter)
            .values("stars")
            .annotate(n=Count("id"))
            .values_list("stars", "n")
            .order_by()
        )
        return [(stars, counts.get(stars, 0)) for stars in range(5, -1, -1)]

    # Ratings are stored once per published quarter, by its follow-up, all in one transaction.
    return quarter, published_once("stars", [quarter], count)
