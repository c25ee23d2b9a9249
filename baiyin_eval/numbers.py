"""The precision of the portal's numbers, defined once, at the bottom of the layering so every app
can use them (members, below scoring, rounds points to the tenth too): a score on one indicator
to a tenth, totals, points and adjustments to a cent. Formatting and the boards' names live in
scoring.numbers, which re-exports these."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0")
TENTH = Decimal("0.1")  # a score on one indicator: one decimal at most (得分最多保留一位小数)
CENT = Decimal("0.01")  # a total, contribution points, an adjustment: two decimals
