from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.province import PROVINCE, SECOND_CITY, seed_province_demo


class Command(BaseCommand):
    help = (
        "在单公司演示数据（seed_demo --company-only）之上补上省公司部分：国网白银供电公司作为考评单位置于"
        "国网甘肃省电力公司之下，并增加第二个地市公司国网定西供电公司（党建部 dingxi_dangjian，2018Q3、"
        "2018Q4 已发布，2019Q1 评分中），供省公司党建部 gansu_dangjian、省公司领导 gansu_lingdao 查看红蓝榜"
        "汇总。seed_demo 默认已包含这一步。可重复运行。"
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("生产环境不允许载入演示数据。")
        with transaction.atomic():
            seed_province_demo()
        self.stdout.write(self.style.SUCCESS(f"{PROVINCE}：国网白银供电公司、{SECOND_CITY}（2018Q3、2018Q4 已发布）。"))
