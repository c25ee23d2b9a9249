from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.calibration import CALIBRATION_BRANCHES
from demo.services import demo_calibration_seed


class Command(BaseCommand):
    help = "在演示季度 2019Q1 中设置校准党组织（每类两个），由三个检查组分别评分，红蓝榜结果不变。可重复运行。"

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("生产环境不允许载入演示数据。")
        added = demo_calibration_seed()
        self.stdout.write(self.style.SUCCESS(f"校准党组织：{'、'.join(CALIBRATION_BRANCHES)}；新增评分表 {added} 张。"))
