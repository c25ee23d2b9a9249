"""Reads across quarters: the quarter list, the history table, each branch's published results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from boards.models import Board, BoardEntry
from boards.ranking import BLUE, RED
from branches import roles
from branches.models import CATEGORY_SYMBOLS, Branch, Category, Unit
from branches.units import home_unit
from scoring.models import Quarter

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


class PublishedIdentity(TypedDict):
    """What `with_published_identity` annotates each branch with (the pages list only branches
    with a published result, so the name and the category are always there)."""

    shown_name: str
    shown_category: str
    shown_unit_id: int | None
    shown_unit_name: str | None


def with_published_identity(
    branches: QuerySet[Branch], entries: QuerySet[BoardEntry]
) -> QuerySet[WithAnnotations[Branch, PublishedIdentity]]:
    """The branches annotated with their name, category, unit id and unit name as the latest of
    `entries` recorded them (`shown_name`, `shown_category`, `shown_unit_id`, `shown_unit_name`)."""
    latest = entries.filter(branch_id=OuterRef("pk")).order_by("-quarter__year", "-quarter__number")
    return branches.annotate(
        shown_name=Subquery(latest.values("branch_name")[:1]),
        shown_category=Subquery(latest.values("category")[:1]),
        shown_unit_id=Subquery(latest.values("unit_id")[:1]),
        shown_unit_name=Subquery(latest.values("unit_name")[:1]),
    )


def shown_branch(branch: WithAnnotations[Branch, PublishedIdentity]) -> PublishedBranch:
    """A branch annotated by with_published_identity, as it was last published."""
    return PublishedBranch(branch.pk, branch.shown_name, branch.shown_category, branch.shown_unit_name or "")


# --- quarters and history ------------------------------------------------------------------------


def quarters_for(user) -> QuerySet[Quarter]:
    """Published quarters of the user's unit and the units below, for everyone; 党建部 and
    leadership also see their own unit's quarters being scored or closed (never another unit's)."""
    shown = Q(status=Quarter.Status.PUBLISHED)
    if roles.can_read_everything(user):
        shown |= Q(status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED], unit=home_unit(user))
    return (
        Quarter.objects.visible_to(user)
        .filter(shown)
        .select_related("published_by", "unit")
        .order_by("-year", "-number", "unit__path")
    )


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


class HistoryCounts(PublishedIdentity):
    """What `history_page` annotates each branch with on top of its published identity."""

    entry_count: int
    red_count: int
    blue_count: int


@dataclass
class HistoryRow:
    branch: PublishedBranch
    cells: list[BoardEntry | None]
    red_count: int
    blue_count: int


def history_page(
    *, search: str = "", category: str = "", page: str | None = None, unit: Unit | None = None
) -> tuple[list[Quarter], Page]:
    """Each branch's rank and total over the latest published quarters, and how often it was on
    either board (over all published quarters). Four queries, whatever the number of branches.

    Each branch appears with the name and category of its latest published result; the search
    and the category filter read those too, never the live branch."""
    published = Quarter.objects.filter(status=Quarter.Status.PUBLISHED)
    if unit is not None:  # one evaluating unit's history: its quarters, its branches
        published = published.filter(unit=unit)
    quarters = list(published.newest_first()[:HISTORY_QUARTERS])
    quarters.reverse()  # oldest first, left to right
    entries = BoardEntry.objects.filter(quarter__in=published) if unit is not None else BoardEntry.objects.all()
    # Typed loosely: the annotations below (shown_name, shown_category, the counts) are the
    # published identity's, which the type checker cannot see through with_published_identity.
    branches: Any = Branch.objects.all() if unit is None else Branch.objects.filter(pk__in=entries.values("branch_id"))
    branches = with_published_identity(branches, entries)
    of_unit = Q(board_entries__quarter__unit=unit) if unit is not None else Q()
    if search:
        branches = branches.filter(shown_name__icontains=search)
    if category:
        branches = branches.filter(shown_category=category)
    branches = (
        branches.annotate(
            entry_count=Count("board_entries", filter=of_unit),
            red_count=Count("board_entries", filter=Q(board_entries__board=Board.RED) & of_unit),
            blue_count=Count("board_entries", filter=Q(board_entries__board=Board.BLUE) & of_unit),
        )
        .filter(entry_count__gt=0)
        .order_by("shown_category", "shown_name", "pk")
    )
    paginator = Paginator(branches, HISTORY_PAGE_SIZE)
    current = paginator.get_page(page)
    page_branches: list[WithAnnotations[Branch, HistoryCounts]] = list(current.object_list)
    page_entries = {
        (e.branch_id, e.quarter_id): e
        for e in BoardEntry.objects.filter(
            branch__in=[b.pk for b in page_branches], quarter__in=[q.pk for q in quarters]
        ).only("branch_id", "quarter_id", "rank", "total", "board", "status")
    }
    rows = [
        HistoryRow(
            branch=shown_branch(b),
            cells=[page_entries.get((b.pk, q.pk)) for q in quarters],
            red_count=b.red_count,
            blue_count=b.blue_count,
        )
        for b in page_branches
    ]
    return quarters, Page(rows, current.number, paginator)


def branch_history(branch: Branch) -> list[BoardEntry]:
    """The branch's published results, oldest first. One query."""
    return list(
        BoardEntry.objects.filter(branch=branch).select_related("quarter").order_by("quarter__year", "quarter__number")
    )
