from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.imports import ImportRejected
from reports.imports.units import units_import


class Command(BaseCommand):
    help = (
        "导入单位树（单位名称、上级单位（根单位留空）、考评单位（是/否））；已有单位按名称更新（移动、设为或取消考评单位），"
        "不重复创建。发现任何问题时列出全部问题（含行号），不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="单位名单（.xlsx）")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件 {file} 不存在。")
        with path.open("rb") as source:
            try:
                result = units_import(source=source)
            except ImportRejected as exc:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
                raise CommandError(f"文件未导入：发现 {len(exc.issues)} 个问题，没有写入任何数据。") from exc
        self.stdout.write(
            f"导入成功：新建 {result.created} 个单位，更新 {result.updated} 个，未变 {result.unchanged} 个；"
            f"现有考评单位 {result.evaluating} 个。"
        )
