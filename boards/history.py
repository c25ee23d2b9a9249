"""Reads across quarters: the quarter list, each branch's history, and a branch's own page.
(The board of one quarter is read in boards.selectors.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from boards.models import Board, BoardEntry, PublishedIndicator
from boards.ranking import BLUE, RANKED, RED, BranchResult, round_cent
from boards.selectors import (
    _ENTRY_FIELDS,
    _result_from_row,
    board_compute_detailed,
    published_columns,
    published_scores,
    scheme_columns,
)
from branches import roles
from branches.models import CATEGORY_SYMBOLS, Branch, Category
from scoring.models import Indicator, Problem, Quarter

HISTORY_PAGE_SIZE = 50
HISTORY_QUARTERS = 8  # columns of the history table: the latest published quarters


# --- a branch as published ------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedUnit:
    name: str


@dataclass(frozen=True)
class PublishedBranch:
    """A branch as a published quarter recorded it (name, category, unit), for the pages that list
    published results: the same attributes the templates read from a Branch."""

    pk: int
    name: str
    category: str
    unit_name: str = ""

    @property
    def id(self) -> int:
        return self.pk

    @property
    def unit(self) -> PublishedUnit:
        return PublishedUnit(self.unit_name)

    @property
    def category_symbol(self) -> str:
        return CATEGORY_SYMBOLS[Category(self.category)]

    def get_category_display(self) -> str:
        return str(Category(self.category).label)

    @classmethod
    def of_entry(cls, entry: BoardEntry) -> PublishedBranch:
        return cls(entry.branch_id, entry.branch_name, entry.category, entry.unit_name)


def with_published_identity(branches: QuerySet[Branch], entries: QuerySet[BoardEntry]) -> QuerySet[Branch]:
    """The branches annotated with their name, category, unit id and unit name as the latest of
    `entries` recorded them (`shown_name`, `shown_category`, `shown_unit_id`, `shown_unit_name`)."""
    latest = entries.filter(branch_id=OuterRef("pk")).order_by("-quarter__year", "-quarter__number")
    return branches.annotate(
        shown_name=Subquery(latest.values("branch_name")[:1]),
        shown_category=Subquery(latest.values("category")[:1]),
        shown_unit_id=Subquery(latest.values("unit_id")[:1]),
        shown_unit_name=Subquery(latest.values("unit_name")[:1]),
    )


def shown_branch(branch: Branch) -> PublishedBranch:
    """A branch annotated by with_published_identity, as it was last published."""
    return PublishedBranch(branch.pk, branch.shown_name, branch.shown_category, branch.shown_unit_name or "")


# --- quarters and history ------------------------------------------------------------------------


def quarters_for(user) -> QuerySet[Quarter]:
    """Published quarters for everyone; 党建部 and leadership also see those being scored or closed."""
    statuses = [Quarter.Status.PUBLISHED]
    if roles.can_read_everything(user):
        statuses += [Quarter.Status.SCORING, Quarter.Status.CLOSED]
    return Quarter.objects.filter(status__in=statuses).select_related("published_by").order_by("-year", "-number")


def board_names_by_quarter(quarter_ids: list[int]) -> dict[int, dict[str, list[BoardEntry]]]:
    """quarter id → {"red": [...], "blue": [...]} of published entries. One query."""
    out: dict[int, dict[str, list[BoardEntry]]] = defaultdict(lambda: {RED: [], BLUE: []})
    for entry in (
        BoardEntry.objects.filter(quarter_id__in=quarter_ids)
        .exclude(board="")
        .order_by("category", "rank", "branch_name")
    ):
        out[entry.quarter_id][entry.board].append(entry)
    return out


def latest_published() -> Quarter | None:
    return Quarter.objects.filter(status=Quarter.Status.PUBLISHED).order_by("-year", "-number").first()


@dataclass
class HistoryRow:
    branch: PublishedBranch
    cells: list[BoardEntry | None]
    red_count: int
    blue_count: int


def history_page(*, search: str = "", category: str = "", page: str | None = None) -> tuple[list[Quarter], Page]:
    """Each branch's rank and total over the latest published quarters, and how often it was on
    either board (over all published quarters). Four queries, whatever the number of branches.

    Each branch appears with the name and category of its latest published result; the search
    and the category filter read those too, never the live branch."""
    quarters = list(
        Quarter.objects.filter(status=Quarter.Status.PUBLISHED).order_by("-year", "-number")[:HISTORY_QUARTERS]
    )
    quarters.reverse()  # oldest first, left to right
    branches = with_published_identity(Branch.objects.all(), BoardEntry.objects.all())
    if search:
        branches = branches.filter(shown_name__icontains=search)
    if category:
        branches = branches.filter(shown_category=category)
    branches = (
        branches.annotate(
            entry_count=Count("board_entries"),
            red_count=Count("board_entries", filter=Q(board_entries__board=Board.RED)),
            blue_count=Count("board_entries", filter=Q(board_entries__board=Board.BLUE)),
        )
        .filter(entry_count__gt=0)
        .order_by("shown_category", "shown_name", "pk")
    )
    paginator = Paginator(branches, HISTORY_PAGE_SIZE)
    current = paginator.get_page(page)
    page_branches = list(current.object_list)
    entries = {
        (e.branch_id, e.quarter_id): e
        for e in BoardEntry.objects.filter(
            branch__in=[b.pk for b in page_branches], quarter__in=[q.pk for q in quarters]
        ).only("branch_id", "quarter_id", "rank", "total", "board", "status")
    }
    current.object_list = [
        HistoryRow(
            branch=shown_branch(b),
            cells=[entries.get((b.pk, q.pk)) for q in quarters],
            red_count=b.red_count,
            blue_count=b.blue_count,
        )
        for b in page_branches
    ]
    return quarters, current


def branch_history(branch: Branch) -> list[BoardEntry]:
    """The branch's published results, oldest first. One query."""
    return list(
        BoardEntry.objects.filter(branch=branch).select_related("quarter").order_by("quarter__year", "quarter__number")
    )


# --- a branch's own page -------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    indicator: Indicator
    score: Decimal | None
    mean: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.score is None or self.mean is None:
            return None
        return self.score - self.mean


@dataclass
class BranchResultView:
    quarter: Quarter
    result: BranchResult | None
    ranked_in_category: int
    lines: list[IndicatorLine]
    # The branch as the page shows it: as published for a published quarter it took part in.
    shown: Branch | PublishedBranch | None = None


def branch_result(quarter: Quarter, branch: Branch) -> BranchResultView:
    """The branch's result in a quarter, with each indicator against the category's mean
    (the mean over the category's ranked branches, rounded to 0.01). A published quarter is read
    from its snapshot alone: the branch's category, name and unit, the columns and the scores as
    published."""
    if quarter.is_published:
        return _published_branch_result(quarter, branch)
    else:
        category_rows = next(
            (
                c.ranking + c.unscored + c.excluded
                for c in board_compute_detailed(quarter)
                if c.category == branch.category
            ),
            [],
        )
    result = next((r for r in category_rows if r.branch_id == branch.pk), None)
    ranked = [r for r in category_rows if r.status == RANKED]
    lines = []
    for indicator in scheme_columns(quarter)[branch.category]:
        values = [r.scores[indicator.pk] for r in ranked if indicator.pk in r.scores]
        mean = round_cent(sum(values, Decimal("0")) / len(values)) if values else None
        lines.append(
            IndicatorLine(indicator=indicator, score=result.scores.get(indicator.pk) if result else None, mean=mean)
        )
    return BranchResultView(quarter=quarter, result=result, ranked_in_category=len(ranked), lines=lines, shown=branch)


def _published_branch_result(quarter: Quarter, branch: Branch) -> BranchResultView:
    """Three queries: the branch's row (with its category's ranked count), the columns, and the
    scores of the branch and of its category's ranked branches."""
    ranked = BoardEntry.objects.filter(quarter=quarter, status=BoardEntry.Status.RANKED)
    ranked_count = (
        ranked.filter(category=OuterRef("category")).order_by().values("quarter").annotate(n=Count("pk")).values("n")
    )
    row = (
        BoardEntry.objects.filter(quarter=quarter, branch=branch)
        .annotate(ranked_in_category=Subquery(ranked_count))
        .values(*_ENTRY_FIELDS, "unit_name", "ranked_in_category")
        .first()
    )
    if row is None:
        return BranchResultView(quarter=quarter, result=None, ranked_in_category=0, lines=[], shown=branch)
    result = _result_from_row(row)
    peers = ranked.filter(category=result.category).values("branch_id")
    scores = published_scores(quarter, None, extra=Q(branch_id__in=peers) | Q(branch=branch))
    own = scores.get(branch.pk, {})
    ranked_scores = [s for pk, s in scores.items() if pk != branch.pk or result.status == RANKED]
    lines = []
    for indicator in published_columns(quarter)[result.category]:
        values = [s[indicator.pk] for s in ranked_scores if indicator.pk in s]
        mean = round_cent(sum(values, Decimal("0")) / len(values)) if values else None
        lines.append(IndicatorLine(indicator=indicator, score=own.get(indicator.pk), mean=mean))
    return BranchResultView(
        quarter=quarter,
        result=replace(result, scores=own),
        ranked_in_category=row["ranked_in_category"] or 0,
        lines=lines,
        shown=PublishedBranch(branch.pk, result.name, result.category, row["unit_name"]),
    )


def branch_problems(quarter: Quarter, branch: Branch) -> list[Problem]:
    """The problems the inspection found in the branch (its 问题清单 for the quarter), each with
    `shown_indicator`: the indicator as published for a published quarter, else the scheme's."""
    problems = list(
        Problem.objects.filter(sheet__quarter=quarter, sheet__branch=branch)
        .select_related("indicator", "sheet__group", "deduction")
        .order_by("indicator__category", "indicator__position", "id")
    )
    published = (
        {p.indicator_id: p for p in PublishedIndicator.objects.filter(quarter=quarter)}
        if quarter.is_published and problems
        else {}
    )
    for problem in problems:
        problem.shown_indicator = published.get(problem.indicator_id, problem.indicator)
    return problems


def can_see_problems(user, branch: Branch) -> bool:
    """The problem list is working material for rectification: the branch's own people, 党建部 and
    leadership see it; the rest of the company sees the published scores only."""
    return roles.can_read_everything(user) or user.branch_id == branch.pk or branch.secretary_id == user.pk
