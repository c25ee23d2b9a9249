"""What the board page shows: each category's red and blue boards and one page of its ranking."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Q

from boards.models import BoardEntry, PublishedIndicator
from boards.ranking import BLUE, RANKED, RED, BranchResult, shown_scores
from boards.selectors.board import board_compute, group_scores, sums_in_database
from boards.selectors.published import board_columns, entry_rows, published_scores
from branches.models import CATEGORY_SYMBOLS, Category
from scoring.models import Indicator, Quarter

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RANKING_PAGE_SIZE = 50


@dataclass
class CategorySection:
    """One category on the board page: its boards, one page of its ranking, its columns."""

    category: str
    label: StrOrPromise
    symbol: str
    red: list[BranchResult]
    blue: list[BranchResult]
    page: Page
    page_param: str
    columns: Sequence[Indicator | PublishedIndicator]
    ranked_count: int
    unscored: list[BranchResult] = field(default_factory=list)
    excluded: list[BranchResult] = field(default_factory=list)

    @property
    def rows(self) -> list[BranchResult]:
        return list(self.page.object_list)


class _RowPage(Paginator):
    """A paginator over BoardEntry rows that hands out BranchResults."""

    def _get_page(self, object_list, number, paginator):
        return Page(entry_rows(object_list), number, paginator)


def board_page(quarter: Quarter, *, search: str = "", pages: dict[str, str] | None = None) -> list[CategorySection]:
    """What the board page shows. A published board costs 3 + 2 per category queries, whatever the
    number of branches (the published columns, the boards, each category's count and page, the
    page's scores); a preview costs board_compute's five plus the columns."""
    pages = pages or {}
    columns = board_columns(quarter)
    sections = []
    if quarter.is_published:
        entries = BoardEntry.objects.filter(quarter=quarter)
        boards: dict[str, list[BranchResult]] = defaultdict(list)
        others: dict[str, list[BranchResult]] = defaultdict(list)
        # Boards and the (few) unranked rows together, in one query.
        for row in entry_rows(
            entries.filter(~Q(board="") | ~Q(status=BoardEntry.Status.RANKED)).order_by("rank", "branch_name")
        ):
            (boards if row.status == RANKED else others)[row.category].append(row)
        for category in Category.values:
            ranking = entries.filter(category=category, status=BoardEntry.Status.RANKED)
            if search:
                ranking = ranking.filter(branch_name__icontains=search)
            paginator = _RowPage(ranking.order_by("rank", "branch_name"), RANKING_PAGE_SIZE)
            param = f"p{category}"
            page = paginator.get_page(pages.get(param))
            sections.append(
                CategorySection(
                    category=category,
                    label=Category(category).label,
                    symbol=CATEGORY_SYMBOLS[Category(category)],
                    red=[r for r in boards[category] if r.board == RED],
                    blue=[r for r in boards[category] if r.board == BLUE],
                    page=page,
                    page_param=param,
                    columns=columns[category],
                    ranked_count=paginator.count,
                    unscored=[r for r in others[category] if r.status != BoardEntry.Status.EXCLUDED],
                    excluded=[r for r in others[category] if r.status == BoardEntry.Status.EXCLUDED],
                )
            )
        scores = published_scores(quarter, [r.branch_id for section in sections for r in section.page.object_list])
        for section in sections:
            section.page.object_list = [
                replace(r, scores=scores.get(r.branch_id, {})) for r in section.page.object_list
            ]
        return sections

    for result in board_compute(quarter):
        shown = [r for r in result.ranking if search in r.name] if search else result.ranking
        live = Paginator(shown, RANKING_PAGE_SIZE)
        param = f"p{result.category}"
        sections.append(
            CategorySection(
                category=result.category,
                label=Category(result.category).label,
                symbol=CATEGORY_SYMBOLS[Category(result.category)],
                red=result.red,
                blue=result.blue,
                page=live.get_page(pages.get(param)),
                page_param=param,
                columns=columns[result.category],
                ranked_count=live.count,
                unscored=result.unscored,
                excluded=result.excluded,
            )
        )
    if sums_in_database():
        _load_page_scores(quarter, sections)
    return sections


def _load_page_scores(quarter: Quarter, sections: list[CategorySection]) -> None:
    """Give the shown rows of a preview their per-indicator scores (board_compute summed them away). One query."""
    scores = group_scores(quarter, [r.branch_id for section in sections for r in section.page.object_list])
    for section in sections:
        required = [i.pk for i in section.columns]
        section.page.object_list = [
            replace(r, scores=shown_scores(scores.get(r.branch_id, {}), required)) for r in section.page.object_list
        ]
