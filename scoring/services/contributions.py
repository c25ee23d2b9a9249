"""贡献度积分: extra points per branch and quarter."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import Branch, User
from scoring.models import ContributionPoint, Quarter
from scoring.numbers import CENT

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
    if branch.evaluating_unit_id != quarter.unit_id:
        raise ValidationError({"branch": _("“%(branch)s”不由本单位考评。") % {"branch": branch.name}})
    if not points.is_finite() or points <= 0 or points > POINTS_MAX:
        raise ValidationError({"points": _("积分应大于 0 且不超过 %(max)s。") % {"max": POINTS_MAX}})
    if points != points.quantize(CENT):
        raise ValidationError({"points": _("积分最多保留两位小数。")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写加分事由。")})
    # The quarter row is locked: two entries at once cannot both squeeze under the cap.
    already = contribution_total(quarter=quarter, branch=branch)
    if already + points > quarter.contribution_cap:
        room = max(quarter.contribution_cap - already, Decimal("0"))
        raise ValidationError(
            {
                "points": _(
                    "超过上限：本季度每个党组织的贡献度积分合计不能超过 %(cap)s 分，"
                    "“%(branch)s”已有 %(already)s 分，最多还能加 %(room)s 分。"
                )
                % {"cap": quarter.contribution_cap, "branch": branch.name, "already": already, "room": room}
            }
        )
    point = ContributionPoint.objects.create(
        quarter=quarter, branch=branch, points=points, reason=reason, created_by=actor
    )
    audit_record(
        user=actor,
        action="contribution_add",
        target=point,
        detail={
            "党组织": branch.name,
            "积分": points,
            "事由": reason,
            "合计": f"{already} → {already + points}",
        },
    )
    return point


def contribution_total(*, quarter: Quarter, branch: Branch) -> Decimal:
    """The branch's contribution points in the quarter so far."""
    total = ContributionPoint.objects.filter(quarter=quarter, branch=branch).aggregate(total=Sum("points"))["total"]
    # To the cent: SQLite's SUM loses the column's two decimals ("5" for 5.00).
    return Decimal(total or 0).quantize(CENT)


@transaction.atomic
def contribution_remove(*, point: ContributionPoint, actor: User) -> None:
    quarter = Quarter.objects.select_for_update().get(pk=point.quarter_id)
    if quarter.is_published:
        raise ValidationError(_("季度 %(code)s 已发布，贡献度积分不能再修改。") % {"code": quarter.code})
    before = contribution_total(quarter=quarter, branch=point.branch)
    audit_record(
        user=actor,
        action="contribution_remove",
        target=point,
        detail={
            "党组织": point.branch.name,
            "积分": point.points,
            "事由": point.reason,
            "合计": f"{before} → {before - point.points}",
        },
    )
    point.delete()
