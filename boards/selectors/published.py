"""Published boards read back from their frozen rows (BoardEntry, BoardScore, PublishedIndicator),
never recomputed; and the columns of a board, as published or from the live scheme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from boards.models import BoardEntry, BoardScore, PublishedIndicator
from boards.ranking import RED, BranchResult, CategoryResult
from boards.selectors.board import board_compute
from branches.models import CATEGORY_SYMBOLS, Category
from branches.units import sole_evaluating_unit
from scoring import scheme
from scoring.models import Indicator, Quarter
from scoring.numbers import CENT

ENTRY_FIELDS = (
    "branch_id",
    "branch_name",
    "category",
    "status",
    "indicator_total",
    "contribution",
    "total",
    "rank",
    "board",
    "adjustment",
    "note",
)


def result_from_row(row: dict) -> BranchResult:
    return BranchResult(
        branch_id=row["branch_id"],
        name=row["branch_name"],
        category=row["category"],
        status=row["status"],
        indicator_total=row["indicator_total"],
        contribution=row["contribution"],
        total=row["total"],
        rank=row["rank"],
        board=row["board"],
        adjustment=row["adjustment"],
        note=row["note"],
        scores={},  # published_scores() has them, for the rows that show them
    )


def entry_rows(queryset: QuerySet[BoardEntry]) -> list[BranchResult]:
    return [result_from_row(row) for row in queryset.values(*ENTRY_FIELDS)]


def published_scores(quarter: Quarter, branch_ids=None, *, extra: Q | None = None) -> dict[int, dict[int, Decimal]]:
    """branch id → PublishedIndicator id → the score as published, for the quarter's branches (or
    some of them: a list, or a queryset of ids; or those `extra` filters). One query."""
    rows = BoardScore.objects.filter(quarter=quarter)
    if extra is not None:
        rows = rows.filter(extra)
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=branch_ids if isinstance(branch_ids, QuerySet) else list(branch_ids))
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for branch_id, indicator_id, value in rows.values_list("branch_id", "indicator_id", "value").iterator(
        chunk_size=20_000
    ):
        scores[branch_id][indicator_id] = value
    return scores


def published_board(quarter: Quarter) -> list[CategoryResult]:
    """The board exactly as it was published: read from BoardEntry, never recomputed. One query.
    The results carry no per-indicator scores (published_scores has them)."""
    out = {c: CategoryResult(category=c) for c in Category.values}
    rows = BoardEntry.objects.filter(quarter=quarter).order_by("category", "rank", "branch_name")
    for result in entry_rows(rows):
        category = out.setdefault(result.category, CategoryResult(category=result.category))
        if result.status == BoardEntry.Status.RANKED:
            category.ranking.append(result)
        elif result.status == BoardEntry.Status.EXCLUDED:
            category.excluded.append(result)
        else:
            category.unscored.append(result)
    return [out[c] for c in sorted(out)]


@dataclass
class CategorySummary:
    """What the publication desk and the 通报 read of one category of a board: its red and blue
    rows, its unranked rows and how many are ranked (a CategoryResult reads the same)."""

    category: str
    ranked_count: int = 0
    red: list[BranchResult] = field(default_factory=list)
    blue: list[BranchResult] = field(default_factory=list)
    unscored: list[BranchResult] = field(default_factory=list)
    excluded: list[BranchResult] = field(default_factory=list)


def published_summary(quarter: Quarter) -> list[CategorySummary]:
    """A published board's summary, whatever the number of branches: two queries (the boards'
    and the unranked rows; the ranked count per category)."""
    out = {c: CategorySummary(category=c) for c in Category.values}
    entries = BoardEntry.objects.filter(quarter=quarter)
    for result in entry_rows(
        entries.filter(~Q(board="") | ~Q(status=BoardEntry.Status.RANKED)).order_by("category", "rank", "branch_name")
    ):
        summary = out.setdefault(result.category, CategorySummary(category=result.category))
        if result.status == BoardEntry.Status.RANKED:
            (summary.red if result.board == RED else summary.blue).append(result)
        elif result.status == BoardEntry.Status.EXCLUDED:
            summary.excluded.append(result)
        else:
            summary.unscored.append(result)
    for category, count in (
        entries.filter(status=BoardEntry.Status.RANKED)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("category", "n")
    ):
        out.setdefault(category, CategorySummary(category=category)).ranked_count = count
    return [out[c] for c in sorted(out)]


def board_summary(quarter: Quarter) -> list[CategorySummary] | list[CategoryResult]:
    """The summary of a quarter's board: the published rows' once published (published_summary),
    else the live preview (board_compute, whose results read the same)."""
    return published_summary(quarter) if quarter.is_published else board_compute(quarter)


def board_categories(quarter: Quarter) -> list[CategoryResult]:
    """The board of a quarter: the published rows once published, else the live preview."""
    return published_board(quarter) if quarter.is_published else board_compute(quarter)


def board_as_dict(quarter: Quarter, categories: list[CategoryResult]) -> dict:
    """The board as the `board --json` command prints it (the issue's format)."""
    return {
        "quarter": quarter.code,
        "published": quarter.is_published,
        "categories": [
            {
                "category": CATEGORY_SYMBOLS[Category(c.category)],
                "ranking": [{"rank": r.rank, "branch": r.name, "total": str(r.total)} for r in c.ranking],
                "red": [r.name for r in c.red],
                "blue": [r.name for r in c.blue],
                "unscored": [r.name for r in c.unscored],
            }
            for c in categories
        ],
        "adjustments": [
            {"branch": r.name, "board": r.board, "points": str(r.adjustment.quantize(CENT))}
            for c in categories
            for r in c.red + c.blue
        ],
    }


def scheme_columns(quarter: Quarter) -> dict[str, list[Indicator]]:
    """category → the indicators its branches are scored on (the five standardizations first). One query."""
    indicators = list(Indicator.objects.filter(quarter=quarter).order_by(*scheme.SCHEME_ORDER))
    return {c: scheme.pick(indicators, c) for c in Category.values}


def published_columns(quarter: Quarter) -> dict[str, list[PublishedIndicator]]:
    """category → the indicators as the quarter was published with them (code, name, maximum as
    they were), in scheme order. One query."""
    indicators = list(PublishedIndicator.objects.filter(quarter=quarter).order_by(*scheme.SCHEME_ORDER))
    return {c: scheme.pick(indicators, c) for c in Category.values}


def board_columns(quarter: Quarter) -> dict[str, list[Indicator]] | dict[str, list[PublishedIndicator]]:
    """The columns of a quarter's board: as published once published, else the live scheme."""
    return published_columns(quarter) if quarter.is_published else scheme_columns(quarter)


def announcement_company(quarter: Quarter) -> str:
    """Whose 党委党建部 signs the quarter's 通报: the name frozen at publication; before it (the
    preview, quarters published before names were frozen) the company as configured while it is
    the only evaluating unit, in a tree the unit whose quarter it is."""
    if quarter.published_unit_name:
        return quarter.published_unit_name
    return settings.COMPANY_NAME if sole_evaluating_unit() is not None else quarter.unit.name
