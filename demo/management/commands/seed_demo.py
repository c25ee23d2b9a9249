from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from branches.models import Branch
from demo.organisation import DEMO_PASSWORD
from demo.services import demo_seed


class Command(BaseCommand):
    help = "载入白银供电公司演示数据（32个党(总)支部、已发布的2018Q3/2018Q4、评分中的2019Q1、各角色演示账号）。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="仅当数据库中还没有党组织时载入")

    def handle(self, *args, if_empty: bool = False, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("生产环境不允许载入演示数据。")
        if if_empty and Branch.objects.exists():
            self.stdout.write("数据库中已有数据，跳过演示数据。")
            return
        quarter = demo_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据就绪：党组织 {Branch.objects.filter(is_active=True).count()} 个，"
                f"季度 {quarter.code}（{quarter.get_status_display()}）。演示密码：{DEMO_PASSWORD}"
            )
        )
