"""A branch's own page: its result in a quarter, each indicator against its category's mean, and
its problem list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, OuterRef, Subquery

from boards.guidance import Ranked
from boards.models import BoardEntry, CategoryMean, PublishedIndicator
from boards.ranking import RANKED, BranchResult, LazyRanking, shown_scores
from boards.selectors.board import (
    board_compute,
    board_compute_detailed,
    group_scores,
    indicator_means,
    sums_in_database,
)
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
from branches.units import within_reach
from scoring.models import Indicator, Problem, Quarter
from scoring.numbers import CENT, round_cent


@dataclass
class IndicatorLine:
    indicator: Indicator | PublishedIndicator
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
    (the mean over the category's ranked branches of their shown scores, rounded to 0.01). A
    published quarter is read from its snapshot alone: the branch's category, name and unit, the
    columns and the scores as published. No other branch's scores are loaded: the means are
    summed by the database."""
    if quarter.is_published:
        return _published_branch_result(quarter, branch)
    if sums_in_database():
        return _live_branch_result(quarter, branch)
    return _live_branch_result_in_python(quarter, branch)


def _mean(total: Decimal | None, count: int) -> Decimal | None:
    return round_cent(total / count) if count and total is not None else None


def _live_branch_result(quarter: Quarter, branch: Branch) -> BranchResultView:
    """Six queries: the category's board (board_compute: scheme, rows, adjustments), the columns,
    the branch's own scores, and the means over the category's ranked branches."""
    board = board_compute(quarter, branch.category)[0]
    ranking = board.ranking
    ranked_ids = ranking.branch_ids() if isinstance(ranking, LazyRanking) else [r.branch_id for r in ranking]
    result = (
        ranking.result_for(branch.pk)
        if isinstance(ranking, LazyRanking)
        else next((r for r in ranking if r.branch_id == branch.pk), None)
    ) or next((r for r in board.unscored + board.excluded if r.branch_id == branch.pk), None)
    columns = scheme_columns(quarter)[branch.category]
    if result is not None:
        own = shown_scores(group_scores(quarter, [branch.pk]).get(branch.pk, {}), [i.pk for i in columns])
        result = replace(result, scores=own)
    sums = ranked_score_sums(quarter, branch.category, ranked_ids)
    lines = [
        IndicatorLine(
            indicator=indicator,
            score=result.scores.get(indicator.pk) if result else None,
            mean=_mean(*sums.get(indicator.pk, (None, 0))),
        )
        for indicator in columns
    ]
    return BranchResultView(
        quarter=quarter, result=result, ranked_in_category=len(board.ranking), lines=lines, shown=branch
    )


def _live_branch_result_in_python(quarter: Quarter, branch: Branch) -> BranchResultView:
    """Where the database cannot sum decimals exactly (SQLite): every score of the quarter loaded."""
    category_rows = next(
        (c.ranking + c.unscored + c.excluded for c in board_compute_detailed(quarter) if c.category == branch.category),
        [],
    )
    result = next((r for r in category_rows if r.branch_id == branch.pk), None)
    ranked = [r for r in category_rows if r.status == RANKED]
    lines = []
    for indicator in scheme_columns(quarter)[branch.category]:
        values = [r.scores[indicator.pk] for r in ranked if indicator.pk in r.scores]
        lines.append(
            IndicatorLine(
                indicator=indicator,
                score=result.scores.get(indicator.pk) if result else None,
                mean=_mean(sum(values, Decimal("0")), len(values)),
            )
        )
    return BranchResultView(quarter=quarter, result=result, ranked_in_category=len(ranked), lines=lines, shown=branch)


# indicator id → the sum of the listed branches' shown scores on it (the groups' mean rounded to
# 0.01, as boards.ranking.shown_scores rounds it: ROUND half away from zero is ROUND_HALF_UP) and
# how many branches have one. The branches are given (the ranks are the rules' to decide).
_RANKED_SCORE_SUMS_SQL = """
SELECT indicator_id, SUM(ROUND(mean, 2)), COUNT(*) FROM ({means}) AS means
WHERE {branches} GROUP BY indicator_id
"""


def ranked_score_sums(quarter: Quarter, category: str, branch_ids: list[int]) -> dict[int, tuple[Decimal, int]]:
    """indicator id → (sum, count) of the shown scores of `branch_ids` (a category's ranked
    branches) on the category's indicators. One query."""
    if not branch_ids:
        return {}
    sql, params = indicator_means(quarter, category).query.sql_with_params()
    args: list[Any]
    if connection.vendor == "postgresql":  # one array parameter, however many branches
        branches, args = "branch = ANY(%s)", [branch_ids]
    else:  # SQLite, the embedded default: no arrays
        branches, args = f"branch IN ({', '.join(['%s'] * len(branch_ids))})", list(branch_ids)
    with connection.cursor() as cursor:
        cursor.execute(_RANKED_SCORE_SUMS_SQL.format(means=sql, branches=branches), [*params, *args])
        rows = cursor.fetchall()
    # SQLite hands back the sum as a float: to the cent, as the means are rounded.
    return {indicator_id: (Decimal(str(total)).quantize(CENT), count) for indicator_id, total, count in rows}


def _published_branch_result(quarter: Quarter, branch: Branch) -> BranchResultView:
    """Four queries: the branch's row (with its category's ranked count), the columns, the
    branch's published scores, and its category's published means (CategoryMean)."""
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
    own = published_scores(quarter, [branch.pk]).get(branch.pk, {})
    means = dict(
        CategoryMean.objects.filter(quarter=quarter, category=result.category).values_list("indicator_id", "mean")
    )
    lines = [
        IndicatorLine(indicator=indicator, score=own.get(indicator.pk), mean=means.get(indicator.pk))
        for indicator in published_columns(quarter)[result.category]
    ]
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
        problem.shown_indicator = published.get(problem.indicator_id, problem.indicator)  # type: ignore[attr-defined]
    return problems


def can_see_problems(user, branch: Branch) -> bool:
    """The problem list is working material for rectification: the branch's own people, 党建部 and
    leadership see it; the rest of the company sees the published scores only."""
    readers = roles.can_read_everything(user) and within_reach(user, branch.evaluating_unit)
    return readers or user.branch_id == branch.pk or branch.secretary_id == user.pk


# What the guidance to climb needs of a category's published ranking (boards.guidance): the
# branch itself, every branch of the next better total (named there), and one branch each of the
# first total, the last total and the next lower total — never the whole category.
_CLIMB_PEERS_SQL = """
WITH category AS (
    SELECT branch_id, branch_name, total, rank FROM {entries}
    WHERE quarter_id = %(quarter)s AND category = %(category)s AND status = %(ranked)s
),
own AS (SELECT total FROM category WHERE branch_id = %(branch)s)
SELECT * FROM category WHERE branch_id = %(branch)s
UNION SELECT * FROM (SELECT * FROM category ORDER BY total DESC, branch_id LIMIT 1) AS first_total
UNION SELECT * FROM (SELECT * FROM category ORDER BY total, branch_id LIMIT 1) AS last_total
UNION SELECT * FROM category WHERE total = (SELECT MIN(total) FROM category WHERE total > (SELECT total FROM own))
UNION SELECT * FROM (
    SELECT * FROM category WHERE total < (SELECT total FROM own) ORDER BY total DESC, branch_id LIMIT 1
) AS next_lower
ORDER BY rank, branch_name
"""
# Each LIMITed part is a subquery in FROM, not a parenthesised SELECT: SQLite (the embedded
# default) accepts only the former, PostgreSQL both.


def climb_peers(quarter: Quarter, category: str, branch_id: int) -> list[Ranked]:
    """The rows of the category's published ranking that boards.guidance.climb_guidance reads for
    `branch_id` (it gets the category's ranked count apart). One query, a handful of rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLIMB_PEERS_SQL.format(entries=BoardEntry._meta.db_table),
            {"quarter": quarter.pk, "category": category, "ranked": BoardEntry.Status.RANKED, "branch": branch_id},
        )
        rows = cursor.fetchall()
    # SQLite hands back a decimal column as a float: to the cent, as stored.
    return [
        Ranked(branch_id=b, name=name, total=Decimal(str(total)).quantize(CENT), rank=rank)
        for b, name, total, rank in rows
    ]
