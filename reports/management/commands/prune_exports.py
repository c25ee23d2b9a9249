from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.services import export_jobs_prune


class Command(BaseCommand):
    help = "删除超过指定天数的导出任务及其 Excel 文件（默认 7 天），供定时任务使用。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="保留天数，默认 7")

    def handle(self, *args, days, **options):
        removed = export_jobs_prune(older_than_days=days)
        self.stdout.write(f"已删除 {removed} 个导出任务及其文件。")
