"""What every roll-up read shares: the plain-string constants, the subtree condition, the code checks."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q

from boards.models import Board, BoardEntry
from branches.models import Category, Unit
from scoring.models import Quarter
from scoring.numbers import CENT, TENTH

# Plain strings: an enum member's attribute access is slow in loops over 1,500 units.
RANKED = BoardEntry.Status.RANKED.value
UNSCORED = BoardEntry.Status.UNSCORED.value
EXCLUDED = BoardEntry.Status.EXCLUDED.value
PUBLISHED = Quarter.Status.PUBLISHED.value
RED = Board.RED.value
CATEGORIES: tuple[str, ...] = tuple(Category.values)


class RollupNotFound(Exception):
    """The unit or the quarter code is unknown; the message says which, in Chinese."""


def _mean(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _tenth(value) -> Decimal | None:
    """A lowest or highest total as shown: to the tenth (SQLite's MIN/MAX of a decimal column is a
    float, printed as 84.1000000000000 unquantized)."""
    return None if value is None else Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP)


def subtree_q(unit: Unit, prefix: str = "") -> Q:
    """The rows whose unit (reached through `prefix`) is `unit` or below it: one indexed LIKE."""
    return Q(**{f"{prefix}path__startswith": unit.path})


def unit_by_name(name: str) -> Unit:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        from django.utils.translation import gettext

        raise RollupNotFound(gettext("没有名为“%(name)s”的单位。") % {"name": name})
    return unit


def codes_in(unit: Unit) -> list[str]:
    """The quarter codes of the subtree's evaluating units, newest first. One query."""
    rows = (
        Quarter.objects.filter(subtree_q(unit, "unit__"))
        .values_list("year", "number")
        .distinct()
        .order_by("-year", "-number")
    )
    return [f"{year}Q{number}" for year, number in rows]


def latest_published_code(unit: Unit) -> str | None:
    """The newest code published by at least one unit of the subtree (else the newest code). One query."""
    quarter = (
        Quarter.objects.filter(subtree_q(unit, "unit__"), status=Quarter.Status.PUBLISHED)
        .order_by("-year", "-number")
        .values_list("code", flat=True)
        .first()
    )
    if quarter is None:
        codes = codes_in(unit)
        return codes[0] if codes else None
    return quarter


def check_code(unit: Unit, code: str) -> tuple[int, int]:
    """(year, number) of a code some unit of the subtree has. One query."""
    from django.utils.translation import gettext

    parsed = Quarter.parse_code(code)
    if parsed is None or not Quarter.objects.filter(subtree_q(unit, "unit__"), code=code).exists():
        raise RollupNotFound(gettext("“%(unit)s”及其下级单位没有季度“%(code)s”。") % {"unit": unit.name, "code": code})
    return parsed


def _through(q: Q, prefix: str, *, strip: str = "") -> Q:
    """The same condition reached through a relation (`interview__` + `quarter__status` …), or
    from the related model itself (`strip="quarter__"`: `status` …)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    children: list[Any] = list(q.children)
    out.children = [
        _through(c, prefix, strip=strip) if isinstance(c, Q) else (prefix + c[0].removeprefix(strip), c[1])
        for c in children
    ]
    return out


def quarter_of_code(unit: Unit, code: str) -> Quarter:
    """One quarter of the code in the subtree (the unit's own first): what an export job of the
    roll-up records as its quarter. One or two queries."""
    check_code(unit, code)
    quarters = Quarter.objects.filter(subtree_q(unit, "unit__"), code=code)
    quarter = quarters.filter(unit=unit).first() or quarters.order_by("unit__path").first()
    assert quarter is not None  # check_code found one
    return quarter
