"""Reads for inspection groups: their branches and progress, the unassigned branches."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Prefetch, Q

from branches import roles
from branches.models import Branch, Category, User
from scoring.models import (
    InspectionGroup,
    Quarter,
    ScoreSheet,
)
from scoring.selectors.scheme import required_counts


def _with_progress(sheets) -> list[ScoreSheet]:
    """Sheets with `.scored` (indicators given a value) and `.required`. Two queries, whatever N."""
    sheets = list(
        sheets.select_related("branch", "group").annotate(scored=Count("scores", filter=Q(scores__value__isnull=False)))
    )
    required = required_counts({s.quarter_id for s in sheets})
    for sheet in sheets:
        sheet.required = required.get((sheet.quarter_id, sheet.branch.category), 0)
    return sheets


def group_sheets(group: InspectionGroup) -> list[ScoreSheet]:
    """The group's branches with their progress, in category then name order."""
    return _with_progress(ScoreSheet.objects.filter(group=group).order_by("branch__category", "branch__name"))


@dataclass
class GroupProgress:
    group: InspectionGroup
    sheets: int = 0
    submitted: int = 0
    scored: int = 0
    required: int = 0


def groups_progress(groups) -> list[GroupProgress]:
    """Progress of each group of a queryset, in its order. Three queries, whatever N."""
    progress = {g.pk: GroupProgress(group=g) for g in groups.select_related("quarter", "leader")}
    if not progress:
        return []
    required = required_counts({p.group.quarter_id for p in progress.values()})
    rows = (
        ScoreSheet.objects.filter(group__in=progress)
        .values_list("group_id", "quarter_id", "branch__category", "status")
        .annotate(n=Count("id", distinct=True), scored=Count("scores", filter=Q(scores__value__isnull=False)))
    )
    for group_id, quarter_id, category, status, n, scored in rows:
        p = progress[group_id]
        p.sheets += n
        p.submitted += n if status == ScoreSheet.Status.SUBMITTED else 0
        p.scored += scored
        p.required += n * required.get((quarter_id, category), 0)
    return list(progress.values())


def quarter_groups_progress(quarter: Quarter) -> list[GroupProgress]:
    return groups_progress(InspectionGroup.objects.filter(quarter=quarter).order_by("pk"))


def inspector_groups(user, *, quarters=None) -> list[GroupProgress]:
    """The groups a person sits in (newest quarter first) with their progress."""
    groups = InspectionGroup.objects.filter(members=user)
    if quarters is not None:
        groups = groups.filter(quarter__in=quarters)
    return groups_progress(groups.order_by("-quarter__year", "-quarter__number", "pk"))


def quarter_groups(quarter: Quarter) -> list[InspectionGroup]:
    """The quarter's groups, each with `.member_list` and `.sheet_list` (with progress). Four queries."""
    groups: list[InspectionGroup] = list(
        InspectionGroup.objects.filter(quarter=quarter)
        .select_related("leader")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.select_related("branch").order_by("name"), to_attr="member_list")
        )
        .order_by("pk")
    )
    by_group = defaultdict(list)
    for sheet in _with_progress(
        ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).order_by("branch__category", "branch__name")
    ):
        by_group[sheet.group_id].append(sheet)
    for group in groups:
        sheets = by_group[group.pk]
        group.sheet_list = sheets  # type: ignore[attr-defined]  # for the page
        # Which categories the group inspects, e.g. [("Ⅰ类", 10)]; more than one is a mix to see.
        counts = Counter(sheet.branch.category for sheet in sheets)
        group.category_counts = [(Category(c).label, n) for c, n in sorted(counts.items())]  # type: ignore[attr-defined]
    return groups


def unassigned_branches(quarter: Quarter) -> list[Branch]:
    return list(
        Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .order_by("category", "name")
    )


def inspectors(unit=None):
    """The active inspectors, of `unit` (an evaluating unit) when given: accounts held in a unit or
    a branch it evaluates (accounts with neither, from before the unit tree, are the company's)."""
    found = User.objects.filter(groups__name=roles.INSPECTOR, is_active=True)
    if unit is not None:
        mine = Q(unit__evaluating_unit=unit) | Q(unit__isnull=True, branch__evaluating_unit=unit)
        if unit.name == settings.COMPANY_NAME:
            mine |= Q(unit__isnull=True, branch__isnull=True)
        found = found.filter(mine)
    return found.select_related("branch").order_by("name")
