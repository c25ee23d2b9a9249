"""Writes for quarters and schemes. Views, commands and tasks call these, never the ORM directly."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch, User
from scoring.assignment import assign_branches
from scoring.default_scheme import default_indicator_rows
from scoring.models import (
    ContributionPoint,
    Indicator,
    InspectionGroup,
    Method,
    Problem,
    Quarter,
    Score,
    ScoreChange,
    ScoreSheet,
)
from scoring.selectors import scheme_for_category


class SchemeFrozen(ValidationError):
    pass


@transaction.atomic
def quarter_create(*, code: str, copy_from: Quarter | None = None) -> Quarter:
    """Create a quarter. Its scheme is copied from `copy_from`, else from the latest earlier
    quarter, else the built-in default scheme."""
    parsed = Quarter.parse_code(code)
    if parsed is None:
        raise ValidationError(_("季度编号“%(code)s”格式不正确，应为“年份Q季度”，例如 2019Q2。") % {"code": code})
    if Quarter.objects.filter(code=code).exists():
        raise ValidationError(_("季度 %(code)s 已存在。") % {"code": code})
    year, number = parsed
    quarter = Quarter.objects.create(code=code, year=year, number=number)
    if copy_from is None:
        copy_from = (
            Quarter.objects.filter(Q(year__lt=year) | Q(year=year, number__lt=number))
            .exclude(pk=quarter.pk)
            .order_by("-year", "-number")
            .first()
        )
    if copy_from is not None and copy_from.indicators.exists():
        rows = list(copy_from.indicators.values("category", "code", "name", "max_score", "guidance", "position"))
    else:
        rows = default_indicator_rows()
    Indicator.objects.bulk_create(Indicator(quarter=quarter, **row) for row in rows)
    return quarter


_TIMESTAMP_FIELD = {
    Quarter.Status.SCORING: "opened_at",
    Quarter.Status.CLOSED: "closed_at",
    Quarter.Status.PUBLISHED: "published_at",
}


@transaction.atomic
def quarter_transition(*, quarter: Quarter, to: str) -> Quarter:
    """Move a quarter along 准备 → 评分中 → 已截止 → 已发布. The row is locked so two requests
    cannot both move it. Publication itself goes through boards.services, which calls this."""
    locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if not locked.can_transition_to(to):
        raise ValidationError(
            _("季度 %(code)s 不能从“%(src)s”变为“%(dst)s”。")
            % {"code": locked.code, "src": locked.get_status_display(), "dst": Quarter.Status(to).label}
        )
    locked.status = to
    field = _TIMESTAMP_FIELD.get(to)
    if field:
        setattr(locked, field, timezone.now())
    locked.save()
    return locked


def _check_scheme_editable(quarter: Quarter) -> None:
    if quarter.scheme_is_frozen:
        raise SchemeFrozen(_("季度 %(code)s 已开始评分，考核指标不能再修改。") % {"code": quarter.code})


@transaction.atomic
def indicator_save(*, indicator: Indicator) -> Indicator:
    """Create or change one indicator of a scheme that is still being prepared."""
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    if indicator.max_score is None or Decimal(indicator.max_score) <= 0:
        raise ValidationError({"max_score": _("满分必须大于 0。")})
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    indicator.delete()


# --- inspection groups and assignment -------------------------------------------------------------


class AssignmentImpossible(ValidationError):
    """No assignment keeps the cross rule; the message says which branches and why."""


def _check_assignments_editable(quarter: Quarter) -> None:
    if quarter.status not in (Quarter.Status.PREPARING, Quarter.Status.SCORING):
        raise ValidationError(
            _("季度 %(code)s 状态为“%(status)s”，不能再调整检查组和分配。")
            % {"code": quarter.code, "status": quarter.get_status_display()}
        )


def _member_branch_ids(user) -> set[int]:
    """The organisations a person belongs to: their own and, for a 下设支部, its 党总支."""
    ids = set()
    if user.branch_id:
        ids.add(user.branch_id)
        if user.branch.parent_id:
            ids.add(user.branch.parent_id)
    return ids


def cross_rule_conflicts(*, members, branch: Branch) -> list:
    """Members of a group who belong to `branch` (the cross rule forbids the group to inspect it)."""
    return [m for m in members if branch.pk in _member_branch_ids(m)]


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
) -> InspectionGroup:
    """Create or change an inspection group. The leader is always a member; a person sits in one
    group per quarter; the new members must keep the cross rule for the branches already assigned."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写组名。")})
    if InspectionGroup.objects.filter(quarter=quarter, name=name).exclude(pk=getattr(group, "pk", None)).exists():
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
    if group is None:
        group = InspectionGroup(quarter=quarter)
    group.name = name
    group.leader = leader
    group.save()
    group.members.set(members)
    return group


@transaction.atomic
def group_delete(*, group: InspectionGroup) -> None:
    _check_assignments_editable(Quarter.objects.select_for_update().get(pk=group.quarter_id))
    if group.sheets.exists():
        raise ValidationError(_("%(group)s已分配了党组织，请先把它们改派到其他检查组。") % {"group": group.name})
    group.delete()


def _assign_change(sheet: ScoreSheet, *, old: str, new: str, actor: User) -> ScoreChange:
    return ScoreChange(sheet=sheet, field=ScoreChange.Field.ASSIGN, old=old, new=new, user=actor, version=sheet.version)


@transaction.atomic
def assignment_auto(*, quarter: Quarter, actor: User) -> dict[InspectionGroup, int]:
    """Spread the quarter's unassigned active branches over its groups, balanced, keeping the
    cross rule. All or nothing: when some branch cannot be placed, nothing is assigned and the
    error names it and the members that block each group. Returns the new branches per group."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_assignments_editable(quarter)
    groups = list(
        InspectionGroup.objects.filter(quarter=quarter)
        .annotate(load=Count("sheets"))
        .prefetch_related(Prefetch("members", queryset=User.objects.select_related("branch")))
        .order_by("pk")
    )
    if not groups:
        raise AssignmentImpossible(_("本季度还没有检查组，请先建立检查组再分配。"))
    branches = list(
        Branch.objects.filter(is_active=True)
        .exclude(pk__in=ScoreSheet.objects.filter(quarter=quarter, group__isnull=False).values("branch_id"))
        .order_by("category", "name")
    )
    if not branches:
        return {}
    forbidden = {g.pk: set().union(*(_member_branch_ids(m) for m in g.members.all())) for g in groups}
    result = assign_branches([b.pk for b in branches], forbidden, {g.pk: g.load for g in groups})
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
    counts: dict[InspectionGroup, int] = {g: 0 for g in groups}
    new_sheets = []
    for branch in branches:
        group = by_group[result.placed[branch.pk]]
        counts[group] += 1
        new_sheets.append(ScoreSheet(quarter=quarter, branch=branch, group=group, version=1))
    ScoreSheet.objects.bulk_create(new_sheets)
    # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; fetch them otherwise.
    if any(s.pk is None for s in new_sheets):
        new_sheets = list(ScoreSheet.objects.filter(quarter=quarter, group__isnull=False, branch__in=branches))
    ScoreChange.objects.bulk_create(
        _assign_change(s, old="", new=by_group[s.group_id].name, actor=actor) for s in new_sheets
    )
    return counts


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
    if conflicts := cross_rule_conflicts(members=group.members.select_related("branch"), branch=branch):
        raise _cross_rule_error(group.name, branch, conflicts)
    sheet = (
        ScoreSheet.objects.select_for_update()
        .select_related("group")
        .filter(quarter=quarter, branch=branch, group__isnull=False)
        .first()
    )
    if sheet is None:
        sheet = ScoreSheet.objects.create(quarter=quarter, branch=branch, group=group, version=1)
        _assign_change(sheet, old="", new=group.name, actor=actor).save()
        return sheet
    if sheet.group_id == group.pk:
        return sheet
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
    return sheet


# --- score sheets -----------------------------------------------------------------------------------

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ScoreEntry:
    """What the form says about one indicator: value (None = not scored), method codes, note."""

    value: Decimal | None
    methods: tuple[str, ...] = ()
    note: str = ""


class SheetLocked(ValidationError):
    """The sheet cannot be written now (quarter not scoring, or already submitted)."""


class AlreadySubmitted(SheetLocked):
    pass


class StaleSheet(ValidationError):
    """The sheet changed since the editor loaded it; `changes` lists what changed."""

    def __init__(self, message: str, *, changes: list[ScoreChange], current_version: int):
        super().__init__(message)
        self.changes = changes
        self.current_version = current_version


class IncompleteSheet(ValidationError):
    def __init__(self, message: str, *, missing: list[Indicator]):
        super().__init__(message)
        self.missing = missing


def score_error(value: Decimal, maximum: Decimal) -> str | None:
    """The Chinese reason a score is not acceptable, or None."""
    if not value.is_finite():
        return _("请输入数字，例如 8 或 8.5。")
    if value < 0:
        return _("得分不能小于 0。")
    if value > maximum:
        return _("得分不能超过本项满分 %(max)s 分。") % {"max": maximum.normalize()}
    if value != value.quantize(TENTH):
        return _("得分最多保留一位小数。")
    return None


def canonical_score(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(TENTH))


def canonical_methods(codes) -> str:
    chosen = set(codes)
    return ",".join(m for m in Method.values if m in chosen)


def _check_writable(sheet: ScoreSheet) -> None:
    if not sheet.quarter.is_scoring:
        raise SheetLocked(
            _("季度 %(code)s 当前为“%(status)s”，只有“评分中”才能录入评分。")
            % {"code": sheet.quarter.code, "status": sheet.quarter.get_status_display()}
        )


@transaction.atomic
def sheet_save(
    *,
    sheet: ScoreSheet,
    actor: User,
    base_version: int,
    entries: dict[int, ScoreEntry],
    add_problems: list[tuple[int, str]] = (),
    remove_problems: list[int] = (),
    submit: bool = False,
) -> int:
    """Save a sheet's scores, methods, notes and problems as one change, optionally submitting it.

    Refused without writing anything when the quarter is not scoring, the sheet is submitted, the
    editor's `base_version` is not the sheet's current version (someone saved in between: the error
    lists what they changed), a value is out of range, or a submit finds indicators unscored.
    Every change becomes a ScoreChange row. Returns the number of changes recorded.
    """
    locked = ScoreSheet.objects.select_for_update().select_related("quarter", "branch").get(pk=sheet.pk)
    _check_writable(locked)
    if locked.is_submitted:
        if submit:
            raise AlreadySubmitted(_("该评分表已经提交，无需重复提交。"))
        raise SheetLocked(_("该评分表已提交，处于只读状态；如需修改，请联系党建部退回。"))
    if locked.version != base_version:
        changes = changes_since(locked, base_version)
        raise StaleSheet(
            _("保存未生效：在您打开之后，评分表已被他人修改（第 %(old)s 版 → 第 %(new)s 版）。")
            % {"old": base_version, "new": locked.version},
            changes=changes,
            current_version=locked.version,
        )

    indicators = {i.pk: i for i in scheme_for_category(locked.quarter, locked.branch.category)}
    existing = {s.indicator_id: s for s in locked.scores.all()}
    new_version = locked.version + 1
    changes: list[ScoreChange] = []

    def record(indicator_id: int | None, field: str, old: str, new: str) -> None:
        changes.append(
            ScoreChange(
                sheet=locked, indicator_id=indicator_id, field=field, old=old, new=new, user=actor, version=new_version
            )
        )

    to_create, to_update = [], []
    for indicator_id, entry in entries.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(_("指标不属于该党组织的考核指标体系。"))
        if entry.value is not None and (error := score_error(entry.value, indicator.max_score)):
            raise ValidationError({f"score_{indicator_id}": error})
        bad_methods = set(entry.methods) - set(Method.values)
        if bad_methods:
            raise ValidationError(_("检查方式无效。"))
        score = existing.get(indicator_id) or Score(sheet=locked, indicator=indicator)
        before = (canonical_score(score.value), score.methods, score.note)
        after = (canonical_score(entry.value), canonical_methods(entry.methods), entry.note.strip())
        if before == after:
            continue
        for field, old, new in zip(
            (ScoreChange.Field.SCORE, ScoreChange.Field.METHODS, ScoreChange.Field.NOTE), before, after, strict=True
        ):
            if old != new:
                record(indicator_id, field, old, new)
        score.value = entry.value.quantize(TENTH) if entry.value is not None else None
        score.methods, score.note = after[1], after[2]
        (to_update if score.pk else to_create).append(score)
    Score.objects.bulk_create(to_create)
    Score.objects.bulk_update(to_update, ["value", "methods", "note"])

    if remove_problems:
        problems = list(locked.problems.filter(pk__in=remove_problems))
        for problem in problems:
            record(problem.indicator_id, ScoreChange.Field.PROBLEM, problem.description, "")
        Problem.objects.filter(pk__in=[p.pk for p in problems]).delete()
    for indicator_id, description in add_problems:
        if indicator_id not in indicators:
            raise ValidationError(_("问题对应的指标不属于该党组织的考核指标体系。"))
        description = description.strip()
        if not description:
            raise ValidationError(_("请填写问题描述。"))
        Problem.objects.create(sheet=locked, indicator_id=indicator_id, description=description, created_by=actor)
        record(indicator_id, ScoreChange.Field.PROBLEM, "", description)

    if submit:
        scored = set(
            Score.objects.filter(sheet=locked, indicator__in=indicators, value__isnull=False).values_list(
                "indicator_id", flat=True
            )
        )
        missing = [i for pk, i in indicators.items() if pk not in scored]
        if missing:
            raise IncompleteSheet(
                _("还有 %(n)s 项指标未评分（%(names)s），不能提交。您可以先保存草稿。")
                % {"n": len(missing), "names": "、".join(i.name for i in missing)},
                missing=missing,
            )
        record(None, ScoreChange.Field.SUBMIT, ScoreSheet.Status.DRAFT.label, ScoreSheet.Status.SUBMITTED.label)
        locked.status = ScoreSheet.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.return_reason = ""
    if changes:
        locked.version = new_version
        locked.save()
        ScoreChange.objects.bulk_create(changes)
    return len(changes)


@transaction.atomic
def sheet_return(*, sheet: ScoreSheet, actor: User, reason: str) -> ScoreSheet:
    """党建部 returns a submitted sheet to its group, with the reason; the group may edit it again."""
    locked = ScoreSheet.objects.select_for_update().select_related("quarter").get(pk=sheet.pk)
    _check_writable(locked)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    if not locked.is_submitted:
        raise ValidationError(_("该评分表尚未提交，无需退回。"))
    locked.status = ScoreSheet.Status.DRAFT
    locked.return_reason = reason
    locked.version += 1
    locked.save()
    ScoreChange.objects.create(
        sheet=locked, field=ScoreChange.Field.RETURN, old="", new=reason, user=actor, version=locked.version
    )
    return locked


def changes_since(sheet: ScoreSheet, version: int) -> list[ScoreChange]:
    return list(
        ScoreChange.objects.filter(sheet=sheet, version__gt=version)
        .select_related("indicator", "user")
        .order_by("version", "id")
    )


# --- contribution points -------------------------------------------------------------------------

POINTS_MAX = Decimal("99.99")


@transaction.atomic
def contribution_add(
    *, quarter: Quarter, branch: Branch, points: Decimal, reason: str, actor: User
) -> ContributionPoint:
    """贡献度积分: an item of extra points for a branch, counted in the quarter's totals."""
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if quarter.is_published:
        raise ValidationError(_("季度 %(code)s 已发布，贡献度积分不能再修改。") % {"code": quarter.code})
    if not branch.is_active:
        raise ValidationError({"branch": _("“%(branch)s”不参加考评。") % {"branch": branch.name}})
    if not points.is_finite() or points <= 0 or points > POINTS_MAX:
        raise ValidationError({"points": _("积分应大于 0 且不超过 %(max)s。") % {"max": POINTS_MAX}})
    if points != points.quantize(Decimal("0.01")):
        raise ValidationError({"points": _("积分最多保留两位小数。")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写加分事由。")})
    return ContributionPoint.objects.create(
        quarter=quarter, branch=branch, points=points, reason=reason, created_by=actor
    )


@transaction.atomic
def contribution_remove(*, point: ContributionPoint) -> None:
    quarter = Quarter.objects.select_for_update().get(pk=point.quarter_id)
    if quarter.is_published:
        raise ValidationError(_("季度 %(code)s 已发布，贡献度积分不能再修改。") % {"code": quarter.code})
    point.delete()
