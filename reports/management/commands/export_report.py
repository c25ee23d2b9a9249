from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.exports import ReportUnavailable
from reports.management.commands._common import get_quarter
from reports.models import ReportKind
from reports.services import report_write
from scoring.units import add_unit_argument


class Command(BaseCommand):
    help = "导出 Excel 报表：评分明细、红蓝榜、绩效加扣分或整改进度（供定时任务使用）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ReportKind.values, help="scores / board / adjustments / rectification")
        parser.add_argument("--quarter", required=True, help="季度，例如 2019Q1")
        add_unit_argument(parser)
        parser.add_argument("file", help="输出文件（.xlsx）")

    def handle(self, *args, kind, quarter, file, **options):
        quarter_obj = get_quarter(quarter, options["unit"])
        try:
            rows = report_write(kind=kind, quarter=quarter_obj, destination=Path(file))
        except ReportUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导出 {ReportKind(kind).label}：{rows} 行 → {file}")
