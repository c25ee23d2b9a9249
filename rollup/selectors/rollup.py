"""The roll-up of one unit for one quarter code: every evaluating unit below, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from branches.models import CATEGORY_SYMBOLS, Branch, Category, Unit
from dashboards.stats import DISTRIBUTION_EDGES, bin_labels
from interviews.models import OPEN_STATUSES, ItemStatus, RectificationItem
from rollup.models import QuarterSummary
from rollup.selectors.common import CATEGORIES, PUBLISHED, _mean, _through, check_code, subtree_q
from rollup.selectors.summaries import summaries_for
from scoring.models import Quarter


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
    low: Decimal | None = None  # the lowest and highest ranked total (the pages' SQL aggregate gives them)
    high: Decimal | None = None


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


def _exact_bound(summary, kind: str, category: str) -> Decimal:
    return Decimal(summary.details[kind][category])


def row_fill(row: UnitRow, summary, bound) -> None:
    """A published unit's row from its board's summary (a QuarterSummary or a named row of its
    columns); `bound(summary, kind, category)` gives the lowest ("low") or highest ("high") total,
    exact for the whole roll-up, to the tenth on the page."""
    details = summary.details
    row.name = details.get("unit_name", row.name)  # the name it was published under
    row.branches, row.ranked = summary.branches, summary.ranked
    row.unscored, row.excluded = summary.unscored, summary.excluded
    row.red, row.blue = list(details["red"]), list(details["blue"])
    row.repeat_blue = list(details.get("repeat_blue", ()))
    for category in CATEGORIES:
        n = getattr(summary, f"ranked_{category}")
        if n:
            row.categories[category] = CategoryStats(
                n=n,
                mean=_mean(getattr(summary, f"total_{category}") / n),
                low=bound(summary, "low", category),
                high=bound(summary, "high", category),
            )


def rollup_for(unit: Unit, code: str, *, today=None) -> Rollup:
    """The whole roll-up of `unit` for quarter `code`, every evaluating unit of the subtree: what
    `rollup --json` and the workbook print (the pages read rollup.selectors.page instead, which
    reads only the rows they show). Six queries whatever the number of units: the code's
    existence, the evaluating units, their quarters of this code, the published boards' summaries
    (five more, once, for boards published before summaries were kept), the rectification counts,
    and the active branches of the unpublished units (not asked when every unit has published)."""
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
    by_quarter: dict[int, UnitRow] = {}
    for quarter_id, unit_id, status in Quarter.objects.filter(
        subtree_q(unit, "unit__"), unit__is_evaluating=True, year=year, number=number
    ).values_list("id", "unit_id", "status"):
        row = rows.get(unit_id)
        if row is None:
            continue
        row.quarter_id, row.status = quarter_id, status
        if status == PUBLISHED:
            by_quarter[quarter_id] = row

    summaries = summaries_for(list(by_quarter))
    for quarter_id, row in by_quarter.items():
        summary = summaries[quarter_id]
        row_fill(row, summary, _exact_bound)
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


def _distributions(summaries: list[QuarterSummary]) -> list[Distribution]:
    """Each category's totals over the given published boards, binned (from their summaries)."""
    bins = len(DISTRIBUTION_EDGES) + 1
    out = []
    for c in CATEGORIES:
        counts = [0] * bins
        n, total = 0, Decimal(0)
        lows, highs = [], []
        for summary in summaries:
            for i, count in enumerate(summary.details["bins"].get(c, ())):
                counts[i] += count
            n += getattr(summary, f"ranked_{c}")
            total += getattr(summary, f"total_{c}")
            if c in summary.details["low"]:
                lows.append(Decimal(summary.details["low"][c]))
                highs.append(Decimal(summary.details["high"][c]))
        out.append(
            Distribution(
                category=c,
                label=str(Category(c).label),
                counts=counts,
                n=n,
                mean=_mean(total / n) if n else None,
                low=min(lows, default=None),
                high=max(highs, default=None),
            )
        )
    return out


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
