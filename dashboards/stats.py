"""Numbers for the dashboards as pure functions over plain data: no ORM, no I/O."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.numbers import round_cent

# Where the distribution's bars split: below 85, 85–88, …, 97 and above.
DISTRIBUTION_EDGES: tuple[Decimal, ...] = tuple(Decimal(e) for e in ("85", "88", "91", "94", "97"))


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return round_cent(sum(values, Decimal("0")) / len(values))


def mean_of_sum(total: Decimal, n: int) -> Decimal:
    """mean() of n values that add up to `total`, when the database did the adding."""
    return round_cent(total / n)


def bin_labels(edges: Sequence[Decimal] = DISTRIBUTION_EDGES) -> list[str]:
    labels = [f"<{edges[0]:g}"]
    labels += [f"{low:g}–{high:g}" for low, high in itertools.pairwise(edges)]
    labels.append(f"≥{edges[-1]:g}")
    return labels


def histogram(totals: Iterable[Decimal], edges: Sequence[Decimal] = DISTRIBUTION_EDGES) -> list[int]:
    """How many totals fall in each bin: [below edges[0]), [edges[i], edges[i+1]), [edges[-1], ∞)."""
    counts = [0] * (len(edges) + 1)
    for total in totals:
        index = sum(1 for edge in edges if total >= edge)
        counts[index] += 1
    return counts


@dataclass(frozen=True)
class IndicatorLoss:
    code: str
    name: str
    branches: int  # how many (branch, quarter) results lost points on it
    lost: Decimal  # points lost, summed
    scored: int  # how many results were scored on it

    @property
    def mean_lost(self) -> Decimal:
        return round_cent(self.lost / self.scored) if self.scored else Decimal("0")


@dataclass(frozen=True)
class IndicatorSums:
    """What the results scored on one indicator add up to: how many were scored, how many lost
    points, and the points lost."""

    scored: int
    losing: int
    lost: Decimal


def indicator_sums(results: Iterable[Mapping[int, Decimal]], indicators: Mapping[int, tuple[str, str, Decimal]]):
    """indicator id → IndicatorSums over `results` (indicator id → score). The database computes the
    same in dashboards.selectors for a whole quarter."""
    scored: dict[int, int] = defaultdict(int)
    losing: dict[int, int] = defaultdict(int)
    lost: dict[int, Decimal] = defaultdict(Decimal)
    for scores in results:
        for indicator_id, score in scores.items():
            if indicator_id not in indicators:
                continue
            maximum = indicators[indicator_id][2]
            scored[indicator_id] += 1
            if score < maximum:
                lost[indicator_id] += maximum - score
                losing[indicator_id] += 1
    return {pk: IndicatorSums(scored[pk], losing[pk], lost[pk]) for pk in scored}


def losses_from_sums(
    sums: Mapping[int, IndicatorSums], indicators: Mapping[int, tuple[str, str, Decimal]], *, limit: int | None = None
) -> list[IndicatorLoss]:
    """Where points are lost, from each indicator's sums; `indicators` maps an indicator id to
    (code, name, maximum). Indicators of different quarters with the same code count together.
    Most points lost first, then most often losing."""
    lost: dict[str, Decimal] = defaultdict(Decimal)
    losing: dict[str, int] = defaultdict(int)
    scored: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for indicator_id in sorted(sums):
        if indicator_id not in indicators:
            continue
        code, name, _maximum = indicators[indicator_id]
        names.setdefault(code, name)
        scored[code] += sums[indicator_id].scored
        losing[code] += sums[indicator_id].losing
        lost[code] += sums[indicator_id].lost
    rows = [
        IndicatorLoss(code=code, name=names[code], branches=losing[code], lost=lost[code], scored=scored[code])
        for code in names
        if losing[code]
    ]
    rows.sort(key=lambda r: (-r.lost, -r.branches, r.code))
    return rows[:limit] if limit else rows


def indicator_losses(
    results: Iterable[Mapping[int, Decimal]],
    indicators: Mapping[int, tuple[str, str, Decimal]],
    *,
    limit: int | None = None,
) -> list[IndicatorLoss]:
    """Where points are lost. `results` are the indicator scores of results (indicator id →
    score); `indicators` maps an indicator id to (code, name, maximum). Indicators of different
    quarters with the same code count together. Most points lost first, then most often losing."""
    return losses_from_sums(indicator_sums(results, indicators), indicators, limit=limit)


def blue_streaks(quarter_order: Sequence[int], blue: Mapping[int, set[int]]) -> dict[int, int]:
    """branch id → how many published quarters in a row it has been on the blue board, counting back
    from the last quarter of `quarter_order` (oldest first). Branches not blue in it are left out."""
    if not quarter_order:
        return {}
    streaks: dict[int, int] = {}
    for branch_id in blue.get(quarter_order[-1], set()):
        count = 0
        for quarter_id in reversed(quarter_order):
            if branch_id not in blue.get(quarter_id, set()):
                break
            count += 1
        streaks[branch_id] = count
    return streaks
