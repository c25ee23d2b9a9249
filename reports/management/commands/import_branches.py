from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.imports import ImportRejected, branches_import


class Command(BaseCommand):
    help = "导入党组织名单（组织名称、类别、组织类型、上级组织、所属单位）；已有名称更新，不重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="党组织名单（.xlsx）")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件 {file} 不存在。")
        with path.open("rb") as source:
            try:
                result = branches_import(source=source)
            except ImportRejected as exc:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
                raise CommandError(f"文件未导入：发现 {len(exc.issues)} 个问题，没有写入任何数据。") from exc
        self.stdout.write(
            f"导入成功：新建 {result.created} 个党组织，更新 {result.updated} 个，新建单位 {result.units_created} 个。"
        )
