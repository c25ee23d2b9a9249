"""The board's rules as pure functions over plain data: no ORM, no I/O.

A branch's total = Σ over its category's indicators of the score (the mean of the groups'
scores where more than one group scored it) + its contribution points, rounded to 0.01.
Branches are ranked within their category only, highest total first; equal totals share a rank
(1, 2, 2, 4). Rank 1 → red board, last rank → blue board; a category with fewer than two distinct
totals has neither. A branch with an indicator unscored is not ranked; an excluded one neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import takewhile
from types import MappingProxyType
from typing import NamedTuple

from scoring.numbers import BLUE, RED, round_cent

NO_SCORES: Mapping = MappingProxyType({})  # shared by the results computed from sums
RANKED = "ranked"
UNSCORED = "unscored"
EXCLUDED = "excluded"


class ScoreSums(NamedTuple):
    """A branch's scores summed where they are stored (boards.selectors.board.board_rows): the sum of
    the means of its required indicators that were scored, and how many of them were scored. The
    rules below still decide what that sum and that count mean (rounding, completeness)."""

    means_total: Decimal
    scored: int


class SummedBranch(NamedTuple):
    """One branch as the database sums it for a whole quarter (boards.selectors.board.board_rows):
    what a BranchInput with `sums` says, as a plain row. compute_board_from_sums ranks these."""

    branch_id: int
    name: str
    category: str
    means_total: Decimal  # ScoreSums.means_total
    scored: int  # ScoreSums.scored
    contribution: Decimal
    excluded_reason: str | None


@dataclass(frozen=True)
class BranchInput:
    """Everything the rules need about one branch in one quarter: either every group's score
    (`scores`), or their sums (`sums`, for whole-quarter computations at scale)."""

    branch_id: int
    name: str
    category: str
    # indicator id → the scores the groups gave it (one per group that scored it).
    scores: Mapping[int, Sequence[Decimal]]
    # The indicators of the branch's category that must all be scored.
    required: Sequence[int]
    contribution: Decimal = Decimal("0")
    excluded_reason: str | None = None
    sums: ScoreSums | None = None


@dataclass(frozen=True)
class BranchResult:
    branch_id: int
    name: str
    category: str
    status: str
    indicator_total: Decimal | None
    contribution: Decimal
    total: Decimal | None
    rank: int | None = None
    board: str = ""
    adjustment: Decimal = Decimal("0")
    note: str = ""
    # indicator id → the branch's score on it (the groups' mean, rounded to 0.01), for display.
    scores: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass
class CategoryResult:
    category: str
    ranking: list[BranchResult] = field(default_factory=list)  # ranked, in rank order
    unscored: list[BranchResult] = field(default_factory=list)
    excluded: list[BranchResult] = field(default_factory=list)

    @property
    def ranked_count(self) -> int:
        return len(self.ranking)

    # The ranking is in rank order: the red board is its first rows, the blue board its last, so
    # neither reads the rows between (a LazyRanking makes only the rows read).
    @property
    def red(self) -> list[BranchResult]:
        return list(takewhile(lambda r: r.board == RED, self.ranking))

    @property
    def blue(self) -> list[BranchResult]:
        return list(takewhile(lambda r: r.board == BLUE, reversed(self.ranking)))[::-1]


def indicator_score(group_scores: Sequence[Decimal]) -> Decimal | None:
    """The mean of the groups' scores for one indicator; None when nobody scored it."""
    values = [v for v in group_scores if v is not None]
    if not values:
        return None
    return sum(values, Decimal("0")) / len(values)


def indicator_means(scores: Mapping[int, Sequence[Decimal]], required: Iterable[int]) -> dict[int, Decimal | None]:
    """indicator id → indicator_score, for each required indicator (None where unscored)."""
    return {indicator_id: indicator_score(scores.get(indicator_id, ())) for indicator_id in required}


def _subtotal(means: Mapping[int, Decimal | None]) -> Decimal | None:
    if None in means.values():
        return None
    return round_cent(sum(means.values(), Decimal("0")))


def indicator_total(scores: Mapping[int, Sequence[Decimal]], required: Iterable[int]) -> Decimal | None:
    """Σ of the indicator scores, or None if any required indicator is unscored."""
    return _subtotal(indicator_means(scores, required))


def summed_total(sums: ScoreSums, required: Sequence[int]) -> Decimal | None:
    """The same subtotal as indicator_total, from sums: None unless every required indicator is scored."""
    if sums.scored < len(required):
        return None
    return round_cent(sums.means_total)


def shown_scores(scores: Mapping[int, Sequence[Decimal]], required: Iterable[int]) -> dict[int, Decimal]:
    """indicator id → the branch's score on it as shown (the groups' mean, rounded to 0.01)."""
    return _shown(indicator_means(scores, required))


def _shown(means: Mapping[int, Decimal | None]) -> dict[int, Decimal]:
    return {indicator_id: round_cent(value) for indicator_id, value in means.items() if value is not None}


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Ranks for totals sorted highest first: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ranks: list[int] = []
    for position, total in enumerate(totals):
        if position and total == totals[position - 1]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position + 1)
    return ranks


def evaluate_branch(branch: BranchInput) -> BranchResult:
    contribution = round_cent(Decimal(branch.contribution))
    if branch.sums is not None:
        subtotal, shown = summed_total(branch.sums, branch.required), NO_SCORES
    else:
        means = indicator_means(branch.scores, branch.required)  # once, for the total and the display
        subtotal, shown = _subtotal(means), _shown(means)
    if branch.excluded_reason is not None:
        status = EXCLUDED
    elif subtotal is None:
        status = UNSCORED
    else:
        status = RANKED
    total = None if subtotal is None else round_cent(subtotal + contribution)
    return BranchResult(
        branch_id=branch.branch_id,
        name=branch.name,
        category=branch.category,
        status=status,
        indicator_total=subtotal,
        contribution=contribution,
        total=total,
        note=branch.excluded_reason or "",
        scores=shown,
    )


def _new_result(values: dict) -> BranchResult:
    """A BranchResult from a dict holding every one of its fields, without the frozen dataclass's __init__
    (it sets each field through object.__setattr__: a third of a 50,000-branch computation)."""
    result = object.__new__(BranchResult)
    object.__setattr__(result, "__dict__", values)
    return result


def _ranked(result: BranchResult, rank: int, board: str, adjustment: Decimal) -> BranchResult:
    """A copy of `result` with its place on the board. Copies the frozen dataclass's fields
    directly: its __init__ sets each field through object.__setattr__, which at 50,000 branches
    costs a third of the whole computation."""
    ranked = object.__new__(BranchResult)
    ranked.__dict__.update(result.__dict__, rank=rank, board=board, adjustment=adjustment)
    return ranked


def rank_category(
    category: str, results: Iterable[BranchResult], adjustments: Mapping[tuple[str, str], Decimal]
) -> CategoryResult:
    """Rank one category's evaluated branches and mark the red and blue boards."""
    out = CategoryResult(category=category)
    ranked: list[BranchResult] = []
    for result in results:
        if result.status == RANKED:
            ranked.append(result)
        elif result.status == EXCLUDED:
            out.excluded.append(result)
        else:
            out.unscored.append(result)
    ranked.sort(key=lambda r: (-r.total, r.name))
    for result, (rank, board, adjustment) in zip(
        ranked, _places(category, [r.total for r in ranked], adjustments), strict=True
    ):
        out.ranking.append(_ranked(result, rank, board, adjustment))
    out.unscored.sort(key=lambda r: r.name)
    out.excluded.sort(key=lambda r: r.name)
    return out


def _places(
    category: str, totals: Sequence[Decimal], adjustments: Mapping[tuple[str, str], Decimal]
) -> list[tuple[int, str, Decimal]]:
    """(rank, board, adjustment) of each of a category's totals, sorted highest first: rank 1 is
    red, the last rank blue, unless fewer than two distinct totals."""
    ranks = competition_ranks(totals)
    has_boards = len(set(totals)) >= 2
    last_rank = ranks[-1] if ranks else None
    zero = Decimal("0")
    places = []
    for rank in ranks:
        board = ""
        if has_boards and rank == 1:
            board = RED
        elif has_boards and rank == last_rank:
            board = BLUE
        places.append((rank, board, Decimal(adjustments.get((category, board), zero)) if board else zero))
    return places


def compute_board(
    branches: Iterable[BranchInput],
    adjustments: Mapping[tuple[str, str], Decimal],
    categories: Sequence[str] = ("1", "2", "3"),
) -> list[CategoryResult]:
    """The whole board of a quarter, one CategoryResult per category in category order."""
    by_category: dict[str, list[BranchResult]] = {c: [] for c in categories}
    for branch in branches:
        by_category.setdefault(branch.category, []).append(evaluate_branch(branch))
    return [rank_category(category, by_category[category], adjustments) for category in sorted(by_category)]


class LazyRanking(Sequence):
    """A category's ranking as compute_board_from_sums makes it: the rows sorted and placed, each
    BranchResult made only when read (a page of the board, the red and blue boards), so that a
    50,000-branch preview does not build 50,000 objects to show 150. Reads like the list it
    stands for (equal to it, concatenates to a list)."""

    def __init__(self, category: str, rows: list[tuple], places: list[tuple[int, str, Decimal]]):
        self._category = category
        self._rows = rows  # (sort key, name, branch id, total, subtotal, contribution)
        self._places = places

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._result(i) for i in range(*index.indices(len(self._rows)))]
        if index < 0:
            index += len(self._rows)
        if not 0 <= index < len(self._rows):
            raise IndexError(index)
        return self._result(index)

    def __iter__(self) -> Iterator[BranchResult]:
        return (self._result(i) for i in range(len(self._rows)))

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyRanking | list):
            return list(self) == list(other)
        return NotImplemented

    def __add__(self, other) -> list[BranchResult]:
        return [*self, *other]

    def __radd__(self, other) -> list[BranchResult]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"LazyRanking({self._category!r}, {len(self)} rows)"

    def branch_ids(self) -> list[int]:
        """The ranked branches' ids in rank order, without making their results."""
        return [row[2] for row in self._rows]

    def result_for(self, branch_id: int) -> BranchResult | None:
        """The ranked result of one branch, or None (made alone)."""
        return next((self._result(i) for i, row in enumerate(self._rows) if row[2] == branch_id), None)

    def _result(self, i: int) -> BranchResult:
        _key, name, branch_id, total, subtotal, contribution = self._rows[i]
        rank, board, adjustment = self._places[i]
        return _new_result(
            {
                "branch_id": branch_id,
                "name": name,
                "category": self._category,
                "status": RANKED,
                "indicator_total": subtotal,
                "contribution": contribution,
                "total": total,
                "rank": rank,
                "board": board,
                "adjustment": adjustment,
                "note": "",
                "scores": NO_SCORES,
            }
        )


def compute_board_from_sums(
    rows: Iterable[SummedBranch],
    required: Mapping[str, int],
    adjustments: Mapping[tuple[str, str], Decimal],
    categories: Sequence[str] = ("1", "2", "3"),
) -> list[CategoryResult]:
    """The board compute_board makes of BranchInputs carrying these sums (`required`: category →
    how many indicators its branches must all have scored), by the same rules (summed_total, the
    same rounding, ranks and boards). Each category's ranking is a LazyRanking: a result object
    is made only for the rows read (at 50,000 branches the objects were most of the work).
    Results carry no per-indicator scores. Equal totals with equal names are ordered by branch id."""
    zero = Decimal("0")
    ranked: dict[str, list[tuple]] = {c: [] for c in categories}
    out = {c: CategoryResult(category=c) for c in categories}
    for branch_id, name, category, means_total, scored, contribution, excluded_reason in rows:
        contribution = round_cent(Decimal(contribution or zero))
        subtotal = None if scored < required.get(category, 0) else round_cent(means_total)
        total = None if subtotal is None else round_cent(subtotal + contribution)
        if excluded_reason is None and subtotal is not None:
            ranked.setdefault(category, []).append((-total, name, branch_id, total, subtotal, contribution))
            continue
        result = _new_result(
            {
                "branch_id": branch_id,
                "name": name,
                "category": category,
                "status": EXCLUDED if excluded_reason is not None else UNSCORED,
                "indicator_total": subtotal,
                "contribution": contribution,
                "total": total,
                "rank": None,
                "board": "",
                "adjustment": zero,
                "note": excluded_reason or "",
                "scores": NO_SCORES,
            }
        )
        category_out = out.setdefault(category, CategoryResult(category=category))
        (category_out.excluded if excluded_reason is not None else category_out.unscored).append(result)
    for category, rows_ in ranked.items():
        rows_.sort(key=lambda row: row[:3])
        category_out = out.setdefault(category, CategoryResult(category=category))
        category_out.ranking = LazyRanking(  # type: ignore[assignment]
            category, rows_, _places(category, [row[3] for row in rows_], adjustments)
        )
    for category_out in out.values():
        category_out.unscored.sort(key=lambda r: r.name)
        category_out.excluded.sort(key=lambda r: r.name)
    return [out[c] for c in sorted(out)]


def category_means(categories: Iterable[CategoryResult]) -> dict[tuple[str, int], Decimal]:
    """(category, indicator id) → the mean of the category's ranked branches' shown scores on the
    indicator, rounded to 0.01: the 本类平均 a branch page sets its own score against."""
    sums: dict[tuple[str, int], list] = {}
    for category in categories:
        for result in category.ranking:
            for indicator_id, score in result.scores.items():
                figures = sums.setdefault((category.category, indicator_id), [Decimal("0"), 0])
                figures[0] += score
                figures[1] += 1
    return {key: round_cent(total / count) for key, (total, count) in sums.items()}
