from __future__ import annotations

from django.core.management.base import CommandError

from scoring.models import InspectionGroup, Quarter


def get_quarter(code: str) -> Quarter:
    quarter = Quarter.objects.filter(code=code).first()
    if quarter is None:
        raise CommandError(f"季度 {code} 不存在。")
    return quarter


def get_group(quarter: Quarter, name: str | None) -> InspectionGroup | None:
    if not name:
        return None
    group = InspectionGroup.objects.filter(quarter=quarter, name=name).first()
    if group is None:
        names = "、".join(quarter.groups.order_by("name").values_list("name", flat=True)) or "（无）"
        raise CommandError(f"季度 {quarter.code} 没有检查组“{name}”。现有检查组：{names}")
    return group
