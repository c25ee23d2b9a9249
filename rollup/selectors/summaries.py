"""One summary row per published board (rollup.models.QuarterSummary), made once from its frozen rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum, Value, When

from boards.models import Board, BoardEntry
from dashboards.stats import DISTRIBUTION_EDGES
from rollup.models import QuarterSummary, bin_field
from rollup.selectors.common import EXCLUDED, PUBLISHED, RANKED, RED, UNSCORED
from scoring.models import Quarter


def _bucket() -> Case:
    """The bin of a total, as in dashboards.stats.histogram: [below 85), [85, 88), …, [97, ∞)."""
    return Case(
        *[When(total__lt=edge, then=Value(i)) for i, edge in enumerate(DISTRIBUTION_EDGES)],
        default=Value(len(DISTRIBUTION_EDGES)),
        output_field=IntegerField(),
    )


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
    """The summaries of published quarters, from their BoardEntry rows (the board as published), and
    their branches blue for the second quarter running (blue on the unit's previous published
    board too). Four queries."""
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
                details={"red": [], "blue": [], "blue_ids": [], "repeat_blue": [], "low": {}, "high": {}, "bins": {}},
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
    _repeat_blue(made)
    for s in made.values():  # the columns the roll-up pages sum in SQL
        for category, counts in s.details["bins"].items():
            for i, count in enumerate(counts):
                setattr(s, bin_field(category, i), count)
        for category, low in s.details["low"].items():
            setattr(s, f"low_{category}", Decimal(low))
            setattr(s, f"high_{category}", Decimal(s.details["high"][category]))
    return list(made.values())


def _repeat_blue(made: dict[int, QuarterSummary]) -> None:
    """Each summary's blue branches that were blue on its unit's previous published board. Two queries."""
    previous = (
        Quarter.objects.filter(unit_id=OuterRef("unit_id"), status=PUBLISHED)
        .filter(Q(year__lt=OuterRef("year")) | Q(year=OuterRef("year"), number__lt=OuterRef("number")))
        .order_by("-year", "-number")
        .values("id")[:1]
    )
    previous_of = dict(
        Quarter.objects.filter(pk__in=list(made))
        .annotate(previous_id=Subquery(previous))
        .exclude(previous_id=None)
        .values_list("previous_id", "id")
    )
    if not previous_of:
        return
    before: dict[int, set[int]] = {}
    for quarter_id, branch_id in BoardEntry.objects.filter(
        quarter_id__in=list(previous_of), board=Board.BLUE
    ).values_list("quarter_id", "branch_id"):
        before.setdefault(previous_of[quarter_id], set()).add(branch_id)
    for quarter_id, blue_before in before.items():
        s = made[quarter_id]
        ids = s.details["blue_ids"]
        s.details["repeat_blue"] = [n for n, b in zip(s.details["blue"], ids, strict=True) if b in blue_before]
        s.repeat_blue = len(s.details["repeat_blue"])


def summary_store_at_publication(quarter: Quarter) -> None:
    """The published board's summary, written with the publication (boards.publication_parts), with
    the name its unit has now: the roll-up shows a published unit under the name it was published
    with, as the board shows its branches."""
    (summary,) = summaries_make([quarter.pk])
    summary.details["unit_name"] = quarter.unit.name
    QuarterSummary.objects.filter(pk=quarter.pk).delete()  # a roll-up may have met it (a re-publication)
    summary.save(force_insert=True)
