from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.imports import users_import
from reports.management.commands._common import import_file


class Command(BaseCommand):
    help = (
        "导入用户名单（账号、姓名、所属党组织、角色、邮箱）并为每个账号生成初始密码（只显示这一次）。"
        "文件有任何问题时列出全部问题，不创建任何账号。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="用户名单（.xlsx）")

    def handle(self, *args, file, **options):
        result = import_file(
            self, file, lambda source: users_import(source=source), nothing_written="没有创建任何账号。"
        )
        self.stdout.write(f"导入成功：新建 {result.created} 个账号。初始密码只显示这一次，请逐一转交本人：")
        for account in result.accounts:
            self.stdout.write(f"{account.username}\t{account.name}\t{account.role}\t{account.password}")
