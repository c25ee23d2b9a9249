"""A branch's own page: its result in a quarter, each indicator against its category's mean, and
its problem list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery

from boards.guidance import Ranked
from boards.models import BoardEntry, PublishedIndicator
from boards.ranking import RANKED, BranchResult, round_cent
from boards.selectors.board import board_compute_detailed
from boards.selectors.history import PublishedBranch
from boards.selectors.published import (
    ENTRY_FIELDS,
    published_columns,
    published_scores,
    result_from_row,
    scheme_columns,
)
from branches import roles
from branches.models import Branch
from scoring.models import Indicator, Problem, Quarter


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
        .values(*ENTRY_FIELDS, "unit_name", "ranked_in_category")
        .first()
    )
    if row is None:
        return BranchResultView(quarter=quarter, result=None, ranked_in_category=0, lines=[], shown=branch)
    result = result_from_row(row)
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


def category_ranking(quarter: Quarter, category: str) -> list[Ranked]:
    """The category's published ranking as the guidance to climb reads it. One query."""
    return [
        Ranked(branch_id=branch_id, name=name, total=total, rank=rank)
        for branch_id, name, total, rank in BoardEntry.objects.filter(
            quarter=quarter, category=category, status=BoardEntry.Status.RANKED
        )
        .order_by("rank", "branch_name")
        .values_list("branch_id", "branch_name", "total", "rank")
    ]
