from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from baiyin_eval.xlsx import save_atomically
from reports.exports import score_template
from reports.management.commands._common import get_group, get_quarter
from scoring.units import add_unit_argument


class Command(BaseCommand):
    help = "导出线下评分模板：每类一张工作表，第 1 行指标名称，第 2 行满分，第 3 行起每个党组织一行。"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="季度，例如 2019Q1")
        add_unit_argument(parser)
        parser.add_argument("--group", help="检查组名称；不填则列出全部党组织（党建部）")
        parser.add_argument("file", help="输出文件（.xlsx）")

    def handle(self, *args, quarter, group, file, **options):
        quarter_obj = get_quarter(quarter, options["unit"])
        group_obj = get_group(quarter_obj, group)
        save_atomically(score_template(quarter_obj, group_obj), Path(file))
        self.stdout.write(f"已导出评分模板 → {file}")
