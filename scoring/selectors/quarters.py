"""Reads for quarters: the current one, the switcher, progress, category locks, contribution points."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from branches.models import Branch, Category
from scoring.models import (
    ContributionPoint,
    Quarter,
    ScoreSheet,
)


def quarter_current(user=None) -> Quarter | None:
    """The quarter people are working on: the latest one not yet published, else the latest — of
    the user's own evaluating unit (every unit's without a user)."""
    quarters = Quarter.objects.run_by(user) if user is not None else Quarter.objects.all()
    open_quarter = quarters.exclude(status=Quarter.Status.PUBLISHED).newest_first().first()
    return open_quarter or quarters.newest_first().first()


def quarters_all(user=None) -> list[Quarter]:
    """The user's own unit's quarters (every quarter without a user), newest first (the switcher)."""
    quarters = Quarter.objects.run_by(user) if user is not None else Quarter.objects.all()
    return list(quarters.newest_first())


def quarter_contributions(quarter: Quarter) -> list[ContributionPoint]:
    return list(
        ContributionPoint.objects.filter(quarter=quarter)
        .select_related("branch", "created_by")
        .order_by("branch__category", "branch__name", "id")
    )


def contribution_totals(items: list[ContributionPoint]) -> list[tuple[Branch, Decimal]]:
    """Per-branch sums of already loaded items, in the items' order."""
    totals: dict[int, tuple[Branch, Decimal]] = {}
    for item in items:
        branch, total = totals.get(item.branch_id, (item.branch, Decimal("0")))
        totals[item.branch_id] = (branch, total + item.points)
    return list(totals.values())


def quarter_progress(quarter: Quarter) -> dict[str, int]:
    """Counts for 党建部's quarter page: sheets, submitted sheets, branches still unassigned."""
    sheets = ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).aggregate(
        total=Count("id"), submitted=Count("id", filter=Q(status=ScoreSheet.Status.SUBMITTED))
    )
    active = Branch.objects.for_quarter(quarter).count()
    return {
        "sheets": sheets["total"],
        "submitted": sheets["submitted"],
        "branches": active,
        "unassigned": Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .count(),
        "groups": quarter.groups.count(),
    }


def quarter_scoring_branch(branch) -> Quarter | None:
    """A quarter being scored (评分中 or 已截止, not yet published) that includes the branch: every
    active branch is on such a quarter's board, an inactive one where it has a sheet. While there
    is one, the branch's category — the board it is ranked on — cannot change. One query."""
    open_quarters = Quarter.objects.filter(status__in=[Quarter.Status.SCORING, Quarter.Status.CLOSED])
    if branch.evaluating_unit_id is not None:  # only its own evaluating unit's quarters include it
        open_quarters = open_quarters.filter(unit_id=branch.evaluating_unit_id)
    if not branch.is_active:
        open_quarters = open_quarters.filter(sheets__branch=branch)
    return open_quarters.order_by("year", "number").first()


def category_locked_message(branch, quarter: Quarter, new_category: str) -> str:
    """Why the branch's category cannot become `new_category` now, in Chinese."""

    return _(
        "“%(branch)s”正在参加 %(code)s 季度考评（%(status)s），评分期间不能修改类别（%(old)s → %(new)s）。"
        "请在该季度发布后再修改。"
    ) % {
        "branch": branch.name,
        "code": quarter.code,
        "status": quarter.get_status_display(),
        "old": Category(branch.category).label,
        "new": Category(new_category).label,
    }


def scoring_category_lock(branch, new_category: str) -> str | None:
    """Why the branch's category cannot become `new_category`: a quarter including it is being
    scored (registered with branches.category_locks in ScoringConfig.ready())."""
    quarter = quarter_scoring_branch(branch)
    return category_locked_message(branch, quarter, new_category) if quarter else None


# --- the scheme editor and the new quarter's summary ---------------------------------------------------
