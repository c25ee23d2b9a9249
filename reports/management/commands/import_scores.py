from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.imports import score_import_summary, scores_import
from reports.management.commands._common import get_group, get_quarter, import_file
from scoring.units import add_unit_argument


class Command(BaseCommand):
    help = "导入填好的评分模板。不指定 --group 时按党建部录入；有任何问题则整个文件不导入并列出全部问题。"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="季度，例如 2019Q1")
        add_unit_argument(parser)
        parser.add_argument("--group", help="检查组名称；不填则记为党建部录入")
        parser.add_argument(
            "--submit",
            action="store_true",
            help="导入后提交：文件填全的评分表即提交，未填全的仍为草稿；不加此项时导入的评分表都是草稿",
        )
        parser.add_argument("file", help="评分文件（.xlsx）")

    def handle(self, *args, quarter, group, file, submit, **options):
        quarter_obj = get_quarter(quarter, options["unit"])
        group_obj = get_group(quarter_obj, group)
        result = import_file(
            self, file, lambda source: scores_import(quarter=quarter_obj, group=group_obj, source=source, submit=submit)
        )
        self.stdout.write(score_import_summary(result, submit=submit, shown=1000))
