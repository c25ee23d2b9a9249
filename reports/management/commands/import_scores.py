from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.imports import ImportRejected, scores_import
from reports.management.commands._common import get_group, get_quarter


class Command(BaseCommand):
    help = "导入填好的评分模板。不指定 --group 时按党建部录入；有任何问题则整个文件不导入并列出全部问题。"

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="季度，例如 2019Q1")
        parser.add_argument("--group", help="检查组名称；不填则记为党建部录入")
        parser.add_argument("file", help="评分文件（.xlsx）")

    def handle(self, *args, quarter, group, file, **options):
        quarter_obj = get_quarter(quarter)
        group_obj = get_group(quarter_obj, group)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件 {file} 不存在。")
        with path.open("rb") as source:
            try:
                result = scores_import(quarter=quarter_obj, group=group_obj, source=source)
            except ImportRejected as exc:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
                raise CommandError(f"文件未导入：发现 {len(exc.issues)} 个问题，没有写入任何数据。") from exc
        self.stdout.write(
            f"导入成功：{result.sheets} 个党组织、{result.values} 项得分，其中 {result.changes} 项有变化。"
        )
