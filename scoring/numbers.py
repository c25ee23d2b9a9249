"""The numbers of the portal, defined once: the precision of scores (a tenth) and of totals,
points and adjustments (a cent), the two boards, and how each kind of number is written.

Pure: no ORM, no I/O. Every module that rounds or formats a score imports from here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from baiyin_eval.numbers import CENT, TENTH, ZERO  # the precisions, defined once for every app

__all__ = ["BLUE", "CENT", "RED", "TENTH", "ZERO"]

# The two boards (红榜 / 蓝榜), as stored in boards.models.Board and used by the pure rules.
RED = "red"
BLUE = "blue"


def round_cent(value: Decimal) -> Decimal:
    """A total or a mean to the cent, halves up (98.125 → 98.13), as the board publishes it."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_tenth(value: Decimal | None) -> str:
    """A score as it is stored and compared: "9.5", "12.0"; "" for not scored."""
    return "" if value is None else str(Decimal(value).quantize(TENTH))


def format_cent(value: Decimal | str | None) -> str:
    """A total or points with two decimals: "98.50"; "—" for none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(CENT):f}"


def format_signed(value: Decimal | None) -> str:
    """An adjustment with its sign and two decimals: "+1.50", "−1.50" (a real minus), "0.00"."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(CENT)
    if value > 0:
        return f"+{value:f}"
    if value < 0:
        return f"−{abs(value):f}"
    return "0.00"


def format_plain(value: Decimal) -> str:
    """A maximum or a deduction without trailing zeros: 12.0 → "12", 0.50 → "0.5"."""
    return f"{Decimal(value).normalize():f}"
