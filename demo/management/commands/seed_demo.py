from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from branches.models import Branch
from demo.organisation import DEMO_PASSWORD
from demo.province import PROVINCE, SECOND_CITY
from demo.services import demo_seed


class Command(BaseCommand):
    help = (
        f"载入演示数据：{PROVINCE}（不参加考评）下的两个考评单位——国网白银供电公司（32个党(总)支部、"
        f"已发布的2018Q3/2018Q4、评分中的2019Q1）和{SECOND_CITY}（11个党(总)支部、已发布的2018Q3/2018Q4、"
        "评分中的2019Q1），以及各角色演示账号。可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="仅当数据库中还没有党组织时载入")
        parser.add_argument(
            "--company-only",
            action="store_true",
            help="只载入国网白银供电公司（单一考评单位，不建省公司和第二个地市公司）",
        )

    def handle(self, *args, if_empty: bool = False, company_only: bool = False, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("生产环境不允许载入演示数据。")
        if if_empty and Branch.objects.exists():
            self.stdout.write("数据库中已有数据，跳过演示数据。")
            return
        quarter = demo_seed(province=not company_only)
        units = "" if company_only else f"{PROVINCE}：国网白银供电公司、{SECOND_CITY}；"
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据就绪：{units}党组织 {Branch.objects.filter(is_active=True).count()} 个，"
                f"白银 {quarter.code}（{quarter.get_status_display()}）。演示密码：{DEMO_PASSWORD}"
            )
        )
