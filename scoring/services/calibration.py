"""Calibration branches (校准党组织): branches every inspection group scores, to measure severity."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from branches.models import Branch, User
from scoring.models import CalibrationBranch, InspectionGroup, Problem, Quarter, Score, ScoreChange, ScoreSheet
from scoring.services.groups import _check_assignments_editable, cross_rule_conflicts


@transaction.atomic
def calibration_mark(*, quarter: Quarter, branch: Branch, actor: User) -> CalibrationBranch:
    """Make `branch` a calibration branch of `quarter`: every group of the quarter gets a sheet for
    it (the cross rule still holds: a group with a member from the branch refuses it, and nothing is
    written). Marking again adds sheets for groups created since. The board ranks the branch on the
    mean of the groups' scores, as for any branch scored by more than one group."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    if not branch.is_active:
        raise ValidationError({"branch": _("“%(branch)s”不参加考评。") % {"branch": branch.name}})
    groups = list(
        InspectionGroup.objects.filter(quarter=quarter)
        .prefetch_related(Prefetch("members", queryset=User.objects.select_related("branch")))
        .order_by("pk")
    )
    if len(groups) < 2:
        raise ValidationError(_("校准党组织需要由至少两个检查组评分，本季度检查组不足两个。"))
    blocked = [
        _("%(group)s（组员%(members)s属于该党组织）")
        % {"group": g.name, "members": "、".join(str(m) for m in conflicts)}
        for g in groups
        if (conflicts := cross_rule_conflicts(members=g.members.all(), branch=branch))
    ]
    if blocked:
        raise ValidationError(
            {
                "branch": _("按交叉互查规则，“%(branch)s”不能由所有检查组评分：%(groups)s。请选择其他党组织。")
                % {"branch": branch.name, "groups": "；".join(blocked)}
            }
        )
    marked, _created = CalibrationBranch.objects.get_or_create(
        quarter=quarter, branch=branch, defaults={"created_by": actor}
    )
    has_sheet = set(ScoreSheet.objects.filter(quarter=quarter, branch=branch).values_list("group_id", flat=True))
    for group in groups:
        if group.pk in has_sheet:
            continue
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, group=group, version=1)
        ScoreChange.objects.create(
            sheet=sheet, field=ScoreChange.Field.ASSIGN, old="", new=group.name, user=actor, version=1
        )
    return marked


@transaction.atomic
def calibration_unmark(*, calibration: CalibrationBranch, actor: User) -> None:
    """Stop calibrating a branch: the sheets added for it (all but the first assigned) are removed,
    which is refused once any of them has a score or a problem entered."""
    quarter = Quarter.objects.select_for_update().get(pk=calibration.quarter_id)
    _check_assignments_editable(quarter)
    sheets = list(
        ScoreSheet.objects.filter(quarter=quarter, branch_id=calibration.branch_id, group__isnull=False).order_by("pk")
    )
    extra = sheets[1:]
    if (
        Score.objects.filter(sheet__in=extra, value__isnull=False).exists()
        or Problem.objects.filter(sheet__in=extra).exists()
    ):
        raise ValidationError(_("已有检查组为该校准党组织录入了评分或问题，不能取消校准。"))
    ScoreSheet.objects.filter(pk__in=[s.pk for s in extra]).delete()
    calibration.delete()
