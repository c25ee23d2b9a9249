"""贡献度积分: extra points per branch and quarter."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Branch, User
from scoring.models import ContributionPoint, Quarter

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
