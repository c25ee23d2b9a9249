from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.imports import branches_import
from reports.management.commands._common import import_file


class Command(BaseCommand):
    help = "导入党组织名单（组织名称、类别、组织类型、上级组织、所属单位）；已有名称更新，不重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="党组织名单（.xlsx）")

    def handle(self, *args, file, **options):
        result = import_file(self, file, lambda source: branches_import(source=source))
        self.stdout.write(
            f"导入成功：新建 {result.created} 个党组织，更新 {result.updated} 个，新建单位 {result.units_created} 个。"
        )
