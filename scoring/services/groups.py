"""Inspection groups (检查组) and the assignment of branches to them, under the cross rule."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import Branch, Category, User
from scoring.assignment import assign_by_category
from scoring.models import CalibrationBranch, InspectionGroup, Quarter, ScoreChange, ScoreSheet


class AssignmentImpossible(ValidationError):
    """No assignment keeps the cross rule; the message says which branches and why."""


def _check_assignments_editable(quarter: Quarter) -> None:
    if quarter.status not in (Quarter.Status.PREPARING, Quarter.Status.SCORING):
        raise ValidationError(
            _("季度 %(code)s 状态为“%(status)s”，不能再调整检查组和分配。")
            % {"code": quarter.code, "status": quarter.get_status_display()}
        )


def member_branch_ids(user) -> set[int]:
    """The organisations a person belongs to: their own and, for a 下设支部, its 党总支."""
    ids = set()
    if user.branch_id:
        ids.add(user.branch_id)
        if user.branch.parent_id:
            ids.add(user.branch.parent_id)
    return ids


def cross_rule_conflicts(*, members, branch: Branch) -> list:
    """Members of a group who belong to `branch` (the cross rule forbids the group to inspect it)."""
    return [m for m in members if branch.pk in member_branch_ids(m)]


def _cross_rule_error(group_name: str, branch: Branch, conflicts: list) -> ValidationError:
    return ValidationError(
        _("按交叉互查规则，%(group)s不能检查“%(branch)s”：组员%(members)s属于该党组织。")
        % {"group": group_name, "branch": branch.name, "members": "、".join(str(m) for m in conflicts)}
    )


@transaction.atomic
def group_save(
    *,
    quarter: Quarter,
    name: str,
    leader: User | None,
    members: list[User],
    group: InspectionGroup | None = None,
    actor: User | None = None,
) -> InspectionGroup:
    """Create or change an inspection group. The leader is always a member; a person sits in one
    group per quarter; the new members must keep the cross rule for the branches already assigned."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写组名。")})
    same_name = InspectionGroup.objects.filter(quarter=quarter, name=name)
    if group is not None:
        same_name = same_name.exclude(pk=group.pk)
    if same_name.exists():
        raise ValidationError({"name": _("本季度已有名为“%(name)s”的检查组。") % {"name": name}})
    members = list(dict.fromkeys([*members, *([leader] if leader else [])]))
    elsewhere = (
        InspectionGroup.members.through.objects.filter(
            inspectiongroup__quarter=quarter, user__in=[m.pk for m in members]
        )
        .exclude(inspectiongroup=getattr(group, "pk", None))
        .select_related("user", "inspectiongroup")
    )
    if clash := list(elsewhere):
        raise ValidationError(
            {
                "members": "；".join(
                    _("%(user)s 已在本季度的%(group)s中") % {"user": row.user, "group": row.inspectiongroup.name}
                    for row in clash
                )
            }
        )
    if group is not None:
        for sheet in group.sheets.select_related("branch"):
            if conflicts := cross_rule_conflicts(members=members, branch=sheet.branch):
                raise ValidationError({"members": _cross_rule_error(name, sheet.branch, conflicts).messages})
    before = _group_facts(group) if group is not None else {}
    if group is None:
        group = InspectionGroup(quarter=quarter)
    group.name = name
    group.leader = leader
    group.save()
    group.members.set(members)
    after = _group_facts(group)
    if changed := {k: f"{before.get(k, '—')} → {v}" for k, v in after.items() if before.get(k) != v}:
        audit_record(user=actor, action="group_save", target=group, detail=changed)
    return group


def _group_facts(group: InspectionGroup) -> dict[str, str]:
    """What the audit compares before and after a group is saved: name, leader, members."""
    members = sorted(str(m) for m in group.members.all())
    return {
        "组名": group.name,
        "组长": str(group.leader) if group.leader else "—",
        "成员": "、".join(members) or "—",
    }


@transaction.atomic
def group_delete(*, group: InspectionGroup, actor: User | None = None) -> None:
    _check_assignments_editable(Quarter.objects.select_for_update().get(pk=group.quarter_id))
    if group.sheets.exists():
        raise ValidationError(_("%(group)s已分配了党组织，请先把它们改派到其他检查组。") % {"group": group.name})
    audit_record(
        user=actor, action="group_delete", target=group, detail={k: f"{v} → —" for k, v in _group_facts(group).items()}
    )
    group.delete()


def _assign_change(sheet: ScoreSheet, *, old: str, new: str, actor: User) -> ScoreChange:
    return ScoreChange(sheet=sheet, field=ScoreChange.Field.ASSIGN, old=old, new=new, user=actor, version=sheet.version)


@dataclass
class AutoAssignment:
    """What `assignment_auto` did: the new branches per group, the category each group was given,
    and one plain-Chinese sentence per mix of categories it had to make (empty: none)."""

    counts: dict[InspectionGroup, int] = field(default_factory=dict)
    home: dict[InspectionGroup, str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def home_label(self, group: InspectionGroup) -> str:
        """ "Ⅰ类" for the group given category Ⅰ; "" for none."""
        return _category_label(self.home.get(group))


def _category_label(category: str | None) -> str:
    return str(Category(category).label) if category else ""


def _mix_notes(groups, branches, result) -> list[str]:
    by_group = {g.pk: g for g in groups}
    by_id = {b.pk: b for b in branches}
    notes = []
    homeless = [m for m in result.mixes if m.reason == "no_group"]
    if homeless:
        shares: dict[str, Counter] = {}
        for mix in homeless:
            shares.setdefault(by_id[mix.branch].category, Counter())[mix.group] += 1
        categories = {b.category for b in branches} | {c for c in result.home.values() if c}
        for category, counter in sorted(shares.items()):
            notes.append(
                _(
                    "检查组只有 %(groups)s 个，少于类别数（%(categories)s 个），%(category)s没有专门的检查组，"
                    "它的 %(n)s 个党组织分给了%(detail)s。"
                )
                % {
                    "groups": len(groups),
                    "categories": len(categories),
                    "category": _category_label(category),
                    "n": sum(counter.values()),
                    "detail": "、".join(
                        _("%(group)s %(n)s 个") % {"group": by_group[g].name, "n": n}
                        for g, n in sorted(counter.items(), key=lambda item: list(by_group).index(item[0]))
                    ),
                }
            )
    for mix in result.mixes:
        if mix.reason != "cross_rule":
            continue
        branch = by_id[mix.branch]
        own = [g for g in groups if result.home.get(g.pk) == branch.category]
        notes.append(
            _("按交叉互查规则，检查%(category)s的%(own)s不能检查“%(branch)s”（%(why)s），改由%(group)s检查。")
            % {
                "category": _category_label(branch.category),
                "own": "、".join(g.name for g in own),
                "branch": branch.name,
                "why": "；".join(
                    _("%(group)s组员%(members)s属于该党组织")
                    % {
                        "group": g.name,
                        "members": "、".join(
                            str(m) for m in cross_rule_conflicts(members=g.members.all(), branch=branch)
                        ),
                    }
                    for g in own
                ),
                "group": by_group[mix.group].name,
            }
        )
    return notes


@transaction.atomic
def assignment_auto(*, quarter: Quarter, actor: User) -> AutoAssignment:
    """Spread the quarter's unassigned active branches over its groups: each group keeps to one
    category where the numbers allow (as 2019Q1 was run), the groups sharing a category are
    balanced, and the cross rule holds; every mix it had to make is explained in `notes`.
    All or nothing: when some branch cannot be placed, nothing is assigned and the error names it
    and the members that block each group."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    groups = list(
        InspectionGroup.objects.filter(quarter=quarter)
        .prefetch_related(Prefetch("members", queryset=User.objects.select_related("branch")))
        .order_by("pk")
    )
    if not groups:
        raise AssignmentImpossible(_("本季度还没有检查组，请先建立检查组再分配。"))
    branches = list(
        Branch.objects.for_quarter(quarter)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .order_by("category", "name")
    )
    if not branches:
        return AutoAssignment()
    loads: dict[int, Counter] = {g.pk: Counter() for g in groups}
    for row in (
        ScoreSheet.objects.filter(quarter=quarter, group__isnull=False)
        .values("group_id", "branch__category")
        .annotate(n=Count("pk"))
    ):
        loads[row["group_id"]][row["branch__category"]] = row["n"]
    forbidden = {g.pk: set().union(*(member_branch_ids(m) for m in g.members.all())) for g in groups}
    result = assign_by_category([(b.pk, b.category) for b in branches], forbidden, loads)
    if not result.ok:
        by_id = {b.pk: b for b in branches}
        reasons = []
        for branch_id in result.unplaceable:
            branch = by_id[branch_id]
            blockers = "；".join(
                _("%(group)s有其党员%(members)s")
                % {
                    "group": g.name,
                    "members": "、".join(str(m) for m in cross_rule_conflicts(members=g.members.all(), branch=branch)),
                }
                for g in groups
            )
            reasons.append(f"“{branch.name}”（{blockers}）")
        raise AssignmentImpossible(
            _("无法自动分配：按交叉互查规则，没有检查组可以检查%(reasons)s。请调整检查组成员或增加检查组后再试。")
            % {"reasons": "，".join(reasons)}
        )
    by_group = {g.pk: g for g in groups}
    outcome = AutoAssignment(
        counts={g: 0 for g in groups},
        home={g: result.home.get(g.pk) for g in groups},
        notes=_mix_notes(groups, branches, result),
    )
    new_sheets = []
    for branch in branches:
        group = by_group[result.placed[branch.pk]]
        outcome.counts[group] += 1
        new_sheets.append(ScoreSheet(quarter=quarter, branch=branch, group=group, version=1))
    ScoreSheet.objects.bulk_create(new_sheets)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; fetch them otherwise.
    if any(s.pk is None for s in new_sheets):
        new_sheets = list(ScoreSheet.objects.filter(quarter=quarter, group__isnull=False, branch__in=branches))
    ScoreChange.objects.bulk_create(
        _assign_change(s, old="", new=by_group[result.placed[s.branch_id]].name, actor=actor) for s in new_sheets
    )
    audit_record(
        user=actor,
        action="assignment_change",
        target=quarter,
        detail={
            "方式": _("自动分配"),
            **{
                g.name: _("%(old)s → %(new)s 个党组织")
                % {"old": sum(loads[g.pk].values()), "new": sum(loads[g.pk].values()) + n}
                for g, n in outcome.counts.items()
            },
        },
    )
    return outcome


@transaction.atomic
def assignment_remove(*, quarter: Quarter, branch: Branch, actor: User) -> None:
    """Move `branch` back to 未分配: its (empty, draft) sheet goes. A sheet with scores or problems
    entered, or submitted, stays — moving it to another group keeps that work, removing would lose it."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    if CalibrationBranch.objects.filter(quarter=quarter, branch=branch).exists():
        raise ValidationError(
            _("“%(branch)s”是校准党组织，由每个检查组分别评分，请先取消校准再撤销分配。") % {"branch": branch.name}
        )
    sheet = (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(quarter=quarter, branch=branch, group__isnull=False)
        .first()
    )
    if sheet is None:
        return
    assert sheet.group is not None  # filtered on group__isnull=False
    if sheet.is_submitted:
        raise ValidationError(
            _("“%(branch)s”的评分表已由%(group)s提交，请先退回再撤销分配。")
            % {"branch": branch.name, "group": sheet.group.name}
        )
    scored = sheet.scores.filter(value__isnull=False).count()
    problems = sheet.problems.count()
    if scored or problems:
        raise ValidationError(
            _(
                "%(group)s已为“%(branch)s”录入 %(scored)s 项评分、%(problems)s 条问题，撤销分配会丢失这些内容。"
                "如需换组，请改派到其他检查组（已录入的内容随之转移）。"
            )
            % {"group": sheet.group.name, "branch": branch.name, "scored": scored, "problems": problems}
        )
    _assignment_audit(actor, sheet, old=sheet.group.name, new=_("未分配"))
    sheet.delete()


@transaction.atomic
def assignment_move(*, quarter: Quarter, branch: Branch, group: InspectionGroup, actor: User) -> ScoreSheet:
    """Assign `branch` to `group` by hand, or move it there from another group (its draft scores
    move with it). The cross rule holds; a submitted sheet must be returned first."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    if group.quarter_id != quarter.pk:
        raise ValidationError(_("检查组不属于本季度。"))
    if not branch.is_active:
        raise ValidationError(_("“%(branch)s”不参加考评。") % {"branch": branch.name})
    if branch.evaluating_unit_id != quarter.unit_id:
        raise ValidationError(_("“%(branch)s”不由本单位考评。") % {"branch": branch.name})
    if CalibrationBranch.objects.filter(quarter=quarter, branch=branch).exists():
        raise ValidationError(_("“%(branch)s”是校准党组织，由每个检查组分别评分，不能改派。") % {"branch": branch.name})
    if conflicts := cross_rule_conflicts(members=group.members.select_related("branch"), branch=branch):
        raise _cross_rule_error(group.name, branch, conflicts)
    sheet = (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(quarter=quarter, branch=branch, group__isnull=False)
        .first()
    )
    if sheet is None:
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, group=group, version=1)
        _assign_change(sheet, old="", new=group.name, actor=actor).save()
        _assignment_audit(actor, sheet, old="—", new=group.name)
        return sheet
    if sheet.group_id == group.pk:
        return sheet
    assert sheet.group is not None  # filtered on group__isnull=False
    if sheet.is_submitted:
        raise ValidationError(
            _("“%(branch)s”的评分表已由%(group)s提交，请先退回再改派。")
            % {"branch": branch.name, "group": sheet.group.name}
        )
    old_name = sheet.group.name
    sheet.group = group
    sheet.version += 1
    sheet.save()
    _assign_change(sheet, old=old_name, new=group.name, actor=actor).save()
    _assignment_audit(actor, sheet, old=old_name, new=group.name)
    return sheet


def _assignment_audit(actor: User, sheet: ScoreSheet, *, old: str, new: str) -> None:
    audit_record(
        user=actor,
        action="assignment_change",
        target=sheet,
        detail={"方式": _("手工分配"), "党组织": sheet.branch.name, "检查组": f"{old} → {new}"},
    )
