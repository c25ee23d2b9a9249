"""The roll-up (单位汇总): for one quarter code, every evaluating unit of a subtree with its
published board's numbers, read in a fixed number of queries whatever the number of units.

Quarters of different units share a code (2019Q2): the roll-up matches by code. A subtree is one
`path LIKE 'prefix%'` (the unit tree is a materialized path), and every number comes from a
GROUP BY over the subtree's published BoardEntry rows — nothing is read from a quarter that is not
published, so an unpublished unit shows only that it is unpublished (and how many branches it
evaluates, an organisational fact, not a result)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.utils import timezone

from boards.models import Board, BoardEntry
from branches.models import CATEGORY_SYMBOLS, Branch, Category, Unit
from dashboards.stats import DISTRIBUTION_EDGES, bin_labels
from interviews.models import OPEN_STATUSES, ItemStatus, RectificationItem
from rollup.models import QuarterSummary
from scoring.models import Quarter

CENT = Decimal("0.01")
# Plain strings: an enum member's attribute access is slow in loops over 1,500 units.
RANKED = BoardEntry.Status.RANKED.value
UNSCORED = BoardEntry.Status.UNSCORED.value
EXCLUDED = BoardEntry.Status.EXCLUDED.value
PUBLISHED = Quarter.Status.PUBLISHED.value
RED = Board.RED.value
CATEGORIES: tuple[str, ...] = tuple(Category.values)


class RollupNotFound(Exception):
    """The unit or the quarter code is unknown; the message says which, in Chinese."""


@dataclass
class CategoryStats:
    """One category of one unit's published board: ranked branches and their totals."""

    n: int = 0
    mean: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass
class UnitRow:
    """One evaluating unit of the roll-up."""

    unit_id: int
    name: str
    depth: int
    has_children: bool = False
    quarter_id: int | None = None
    status: str = ""  # the unit's quarter of this code: "" when it has none
    branches: int = 0  # on the published board; for an unpublished unit, the active branches it evaluates
    ranked: int = 0
    unscored: int = 0
    excluded: int = 0
    red: list[str] = field(default_factory=list)
    blue: list[str] = field(default_factory=list)
    repeat_blue: list[str] = field(default_factory=list)  # blue in this and the unit's previous published quarter
    categories: dict[str, CategoryStats] = field(default_factory=dict)
    items: int = 0  # rectification items of this quarter's interviews
    accepted: int = 0
    overdue: int = 0

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def status_label(self) -> str:
        if not self.status:
            from django.utils.translation import gettext

            return gettext("未建季度")
        return str(Quarter.Status(self.status).label)

    @property
    def completion(self) -> int | None:
        """Rectification completion, percent of items accepted (None: no item)."""
        return round(self.accepted * 100 / self.items) if self.items else None

    def category_list(self) -> list[tuple[str, CategoryStats]]:
        return [(CATEGORY_SYMBOLS[Category(c)], self.categories.get(c, CategoryStats())) for c in Category.values]


@dataclass
class Distribution:
    """The totals of one category over every published board of the subtree."""

    category: str
    label: str
    counts: list[int]
    n: int
    mean: Decimal | None


@dataclass
class Rollup:
    unit: Unit
    code: str
    rows: list[UnitRow]
    bins: list[str]
    distributions: list[Distribution]

    _totals: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def published_rows(self) -> list[UnitRow]:
        return [r for r in self.rows if r.published]

    @property
    def published_count(self) -> int:
        return self.total("published")

    def total(self, attribute: str) -> int:
        """A sum over the published units, all of them computed in one pass the first time."""
        if not self._totals:
            names = ("branches", "unscored", "items", "accepted", "overdue")
            totals = dict.fromkeys((*names, "published", "repeat_blue"), 0)
            for r in self.rows:
                if r.published:
                    for name in names:
                        totals[name] += getattr(r, name)
                    totals["published"] += 1
                    totals["repeat_blue"] += len(r.repeat_blue)
            self._totals = totals
        return self._totals[attribute]

    @property
    def total_branches(self) -> int:
        return self.total("branches")

    @property
    def total_unscored(self) -> int:
        return self.total("unscored")

    @property
    def total_items(self) -> int:
        return self.total("items")

    @property
    def total_accepted(self) -> int:
        return self.total("accepted")

    @property
    def total_overdue(self) -> int:
        return self.total("overdue")

    @property
    def repeat_blue_count(self) -> int:
        return self.total("repeat_blue")

    @property
    def completion(self) -> int | None:
        items = self.total("items")
        return round(self.total("accepted") * 100 / items) if items else None

    def as_dict(self) -> dict:
        """What `rollup --json` prints (issue 17's format)."""
        return {
            "unit": self.unit.name,
            "quarter": self.code,
            "units": [
                {
                    "unit": r.name,
                    "published": r.published,
                    "branches": r.branches,
                    "red": r.red,
                    "blue": r.blue,
                    "unscored": r.unscored,
                }
                for r in self.rows
            ],
        }


def _mean(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


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


def rollup_for(unit: Unit, code: str, *, today=None) -> Rollup:
    """The roll-up of `unit` for quarter `code`. Six queries whatever the number of units: the
    code's existence, the evaluating units, their quarters of this code (each with its unit's
    previous published quarter), the published boards' summaries (this quarter's and the previous
    ones'; three more, once, for boards no roll-up has met yet), the rectification counts, and the
    active branches of the unpublished units (not asked when every unit has published)."""
    year, number = check_code(unit, code)
    today = today or timezone.localdate()
    units = list(
        Unit.objects.filter(subtree_q(unit), is_evaluating=True)
        .order_by("path")
        .values_list("id", "name", "depth", "path")
    )
    rows = {
        pk: UnitRow(
            unit_id=pk,
            name=name,
            depth=depth,
            # In path order, a unit with evaluating units below it is followed by the first of them.
            has_children=index + 1 < len(units) and units[index + 1][3].startswith(path),
        )
        for index, (pk, name, depth, path) in enumerate(units)
    }
    previous = (
        Quarter.objects.filter(unit_id=OuterRef("unit_id"), status=Quarter.Status.PUBLISHED)
        .filter(Q(year__lt=year) | Q(year=year, number__lt=number))
        .order_by("-year", "-number")
        .values("id")[:1]
    )
    by_quarter: dict[int, UnitRow] = {}
    previous_of: dict[int, int] = {}  # previous published quarter id → this quarter's id
    for quarter_id, unit_id, status, previous_id in (
        Quarter.objects.filter(subtree_q(unit, "unit__"), unit__is_evaluating=True, year=year, number=number)
        .annotate(previous_id=Subquery(previous))
        .values_list("id", "unit_id", "status", "previous_id")
    ):
        row = rows.get(unit_id)
        if row is None:
            continue
        row.quarter_id, row.status = quarter_id, status
        if status == PUBLISHED:
            by_quarter[quarter_id] = row
            if previous_id is not None:
                previous_of[previous_id] = quarter_id

    summaries = summaries_for([*by_quarter, *previous_of])
    for quarter_id, row in by_quarter.items():
        summary = summaries[quarter_id]
        details = summary.details
        row.branches, row.ranked = summary.branches, summary.ranked
        row.unscored, row.excluded = summary.unscored, summary.excluded
        row.red, row.blue = list(details["red"]), list(details["blue"])
        for category in CATEGORIES:
            n = getattr(summary, f"ranked_{category}")
            if n:
                row.categories[category] = CategoryStats(
                    n=n,
                    mean=_mean(getattr(summary, f"total_{category}") / n),
                    low=Decimal(details["low"][category]),
                    high=Decimal(details["high"][category]),
                )
    for previous_id, quarter_id in previous_of.items():
        before = set(summaries[previous_id].details["blue_ids"])
        row = by_quarter[quarter_id]
        row.repeat_blue = [
            name
            for name, branch_id in zip(row.blue, summaries[quarter_id].details["blue_ids"], strict=True)
            if branch_id in before
        ]
    distributions = _distributions([summaries[q] for q in by_quarter])

    published = Q(quarter__status=Quarter.Status.PUBLISHED, quarter__year=year, quarter__number=number) & subtree_q(
        unit, "quarter__unit__"
    )
    _rectification(by_quarter, published, today)

    # The unpublished units: how many active branches each evaluates (an organisational fact).
    unpublished = {r.unit_id: r for r in rows.values() if not r.published}
    if unpublished:
        for unit_id, n in (
            Branch.objects.filter(evaluating_unit_id__in=list(unpublished), is_active=True)
            .values("evaluating_unit_id")
            .annotate(n=Count("id"))
            .values_list("evaluating_unit_id", "n")
            .order_by()
        ):
            unpublished[unit_id].branches = n
    return Rollup(unit=unit, code=code, rows=list(rows.values()), bins=bin_labels(), distributions=distributions)


def _bucket() -> Case:
    """The bin of a total, as in dashboards.stats.histogram: [below 85), [85, 88), …, [97, ∞)."""
    return Case(
        *[When(total__lt=edge, then=Value(i)) for i, edge in enumerate(DISTRIBUTION_EDGES)],
        default=Value(len(DISTRIBUTION_EDGES)),
        output_field=IntegerField(),
    )


def _distributions(summaries: list[QuarterSummary]) -> list[Distribution]:
    """Each category's totals over the given published boards, binned (from their summaries)."""
    bins = len(DISTRIBUTION_EDGES) + 1
    out = []
    for c in CATEGORIES:
        counts = [0] * bins
        n, total = 0, Decimal(0)
        for summary in summaries:
            for i, count in enumerate(summary.details["bins"].get(c, ())):
                counts[i] += count
            n += getattr(summary, f"ranked_{c}")
            total += getattr(summary, f"total_{c}")
        out.append(
            Distribution(
                category=c, label=str(Category(c).label), counts=counts, n=n, mean=_mean(total / n) if n else None
            )
        )
    return out


# --- summaries of published boards ------------------------------------------------------------------


def summaries_for(quarter_ids: list[int]) -> dict:
    """quarter id → its summary, for published quarters. One query; three more, once, for the
    quarters no roll-up has met yet (their board rows grouped, their red and blue rows, the insert)."""
    fields = [f.attname for f in QuarterSummary._meta.concrete_fields if f.name != "created_at"]
    # Named rows rather than model instances: the same attributes, without the per-row model machinery.
    found = {
        row.quarter_id: row
        for row in QuarterSummary.objects.filter(quarter_id__in=quarter_ids).values_list(*fields, named=True)
    }
    missing = [q for q in quarter_ids if q not in found]
    if missing:
        made = summaries_make(missing)
        QuarterSummary.objects.bulk_create(made, ignore_conflicts=True)  # a concurrent roll-up may have made them
        found.update((s.quarter_id, s) for s in made)
    return found


def summaries_make(quarter_ids: list[int]) -> list[QuarterSummary]:
    """The summaries of published quarters, from their BoardEntry rows (the board as published). Two queries."""
    bins = len(DISTRIBUTION_EDGES) + 1
    made: dict[int, QuarterSummary] = {}

    def summary(quarter_id: int) -> QuarterSummary:
        if quarter_id not in made:
            made[quarter_id] = QuarterSummary(
                quarter_id=quarter_id,
                branches=0,
                ranked=0,
                unscored=0,
                excluded=0,
                red_count=0,
                blue_count=0,
                details={"red": [], "blue": [], "blue_ids": [], "low": {}, "high": {}, "bins": {}},
            )
        return made[quarter_id]

    for quarter_id in quarter_ids:
        summary(quarter_id)
    for quarter_id, category, status, bucket, n, total, low, high in (
        BoardEntry.objects.filter(quarter_id__in=quarter_ids)
        .annotate(bucket=_bucket())
        .values("quarter_id", "category", "status", "bucket")
        .annotate(n=Count("id"), sum=Sum("total"), low=Min("total"), high=Max("total"))
        .values_list("quarter_id", "category", "status", "bucket", "n", "sum", "low", "high")
        .order_by()
    ):
        s = summary(quarter_id)
        s.branches += n
        if status == UNSCORED:
            s.unscored += n
        elif status == EXCLUDED:
            s.excluded += n
        if status != RANKED:
            continue
        s.ranked += n
        setattr(s, f"ranked_{category}", getattr(s, f"ranked_{category}") + n)
        setattr(s, f"total_{category}", getattr(s, f"total_{category}") + (total or 0))
        s.details["bins"].setdefault(category, [0] * bins)[bucket] += n
        lows, highs = s.details["low"], s.details["high"]
        lows[category] = str(min(low, Decimal(lows[category])) if category in lows else low)
        highs[category] = str(max(high, Decimal(highs[category])) if category in highs else high)
    for quarter_id, branch_id, name, board in (
        BoardEntry.objects.filter(quarter_id__in=quarter_ids)
        .exclude(board="")
        .order_by("quarter_id", "category", "rank", "branch_name")
        .values_list("quarter_id", "branch_id", "branch_name", "board")
    ):
        s = summary(quarter_id)
        if board == RED:
            s.red_count += 1
            s.details["red"].append(name)
        else:
            s.blue_count += 1
            s.details["blue"].append(name)
            s.details["blue_ids"].append(branch_id)
    return list(made.values())


def _rectification(by_quarter: dict[int, UnitRow], published: Q, today) -> None:
    """Each published quarter's rectification items: how many, how many accepted, how many overdue. One query."""
    for quarter_id, items, accepted, overdue in (
        RectificationItem.objects.filter(_through(published, "interview__"))
        .values("interview__quarter_id")
        .annotate(
            items=Count("id"),
            accepted=Count("id", filter=Q(status=ItemStatus.ACCEPTED)),
            late=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        )
        .values_list("interview__quarter_id", "items", "accepted", "late")
        .order_by()
    ):
        row = by_quarter.get(quarter_id)
        if row is not None:
            row.items, row.accepted, row.overdue = items, accepted, overdue


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


# --- the trend ----------------------------------------------------------------------------------


@dataclass
class TrendPoint:
    """One quarter code over the subtree: how many units published, and their boards' numbers."""

    code: str
    units: int = 0  # evaluating units with a quarter of this code
    published: int = 0
    ranked: int = 0
    red: int = 0
    blue: int = 0
    means: dict[str, Decimal | None] = field(default_factory=dict)
    items: int = 0
    accepted: int = 0
    overdue: int = 0

    @property
    def completion(self) -> int | None:
        return round(self.accepted * 100 / self.items) if self.items else None

    def mean_list(self) -> list[tuple[str, Decimal | None]]:
        return [(CATEGORY_SYMBOLS[Category(c)], self.means.get(c)) for c in Category.values]


def trend_for(unit: Unit, *, limit: int = 8, today=None) -> list[TrendPoint]:
    """The subtree's last `limit` quarter codes, oldest first. Four queries whatever the number of
    units (codes, quarters without a summary yet, the summaries per code, rectification per code);
    three more, once, when some published quarter has no summary yet."""
    today = today or timezone.localdate()
    points: dict[tuple[int, int], TrendPoint] = {}
    for year, number, units, published_units in (
        Quarter.objects.filter(subtree_q(unit, "unit__"), unit__is_evaluating=True)
        .values("year", "number")
        .annotate(units=Count("id"), published=Count("id", filter=Q(status=Quarter.Status.PUBLISHED)))
        .values_list("year", "number", "units", "published")
        .order_by("-year", "-number")[:limit]
    ):
        points[(year, number)] = TrendPoint(code=f"{year}Q{number}", units=units, published=published_units)
    if not points:
        return []
    oldest = min(points)
    published = (
        Q(quarter__status=Quarter.Status.PUBLISHED, quarter__unit__is_evaluating=True)
        & (Q(quarter__year__gt=oldest[0]) | Q(quarter__year=oldest[0], quarter__number__gte=oldest[1]))
        & subtree_q(unit, "quarter__unit__")
    )
    missing = list(
        Quarter.objects.filter(_through(published, "", strip="quarter__"), summary__isnull=True).values_list(
            "id", flat=True
        )
    )
    if missing:
        QuarterSummary.objects.bulk_create(summaries_make(missing), ignore_conflicts=True)
    sums = {f"{field}_{c}": Sum(f"{field}_{c}") for field in ("ranked", "total") for c in Category.values}
    rows = cast(
        Iterable[dict[str, Any]],
        QuarterSummary.objects.filter(published)
        .values("quarter__year", "quarter__number")
        .annotate(ranked=Sum("ranked"), red=Sum("red_count"), blue=Sum("blue_count"), **sums)
        .order_by(),
    )
    for row in rows:
        point = points.get((row["quarter__year"], row["quarter__number"]))
        if point is None:
            continue
        point.ranked, point.red, point.blue = row["ranked"], row["red"], row["blue"]
        for c in CATEGORIES:
            n = row[f"ranked_{c}"]
            point.means[c] = _mean(row[f"total_{c}"] / n) if n else None
    for year, number, items, accepted, overdue in (
        RectificationItem.objects.filter(_through(published, "interview__"))
        .values("interview__quarter__year", "interview__quarter__number")
        .annotate(
            items=Count("id"),
            accepted=Count("id", filter=Q(status=ItemStatus.ACCEPTED)),
            late=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        )
        .values_list("interview__quarter__year", "interview__quarter__number", "items", "accepted", "late")
        .order_by()
    ):
        point = points.get((year, number))
        if point is not None:
            point.items, point.accepted, point.overdue = items, accepted, overdue
    return [points[key] for key in sorted(points)]


def quarter_of_code(unit: Unit, code: str) -> Quarter:
    """One quarter of the code in the subtree (the unit's own first): what an export job of the
    roll-up records as its quarter. One or two queries."""
    check_code(unit, code)
    quarters = Quarter.objects.filter(subtree_q(unit, "unit__"), code=code)
    quarter = quarters.filter(unit=unit).first() or quarters.order_by("unit__path").first()
    assert quarter is not None  # check_code found one
    return quarter
