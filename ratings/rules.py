"""The star rating (星级党支部) as pure functions over plain data: no ORM, no I/O.

A branch's rating at a published quarter looks at the company's last WINDOW published quarters up
to and including it. The average is taken over the quarters in which the branch was ranked
(rounded to 0.01); a quarter it was not ranked in does not count either way. The branch gets the
highest level whose minimum average it reaches, unless that level asks for no blue board and the
branch was on the blue board in the window — then the next level down is tried. No level: 0 stars.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.numbers import BLUE, round_cent

WINDOW = 4  # the last four published quarters
MAX_STARS = 5


@dataclass(frozen=True)
class StarLevelRule:
    """One line of the rule: `stars` for an average of at least `min_average`."""

    stars: int
    min_average: Decimal
    no_blue: bool = False  # the level is closed to a branch on the blue board in the window


@dataclass(frozen=True)
class QuarterOutcome:
    """A branch's result in one published quarter: total None = not ranked (unscored, excluded)."""

    quarter: str
    total: Decimal | None
    board: str = ""


@dataclass(frozen=True)
class StarResult:
    stars: int
    average: Decimal | None
    counted: int  # ranked quarters the average is over
    blue_count: int


# The committee's default until 党建部 sets its own: five stars as in the example.
DEFAULT_LEVELS: tuple[StarLevelRule, ...] = (
    StarLevelRule(5, Decimal("95.00"), True),
    StarLevelRule(4, Decimal("93.00"), True),
    StarLevelRule(3, Decimal("91.00"), True),
    StarLevelRule(2, Decimal("89.00"), False),
    StarLevelRule(1, Decimal("86.00"), False),
)


def star_rating(
    outcomes: Sequence[QuarterOutcome], levels: Sequence[StarLevelRule], *, window: int = WINDOW
) -> StarResult:
    """The rating from the branch's outcomes in the company's published quarters, oldest first.
    Only the last `window` of them count."""
    recent = list(outcomes)[-window:] if window > 0 else []
    totals = [o.total for o in recent if o.total is not None]
    blue_count = sum(1 for o in recent if o.board == BLUE)
    if not totals:
        return StarResult(stars=0, average=None, counted=0, blue_count=blue_count)
    average = round_cent(sum(totals, Decimal("0")) / len(totals))
    stars = 0
    for level in sorted(levels, key=lambda lv: lv.stars, reverse=True):
        if average >= level.min_average and not (level.no_blue and blue_count):
            stars = level.stars
            break
    return StarResult(stars=stars, average=average, counted=len(totals), blue_count=blue_count)


def level_errors(levels: Sequence[StarLevelRule]) -> dict[int, str]:
    """stars → what is wrong with that line. More stars must ask for a strictly higher average,
    and a level closed to the blue board cannot sit below one open to it."""
    errors: dict[int, str] = {}
    ordered = sorted(levels, key=lambda lv: lv.stars)
    for level in ordered:
        if not (Decimal("0") <= level.min_average <= Decimal("200")):
            errors[level.stars] = "range"
    for lower, higher in itertools.pairwise(ordered):
        if higher.stars in errors:
            continue
        if higher.min_average <= lower.min_average:
            errors[higher.stars] = "order"
        elif lower.no_blue and not higher.no_blue:
            errors[higher.stars] = "blue"
    return errors


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (MAX_STARS - stars)
