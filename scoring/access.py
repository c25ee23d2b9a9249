"""Who may see and write what in the cross-inspection. One helper per object type.

Outsiders get 404 (they learn nothing about the object); read-only roles (党建部 and leadership
reading a sheet, a group member facing a locked sheet) get 403.

Units (issue 17): 党建部 runs the quarters of its own evaluating unit only (branches.units.runs);
another unit's quarters, groups, scheme and points are 404 to it. Leadership and 党建部 read the
sheets and groups of their own unit's quarters, and of the units below once published.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from branches import roles
from branches.units import home_unit, runs, within_reach
from scoring.models import ContributionPoint, DeductionItem, Indicator, InspectionGroup, Quarter, ScoreSheet
from scoring.services import member_branch_ids


def require_dept(user) -> None:
    """党建部 pages: groups, assignment, returns, contribution points, quarter actions."""
    if not roles.is_dept(user):
        raise PermissionDenied(_("只有党建部可以进行此操作。"))


def dept_unit(user):
    """The evaluating unit whose quarters this 党建部 runs (404 for an account with none)."""
    unit = home_unit(user)
    if unit is None or not unit.is_evaluating:
        raise Http404
    return unit


def quarter_for_dept(user, code: str) -> Quarter:
    """A quarter of the unit 党建部 runs; another unit's quarter does not exist for it (404)."""
    require_dept(user)
    return get_object_or_404(Quarter.objects.run_by(user).select_related("unit"), code=code)


def group_for_dept(user, pk: int) -> InspectionGroup:
    require_dept(user)
    return get_object_or_404(
        InspectionGroup.objects.select_related("quarter"), pk=pk, quarter__in=Quarter.objects.run_by(user)
    )


def indicator_for_dept(user, pk: int) -> Indicator:
    require_dept(user)
    return get_object_or_404(
        Indicator.objects.select_related("quarter"), pk=pk, quarter__in=Quarter.objects.run_by(user)
    )


def deduction_for_dept(user, pk: int) -> DeductionItem:
    require_dept(user)
    return get_object_or_404(
        DeductionItem.objects.select_related("indicator__quarter"),
        pk=pk,
        indicator__quarter__in=Quarter.objects.run_by(user),
    )


def contribution_for_dept(user, pk: int) -> ContributionPoint:
    require_dept(user)
    return get_object_or_404(
        ContributionPoint.objects.select_related("quarter"), pk=pk, quarter__in=Quarter.objects.run_by(user)
    )


def reads_quarter_work(user, quarter: Quarter) -> bool:
    """党建部 and leadership read a quarter's groups and sheets: their own unit's always, a unit's
    below theirs once published (subtree by path, no lists of ids)."""
    if not roles.can_read_everything(user):
        return False
    return runs(user, quarter.unit) or (quarter.is_published and within_reach(user, quarter.unit))


def is_group_member(user, group_id: int | None) -> bool:
    """An inspector sitting in the group. Without the inspector role a person inspects nothing."""
    if group_id is None or not roles.has_role(user, roles.INSPECTOR):
        return False
    cache = user.__dict__.setdefault("_group_membership", {})  # per request, like role_names
    if group_id not in cache:
        cache[group_id] = InspectionGroup.members.through.objects.filter(
            inspectiongroup_id=group_id, user_id=user.pk
        ).exists()
    return cache[group_id]


def own_branch_ids(user) -> set[int]:
    """The organisations the user belongs to: their own and, for a 下设支部, its 党总支."""
    cached = getattr(user, "_own_branch_ids", None)
    if cached is None:
        cached = user._own_branch_ids = member_branch_ids(user)
    return cached


def group_for_reader(user, pk: int) -> InspectionGroup:
    group = get_object_or_404(InspectionGroup.objects.select_related("quarter__unit", "leader"), pk=pk)
    if reads_quarter_work(user, group.quarter) or is_group_member(user, group.pk):
        return group
    raise Http404


def sheet_for_reader(user, pk: int) -> ScoreSheet:
    """A sheet for reading: 党建部 and leadership read every sheet; a group member reads the
    group's sheets except one of their own organisation (403)."""
    sheet = get_object_or_404(ScoreSheet.objects.select_related("quarter__unit", "branch", "group"), pk=pk)
    if reads_quarter_work(user, sheet.quarter):
        return sheet
    if not is_group_member(user, sheet.group_id):
        raise Http404
    if sheet.branch_id in own_branch_ids(user):
        raise PermissionDenied(_("按交叉互查规则，您不能检查本人所在的党组织。"))
    return sheet


def sheet_writable_by(user, sheet: ScoreSheet) -> bool:
    """Whether the group member may write the sheet now (the reasons are in sheet_for_writer)."""
    return (
        sheet.quarter.is_scoring
        and not sheet.is_submitted
        and sheet.branch_id not in own_branch_ids(user)
        and is_group_member(user, sheet.group_id)
    )


def sheet_for_writer(user, pk: int) -> ScoreSheet:
    """A sheet for writing: only members of its group, never for their own organisation, and
    only while the quarter is 评分中. (A submitted sheet is refused by the service with a message.)"""
    sheet = sheet_for_reader(user, pk)
    if not is_group_member(user, sheet.group_id):
        raise PermissionDenied(_("您可以查看该评分表，但只有其检查组成员可以评分。"))
    if sheet.branch_id in own_branch_ids(user):
        raise PermissionDenied(_("按交叉互查规则，您不能检查本人所在的党组织。"))
    if not sheet.quarter.is_scoring:
        raise PermissionDenied(
            _("季度 %(code)s 当前为“%(status)s”，不能录入评分。")
            % {"code": sheet.quarter.code, "status": sheet.quarter.get_status_display()}
        )
    return sheet
