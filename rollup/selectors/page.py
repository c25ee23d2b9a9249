"""The roll-up as its pages show it: the subtree's totals summed in SQL, and one page of units.

A headquarters has 1,540 evaluating units; its page shows the totals, the distribution and 50 of
them (the big screen 8). Every total is a column of the published boards' summaries
(rollup.models.QuarterSummary), so it is one aggregate over the subtree, and only the rows shown
are read: the number of queries and the rows read from Python do not depend on the number of units.
The whole roll-up (every unit, for `rollup --json` and the workbook) is rollup.selectors.rollup."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from branches.models import Branch, Category, Unit
from dashboards.stats import bin_labels
from interviews.models import OPEN_STATUSES, ItemStatus, RectificationItem
from rollup.models import BIN_COUNT, QuarterSummary, bin_field
from rollup.selectors.common import CATEGORIES, PUBLISHED, _mean, _tenth, _through, check_code, subtree_q
from rollup.selectors.rollup import Distribution, UnitRow, row_fill
from rollup.selectors.summaries import summaries_make
from scoring.models import Quarter

STATES = ("all", "published", "unpublished", "attention")


@dataclass
class RollupPage:
    """The subtree's totals (every published unit) and the page of units shown."""

    unit: Unit
    code: str
    unit_count: int  # evaluating units of the subtree
    published_count: int
    total_branches: int
    total_ranked: int
    total_unscored: int
    total_excluded: int
    total_red: int
    total_blue: int
    repeat_blue_count: int
    total_items: int
    total_accepted: int
    total_overdue: int
    distributions: list[Distribution]
    page: Page
    bins: list[str] = field(default_factory=bin_labels)

    @property
    def rows(self) -> list[UnitRow]:
        return list(self.page.object_list)

    @property
    def completion(self) -> int | None:
        return round(self.total_accepted * 100 / self.total_items) if self.total_items else None


def _published(year: int, number: int, top: Unit, prefix: str) -> Q:
    """The subtree's evaluating units' published quarters of the code, reached through `prefix`."""
    return subtree_q(top, f"{prefix}unit__") & Q(
        **{
            f"{prefix}unit__is_evaluating": True,
            f"{prefix}status": PUBLISHED,
            f"{prefix}year": year,
            f"{prefix}number": number,
        }
    )


def _late(today) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def _with_quarter(units: QuerySet, year: int, number: int) -> QuerySet:
    quarter = Quarter.objects.filter(unit_id=OuterRef("pk"), year=year, number=number)
    return units.annotate(quarter_id=Subquery(quarter.values("id")[:1]), status=Subquery(quarter.values("status")[:1]))


def _units(top: Unit, year: int, number: int, state: str, search: str, published: Q, today) -> QuerySet:
    """The subtree's evaluating units matching the filter, in drill-down order: the unit itself,
    the next level, then the levels below. Only what the filter needs is computed per unit (the
    states compare against sets asked once, not a subquery per unit)."""
    units = Unit.objects.filter(subtree_q(top), is_evaluating=True)
    # A unit has at most one quarter of a code: the states are a join on it (or its absence).
    code = {"quarters__year": year, "quarters__number": number}
    if state == "published":
        units = units.filter(quarters__status=PUBLISHED, **code)
    elif state == "unpublished":
        units = units.exclude(
            pk__in=Quarter.objects.filter(status=PUBLISHED, year=year, number=number).values("unit_id")
        )
    elif state == "attention":
        repeat = QuarterSummary.objects.filter(published, repeat_blue__gt=0).values("quarter_id")
        late = RectificationItem.objects.filter(_late(today), _through(published, "interview__"))
        units = units.filter(
            Q(quarters__id__in=repeat) | Q(quarters__id__in=late.values("interview__quarter_id")),
            quarters__status=PUBLISHED,
            **code,
        )
    if search:
        units = units.filter(name__contains=search)
    return units.order_by("depth", "path")


def _shown(page_units: QuerySet, year: int, number: int) -> QuerySet:
    """The page's units (a sliced subquery of ids: PostgreSQL would otherwise compute the columns
    below for every unit before the page's offset), each with its quarter of the code, whether
    evaluating units lie below it, and the active branches it evaluates."""
    below = Unit.objects.filter(is_evaluating=True, path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))
    active = (
        Branch.objects.filter(evaluating_unit_id=OuterRef("pk"), is_active=True)
        .order_by()
        .values("evaluating_unit_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    shown = Unit.objects.filter(pk__in=page_units.values("pk"))
    return (
        _with_quarter(shown, year, number)
        .annotate(has_children=Exists(below), active=Subquery(active))
        .order_by("depth", "path")
    )


def rollup_page(
    top: Unit, code: str, *, state: str = "all", search: str = "", number=None, per_page: int = 50, today=None
) -> RollupPage:
    """The page of `top`'s roll-up for `code`. Eight queries whatever the number of units (the code
    exists; published quarters without a summary; the totals; the rectification totals; the units
    matching the filter, counted; the page's units; their summaries; their rectification counts —
    the last two not asked when no shown unit has published); four more, once, when some published
    quarter has no summary yet; one more for a filtered page (the subtree's evaluating units)."""
    year, quarter_number = check_code(top, code)
    today = today or timezone.localdate()
    published = _published(year, quarter_number, top, "quarter__")
    missing = list(
        Quarter.objects.filter(_published(year, quarter_number, top, ""), summary__isnull=True).values_list(
            "id", flat=True
        )
    )
    if missing:
        QuarterSummary.objects.bulk_create(summaries_make(missing), ignore_conflicts=True)
    sums = ["branches", "ranked", "unscored", "excluded", "red_count", "blue_count", "repeat_blue"]
    sums += [f"{name}_{c}" for name in ("ranked", "total") for c in CATEGORIES]
    sums += [bin_field(c, i) for c in CATEGORIES for i in range(BIN_COUNT)]
    extremes = {f"low_{c}": Min(f"low_{c}") for c in CATEGORIES} | {f"high_{c}": Max(f"high_{c}") for c in CATEGORIES}
    totals = QuarterSummary.objects.filter(published).aggregate(
        published=Count("pk"), **{name: Sum(name) for name in sums}, **extremes
    )
    rectification = RectificationItem.objects.filter(_through(published, "interview__")).aggregate(
        items=Count("id"),
        accepted=Count("id", filter=Q(status=ItemStatus.ACCEPTED)),
        late=Count("id", filter=_late(today)),
    )
    units = _units(top, year, quarter_number, state if state in STATES else "all", search, published, today)
    current = Paginator(units, per_page).get_page(number)
    unit_count = current.paginator.count
    if state != "all" or search:
        unit_count = Unit.objects.filter(subtree_q(top), is_evaluating=True).count()
    page_units = cast(QuerySet, current.object_list)  # a slice of `units`: the page's ids, as a subquery
    current.object_list = _rows(_shown(page_units, year, quarter_number), today)
    return RollupPage(
        unit=top,
        code=code,
        unit_count=unit_count,
        published_count=totals["published"],
        total_branches=totals["branches"] or 0,
        total_ranked=totals["ranked"] or 0,
        total_unscored=totals["unscored"] or 0,
        total_excluded=totals["excluded"] or 0,
        total_red=totals["red_count"] or 0,
        total_blue=totals["blue_count"] or 0,
        repeat_blue_count=totals["repeat_blue"] or 0,
        total_items=rectification["items"],
        total_accepted=rectification["accepted"],
        total_overdue=rectification["late"],
        distributions=_distributions(totals),
        page=current,
    )


def _distributions(totals: dict) -> list[Distribution]:
    out = []
    for c in CATEGORIES:
        n = totals[f"ranked_{c}"] or 0
        total = totals[f"total_{c}"]
        counts = [totals[bin_field(c, i)] or 0 for i in range(BIN_COUNT)]
        mean = _mean(Decimal(total) / n) if n and total is not None else None
        out.append(
            Distribution(
                category=c,
                label=str(Category(c).label),
                counts=counts,
                n=n,
                mean=mean,
                low=_tenth(totals[f"low_{c}"]),
                high=_tenth(totals[f"high_{c}"]),
            )
        )
    return out


def _rows(units, today) -> list[UnitRow]:
    """The shown units as roll-up rows: their summaries and rectification counts, two queries at most."""
    rows: list[UnitRow] = []
    by_quarter: dict[int, UnitRow] = {}
    for pk, name, depth, quarter_id, status, has_children, active in units.values_list(
        "pk", "name", "depth", "quarter_id", "status", "has_children", "active"
    ):
        row = UnitRow(unit_id=pk, name=name, depth=depth, has_children=has_children, quarter_id=quarter_id)
        row.status = status or ""
        row.branches = active or 0
        rows.append(row)
        if status == PUBLISHED:
            by_quarter[quarter_id] = row
    if not by_quarter:
        return rows
    fields = [f.attname for f in QuarterSummary._meta.concrete_fields if f.name != "created_at"]
    for summary in QuarterSummary.objects.filter(quarter_id__in=list(by_quarter)).values_list(*fields, named=True):
        row_fill(
            by_quarter[summary.quarter_id],
            summary,
            lambda summary, kind, category: _tenth(getattr(summary, f"{kind}_{category}")),
        )
    for quarter_id, items, accepted, late in (
        RectificationItem.objects.filter(interview__quarter_id__in=list(by_quarter))
        .values("interview__quarter_id")
        .annotate(
            items=Count("id"),
            accepted=Count("id", filter=Q(status=ItemStatus.ACCEPTED)),
            late=Count("id", filter=_late(today)),
        )
        .values_list("interview__quarter_id", "items", "accepted", "late")
        .order_by()
    ):
        row = by_quarter[quarter_id]
        row.items, row.accepted, row.overdue = items, accepted, late
    return rows


__all__ = ["STATES", "RollupPage", "rollup_page"]
