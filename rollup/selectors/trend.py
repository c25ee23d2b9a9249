"""The trend over the subtree's last quarter codes, from the summaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, Sum
from django.utils import timezone

from branches.models import CATEGORY_SYMBOLS, Category, Unit
from interviews.models import OPEN_STATUSES, ItemStatus, RectificationItem
from rollup.models import QuarterSummary
from rollup.selectors.common import CATEGORIES, _mean, _through, subtree_q
from rollup.selectors.summaries import summaries_make
from scoring.models import Quarter


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
