"""Guidance to climb (晋位指引): how far a branch is from the next place, from the blue line (or the
red), and where it lost most against its category's mean. Pure functions over plain data.

All gaps are in points of the total, as published (Decimal, two places). "To draw level" means to
reach the same total; passing needs one hundredth more, since equal totals share a rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.numbers import CENT

WEAKEST = 3


@dataclass(frozen=True)
class Ranked:
    branch_id: int
    name: str
    total: Decimal
    rank: int


@dataclass(frozen=True)
class IndicatorGap:
    code: str
    name: str
    maximum: Decimal
    score: Decimal
    mean: Decimal
    problems: tuple[str, ...] = ()  # the problems found there (as the caller names them)
    deductions: tuple[str, ...] = ()  # the deductions (扣分标准) applied there, in words

    @property
    def gap(self) -> Decimal:
        return self.score - self.mean

    @property
    def shortfall(self) -> Decimal:
        return self.mean - self.score


@dataclass
class Guidance:
    rank: int
    ranked: int
    total: Decimal
    above: list[str] = field(default_factory=list)  # the branches of the next better total
    to_above: Decimal | None = None  # points to draw level with them
    to_red: Decimal | None = None  # points to draw level with the first place (None when first)
    lead: Decimal | None = None  # the first place's lead over the next total
    above_blue: Decimal | None = None  # points above the blue line (None when on it)
    to_leave_blue: Decimal | None = None  # on the blue board: points to pass the next total up
    weakest: list[IndicatorGap] = field(default_factory=list)

    @property
    def is_first(self) -> bool:
        return self.rank == 1

    @property
    def is_last(self) -> bool:
        return self.to_leave_blue is not None


def climb_guidance(
    *,
    own_id: int,
    ranking: Sequence[Ranked],
    lines: Sequence[IndicatorGap],
    weakest: int = WEAKEST,
    ranked: int | None = None,
) -> Guidance | None:
    """The guidance for `own_id` among its category's ranked branches; None if it is not ranked.

    `ranking` may be the whole category, or only the rows the guidance reads (the branch, all of
    the next better total, one each of the first, the last and the next lower total) with
    `ranked` the category's ranked count."""
    own = next((r for r in ranking if r.branch_id == own_id), None)
    if own is None:
        return None
    totals = sorted({r.total for r in ranking}, reverse=True)
    guidance = Guidance(rank=own.rank, ranked=len(ranking) if ranked is None else ranked, total=own.total)
    higher = [t for t in totals if t > own.total]
    lower = [t for t in totals if t < own.total]
    has_boards = len(totals) >= 2
    if higher:
        next_up = higher[-1]
        guidance.above = [r.name for r in ranking if r.total == next_up]
        guidance.to_above = next_up - own.total
        guidance.to_red = totals[0] - own.total
    elif lower:
        guidance.lead = own.total - lower[0]
    if has_boards:
        if lower:
            guidance.above_blue = own.total - totals[-1]
        else:
            guidance.to_leave_blue = higher[-1] - own.total + CENT
    losses = sorted((line for line in lines if line.gap < 0), key=lambda line: (line.gap, line.code))
    guidance.weakest = losses[:weakest]
    return guidance


def problems_by_indicator(problems: Sequence[tuple[str, str]]) -> Mapping[str, tuple[str, ...]]:
    """[(indicator code, description)] → code → descriptions, in the given order."""
    out: dict[str, list[str]] = {}
    for code, description in problems:
        out.setdefault(code, []).append(description)
    return {code: tuple(items) for code, items in out.items()}
