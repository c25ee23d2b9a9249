"""Writes for quarters and schemes."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from branches.models import User
from scoring.default_scheme import default_indicator_rows
from scoring.models import Indicator, Quarter


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
