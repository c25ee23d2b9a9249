from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from branches.units import evaluating_unit_named
from scoring.models import DeductionItem, Quarter
from scoring.services import quarter_create, quarter_transition


class Command(BaseCommand):
    help = "创建考评季度（复制上一季度的考核指标体系、扣分标准和检查组），例如：create_quarter 2019Q2 --open"

    def add_arguments(self, parser):
        parser.add_argument("code", help="季度编号，如 2019Q2")
        parser.add_argument("--open", action="store_true", help="创建后直接进入“评分中”")
        parser.add_argument("--unit", help="考评单位名称；只有一个考评单位时可省略")
        parser.add_argument("--without-groups", action="store_true", help="不复制上一季度的检查组及其成员")

    def handle(self, *args, code: str, open: bool, without_groups: bool = False, unit: str | None = None, **options):
        try:
            with transaction.atomic():
                quarter = quarter_create(code=code, unit=evaluating_unit_named(unit), copy_groups=not without_groups)
                if open:
                    quarter = quarter_transition(quarter=quarter, to=Quarter.Status.SCORING)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建季度 {quarter.code}（{quarter.get_status_display()}），"
                f"考评单位 {quarter.unit.name}，"
                f"考核指标 {quarter.indicators.count()} 项，"
                f"扣分标准 {DeductionItem.objects.filter(indicator__quarter=quarter).count()} 条，"
                f"检查组 {quarter.groups.count()} 个"
                + (f"（复制自 {quarter.copied_from.code}）" if quarter.copied_from else "")
                + "。"
            )
        )
