"""Scoring by deduction (扣分标准), as pure functions over plain data.

An indicator with deduction items starts from its maximum; each problem recorded against an item
deducts the item's points (per occurrence, or once), each item's total is held to its cap, and the
proposed score never goes below zero. An indicator without deduction items is scored directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Rule:
    """One deduction item: points, per occurrence or once, and an optional cap."""

    points: Decimal
    per_occurrence: bool = True
    cap: Decimal | None = None

    def deduct(self, occurrences: int) -> Decimal:
        """What `occurrences` problems found under this rule deduct together."""
        if occurrences <= 0:
            return ZERO
        amount = self.points * occurrences if self.per_occurrence else self.points
        return min(amount, self.cap) if self.cap is not None else amount


def total_deduction(rules: dict[int, Rule], found: Iterable[tuple[int, int]]) -> Decimal:
    """The deduction for one indicator: `found` lists (rule id, occurrences) for each problem."""
    occurrences: dict[int, int] = {}
    for rule_id, count in found:
        if rule_id in rules:
            occurrences[rule_id] = occurrences.get(rule_id, 0) + max(count, 1)
    return sum((rules[rule_id].deduct(n) for rule_id, n in occurrences.items()), start=ZERO)


def proposed_score(maximum: Decimal, deduction: Decimal) -> Decimal:
    """maximum − deductions, never below zero."""
    return max(maximum - deduction, ZERO)
