"""Reads across quarters: the quarter list, each branch's history, and a branch's own page.
(The board of one quarter is read in boards.selectors.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from boards.models import Board, BoardEntry
from boards.ranking import BLUE, RANKED, RED, BranchResult, round_cent
from boards.selectors import _entry_rows, board_compute_detailed, scheme_columns
from branches import roles
from branches.models import Branch
from scoring.models import Indicator, Problem, Quarter

HISTORY_PAGE_SIZE = 50
HISTORY_QUARTERS = 8  # columns of the history table: the latest published quarters


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
        .select_related("branch")
        .order_by("category", "rank", "branch__name")
    ):
        out[entry.quarter_id][entry.board].append(entry)
    return out


def latest_published() -> Quarter | None:
    return Quarter.objects.filter(status=Quarter.Status.PUBLISHED).order_by("-year", "-number").first()


@dataclass
class HistoryRow:
    branch: Branch
    cells: list[BoardEntry | None]
    red_count: int
    blue_count: int


def history_page(*, search: str = "", category: str = "", page: str | None = None) -> tuple[list[Quarter], Page]:
    """Each branch's rank and total over the latest published quarters, and how often it was on
    either board (over all published quarters). Four queries, whatever the number of branches."""
    quarters = list(
        Quarter.objects.filter(status=Quarter.Status.PUBLISHED).order_by("-year", "-number")[:HISTORY_QUARTERS]
    )
    quarters.reverse()  # oldest first, left to right
    branches = Branch.objects.all()
    if search:
        branches = branches.filter(name__icontains=search)
    if category:
        branches = branches.filter(category=category)
    branches = (
        branches.annotate(
            entry_count=Count("board_entries"),
            red_count=Count("board_entries", filter=Q(board_entries__board=Board.RED)),
            blue_count=Count("board_entries", filter=Q(board_entries__board=Board.BLUE)),
        )
        .filter(entry_count__gt=0)
        .order_by("category", "name")
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
            branch=b,
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


def branch_result(quarter: Quarter, branch: Branch) -> BranchResultView:
    """The branch's result in a quarter, with each indicator against the category's mean
    (the mean over the category's ranked branches, rounded to 0.01)."""
    if quarter.is_published:
        category_rows = _entry_rows(
            BoardEntry.objects.filter(quarter=quarter, category=branch.category).order_by("rank")
        )
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
    return BranchResultView(quarter=quarter, result=result, ranked_in_category=len(ranked), lines=lines)


def branch_problems(quarter: Quarter, branch: Branch) -> list[Problem]:
    """The problems the inspection found in the branch (its 问题清单 for the quarter)."""
    return list(
        Problem.objects.filter(sheet__quarter=quarter, sheet__branch=branch)
        .select_related("indicator", "sheet__group")
        .order_by("indicator__category", "indicator__position", "id")
    )


def can_see_problems(user, branch: Branch) -> bool:
    """The problem list is working material for rectification: the branch's own people, 党建部 and
    leadership see it; the rest of the company sees the published scores only."""
    return roles.can_read_everything(user) or user.branch_id == branch.pk or branch.secretary_id == user.pk
