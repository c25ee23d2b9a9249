"""Writes for quarters and schemes."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import Category, Unit, User
from branches.units import evaluating_unit_named
from scoring.default_scheme import default_deduction_rows, default_indicator_rows
from scoring.models import DeductionItem, Indicator, InspectionGroup, Quarter
from scoring.numbers import format_plain
from scoring.units import template_above


class SchemeFrozen(ValidationError):
    pass


# Settings of a quarter that carry over to the next one, copied when the field exists (the
# contribution cap arrives with another change; the copy must not depend on its order).
CARRIED_SETTINGS = ("contribution_cap",)


def previous_quarter(year: int, number: int, unit: Unit | None = None) -> Quarter | None:
    """The unit's latest quarter before year/number (the only evaluating unit's without one)."""
    unit = unit or evaluating_unit_named(None)
    return Quarter.objects.filter(Q(year__lt=year) | Q(year=year, number__lt=number), unit=unit).newest_first().first()


def next_quarter_code(unit: Unit | None = None) -> str:
    """The code after the unit's latest quarter (2019Q1 → 2019Q2, 2019Q4 → 2020Q1), or this year's first."""
    unit = unit or evaluating_unit_named(None)
    latest = Quarter.objects.filter(unit=unit).newest_first().first()
    if latest is None:
        return f"{timezone.localdate().year}Q1"
    if latest.number == 4:
        return f"{latest.year + 1}Q1"
    return f"{latest.year}Q{latest.number + 1}"


@transaction.atomic
def quarter_create(
    *,
    code: str,
    unit: Unit | None = None,
    copy_from: Quarter | None = None,
    copy_groups: bool = False,
    actor: User | None = None,
) -> Quarter:
    """Create a quarter of the evaluating unit `unit` (the only one there is, without it) in 准备.
    Without `copy_from` it starts from the unit's own previous quarter, else from the template
    the nearest unit above published (scoring.units.template_above), else the built-in default.
    From the quarter it starts from it copies the
    scheme with its deduction items, the carried settings (contribution cap) and, with
    `copy_groups`, the inspection groups with their leaders and members (active people only; no
    assignments). Without an earlier quarter the scheme is the built-in default. Audited, by
    `actor` (none for commands run by the operator), with what was copied.

    The adjustment table (绩效加扣分标准) belongs to the evaluating unit, not to a quarter: the new
    quarter uses it as it stands, and publication keeps what was applied."""
    parsed = Quarter.parse_code(code)
    if parsed is None:
        raise ValidationError(
            {"code": _("季度编号“%(code)s”格式不正确，应为“年份Q季度”，例如 2019Q2。") % {"code": code}}
        )
    unit = unit or evaluating_unit_named(None)
    if Quarter.objects.filter(unit=unit, code=code).exists():
        raise ValidationError({"code": _("季度 %(code)s 已存在。") % {"code": code}})
    year, number = parsed
    if copy_from is None:
        copy_from = previous_quarter(year, number, unit) or template_above(unit)
    quarter = Quarter(unit=unit, code=code, year=year, number=number, copied_from=copy_from)
    fields = {f.name for f in Quarter._meta.get_fields()}
    for name in CARRIED_SETTINGS:
        if name in fields and copy_from is not None:
            setattr(quarter, name, getattr(copy_from, name))
    quarter.save()
    if copy_from is not None and copy_from.indicators.exists():
        _copy_scheme(copy_from, quarter)
    else:
        _default_scheme(quarter)
    if copy_groups and copy_from is not None and copy_from.unit_id == unit.pk:  # never another unit's people
        _copy_groups(copy_from, quarter)
    audit_record(
        user=actor,
        action="quarter_create",
        target=quarter,
        detail={
            "复制自": copy_from.code if copy_from is not None else _("内置默认指标体系"),
            "指标": quarter.indicators.count(),
            "扣分标准": DeductionItem.objects.filter(indicator__quarter=quarter).count(),
            "检查组": quarter.groups.count(),
        },
    )
    return quarter


def _default_scheme(quarter: Quarter) -> None:
    Indicator.objects.bulk_create(Indicator(quarter=quarter, **row) for row in default_indicator_rows())
    by_code = dict(quarter.indicators.values_list("code", "pk"))
    DeductionItem.objects.bulk_create(
        DeductionItem(indicator_id=by_code[code], **row)
        for code, rows in default_deduction_rows().items()
        if code in by_code
        for row in rows
    )


def _copy_scheme(source: Quarter, quarter: Quarter) -> None:
    rows = list(source.indicators.values("category", "code", "name", "max_score", "guidance", "position"))
    Indicator.objects.bulk_create(Indicator(quarter=quarter, **row) for row in rows)
    by_code = dict(quarter.indicators.values_list("code", "pk"))  # codes are unique per quarter
    DeductionItem.objects.bulk_create(
        DeductionItem(
            indicator_id=by_code[row["indicator__code"]],
            description=row["description"],
            points=row["points"],
            per_occurrence=row["per_occurrence"],
            cap=row["cap"],
            position=row["position"],
        )
        for row in DeductionItem.objects.filter(indicator__quarter=source).values(
            "indicator__code", "description", "points", "per_occurrence", "cap", "position"
        )
    )


def _copy_groups(source: Quarter, quarter: Quarter) -> None:
    for group in source.groups.select_related("leader").prefetch_related("members").order_by("pk"):
        members = [m for m in group.members.all() if m.is_active]
        leader = group.leader if group.leader is not None and group.leader.is_active else None
        copy = InspectionGroup.objects.create(quarter=quarter, name=group.name, leader=leader)
        copy.members.set(members)


_TIMESTAMP_FIELD: dict[str, str] = {
    Quarter.Status.SCORING: "opened_at",
    Quarter.Status.CLOSED: "closed_at",
    Quarter.Status.PUBLISHED: "published_at",
}


@transaction.atomic
def quarter_transition(*, quarter: Quarter, to: str, actor: User | None = None) -> Quarter:
    """Move a quarter along 准备 → 评分中 → 已截止 → 已发布. The row is locked so two requests
    cannot both move it. Publication itself goes through boards.services, which calls this.
    Audited (old → new status), by `actor` (none for commands run by the operator)."""
    locked = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if not locked.can_transition_to(to):
        raise ValidationError(
            _("季度 %(code)s 不能从“%(src)s”变为“%(dst)s”。")
            % {"code": locked.code, "src": locked.get_status_display(), "dst": Quarter.Status(to).label}
        )
    before = locked.get_status_display()
    locked.status = to
    field = _TIMESTAMP_FIELD.get(to)
    if field:
        setattr(locked, field, timezone.now())
    locked.save()
    audit_record(
        user=actor,
        action="quarter_transition",
        target=locked,
        detail={"状态": f"{before} → {locked.get_status_display()}"},
    )
    return locked


def _check_scheme_editable(quarter: Quarter) -> None:
    if quarter.scheme_is_frozen:
        raise SchemeFrozen(_("季度 %(code)s 已开始评分，考核指标不能再修改。") % {"code": quarter.code})


# What the audit record of a scheme edit names: field → its label in the record.
INDICATOR_AUDITED = {"code": "编号", "name": "指标名称", "max_score": "满分", "guidance": "评分说明"}
DEDUCTION_AUDITED = {"description": "扣分情形", "points": "扣分", "per_occurrence": "按处扣分", "cap": "最多扣分"}


def _audit_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return format_plain(value)
    return str(value)


def _changes(before, after, fields: dict[str, str]) -> dict[str, str]:
    """label → "old → new" for each audited field that changed (all fields, "new" only, when
    `before` is None)."""
    out = {}
    for name, label in fields.items():
        new = _audit_value(getattr(after, name))
        if before is None:
            out[label] = new
        elif (old := _audit_value(getattr(before, name))) != new:
            out[label] = f"{old} → {new}"
    return out


def _save_audited(
    obj: Indicator | DeductionItem, *, noun: str, fields: dict[str, str], facts: dict[str, str], actor: User | None
) -> None:
    """Save a scheme line and record, when anything changed, "<noun>_add" or "<noun>_edit" with
    `facts` and the changed fields (old → new)."""
    before = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
    obj.save()
    if changed := _changes(before, obj, fields):
        audit_record(
            user=actor,
            action=f"{noun}_edit" if before is not None else f"{noun}_add",
            target=obj,
            detail={**facts, **changed},
        )


def _indicator_facts(indicator: Indicator) -> dict[str, str]:
    return {"季度": indicator.quarter.code, "类别": _section_name(indicator.category), "编号": indicator.code}


def _section_name(category: str) -> str:
    return str(Category(category).label) if category else _("五个标准化")


@transaction.atomic
def indicator_save(*, indicator: Indicator, actor: User | None = None) -> Indicator:
    """Create or change one indicator of a scheme that is still being prepared. A new indicator
    goes to the end of its section. Audited with the fields that changed."""
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    if indicator.max_score is None or Decimal(indicator.max_score) <= 0:
        raise ValidationError({"max_score": _("满分必须大于 0。")})
    if Decimal(indicator.max_score) > 100:
        raise ValidationError({"max_score": _("满分不能超过 100 分。")})
    indicator.code = (indicator.code or "").strip()
    indicator.name = (indicator.name or "").strip()
    duplicate = Indicator.objects.filter(quarter_id=indicator.quarter_id, code=indicator.code).exclude(pk=indicator.pk)
    if indicator.code and duplicate.exists():
        raise ValidationError({"code": _("本季度已有编号为“%(code)s”的指标。") % {"code": indicator.code}})
    if indicator.pk is None:
        last = (
            Indicator.objects.filter(quarter_id=indicator.quarter_id, category=indicator.category)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        indicator.position = 0 if last is None else last + 1
    indicator.full_clean()
    _save_audited(indicator, noun="indicator", fields=INDICATOR_AUDITED, facts=_indicator_facts(indicator), actor=actor)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor: User | None = None) -> None:
    """Remove an indicator (and its deduction items) from a scheme still being prepared. Audited."""
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    audit_record(
        user=actor,
        action="indicator_delete",
        target=indicator,
        detail={
            **_indicator_facts(indicator),
            "指标名称": indicator.name,
            "满分": format_plain(indicator.max_score),
            "扣分标准": indicator.deductions.count(),
        },
    )
    indicator.delete()


@transaction.atomic
def indicator_move(*, indicator: Indicator, up: bool, actor: User | None = None) -> None:
    """Move an indicator one place up or down within its section; the section is renumbered 0..n-1.
    Audited when the order changed (with the section's order before and after)."""
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    section = list(
        Indicator.objects.filter(quarter_id=indicator.quarter_id, category=indicator.category).order_by(
            "position", "id"
        )
    )
    before = [i.code for i in section]
    if _move_within(section, indicator.pk, up):
        Indicator.objects.bulk_update(section, ["position"])
        audit_record(
            user=actor,
            action="indicator_move",
            target=indicator,
            detail={
                **_indicator_facts(indicator),
                "方向": _("上移") if up else _("下移"),
                "顺序": f"{'、'.join(before)} → {'、'.join(i.code for i in section)}",
            },
        )


def _move_within(items: list, pk: int, up: bool) -> bool:
    """Swap the item `pk` with its neighbour above or below and renumber positions 0..n-1 (in
    place). False when it was already first (or last) and nothing moved."""
    index = next(n for n, i in enumerate(items) if i.pk == pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        item.position = position
    return True


@transaction.atomic
def deduction_save(*, item: DeductionItem, actor: User | None = None) -> DeductionItem:
    """Create or change a deduction item (扣分标准) of an indicator whose scheme is being prepared.
    Audited with the fields that changed."""
    indicator = Indicator.objects.select_related("quarter").get(pk=item.indicator_id)
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    item.description = (item.description or "").strip()
    if item.points is None or Decimal(item.points) <= 0:
        raise ValidationError({"points": _("扣分必须大于 0。")})
    if Decimal(item.points) > indicator.max_score:
        raise ValidationError(
            {"points": _("扣分不能超过本项满分 %(max)s 分。") % {"max": format_plain(indicator.max_score)}}
        )
    if item.cap is not None:
        if Decimal(item.cap) < Decimal(item.points):
            raise ValidationError({"cap": _("最多扣分不能小于每次扣分。")})
        if Decimal(item.cap) > indicator.max_score:
            raise ValidationError(
                {"cap": _("最多扣分不能超过本项满分 %(max)s 分。") % {"max": format_plain(indicator.max_score)}}
            )
    if item.pk is None:
        last = indicator.deductions.order_by("-position").values_list("position", flat=True).first()
        item.position = 0 if last is None else last + 1
    item.full_clean()
    facts = {**_indicator_facts(indicator), "指标名称": indicator.name}
    _save_audited(item, noun="deduction", fields=DEDUCTION_AUDITED, facts=facts, actor=actor)
    return item


@transaction.atomic
def deduction_delete(*, item: DeductionItem, actor: User | None = None) -> None:
    """Remove a deduction item from a scheme still being prepared. Audited."""
    indicator = item.indicator
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    audit_record(
        user=actor,
        action="deduction_delete",
        target=item,
        detail={**_indicator_facts(indicator), "指标名称": indicator.name, "扣分标准": item.rule_text},
    )
    item.delete()


@transaction.atomic
def deduction_move(*, item: DeductionItem, up: bool, actor: User | None = None) -> None:
    """Move a deduction item one place up or down among its indicator's; renumbered 0..n-1.
    Audited when the order changed."""
    indicator = item.indicator
    _check_scheme_editable(Quarter.objects.select_for_update().get(pk=indicator.quarter_id))
    items = list(indicator.deductions.order_by("position", "id"))
    before = [d.description for d in items]
    if _move_within(items, item.pk, up):
        DeductionItem.objects.bulk_update(items, ["position"])
        audit_record(
            user=actor,
            action="deduction_move",
            target=item,
            detail={
                **_indicator_facts(indicator),
                "指标名称": indicator.name,
                "方向": _("上移") if up else _("下移"),
                "顺序": f"{'、'.join(before)} → {'、'.join(d.description for d in items)}",
            },
        )
