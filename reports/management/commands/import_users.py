from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.imports import ImportRejected
from reports.user_import import users_import


class Command(BaseCommand):
    help = (
        "导入用户名单（账号、姓名、所属党组织、角色、邮箱）并为每个账号生成初始密码（只显示这一次）。"
        "文件有任何问题时列出全部问题，不创建任何账号。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="用户名单（.xlsx）")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件 {file} 不存在。")
        with path.open("rb") as source:
            try:
                result = users_import(source=source)
            except ImportRejected as exc:
                for issue in exc.issues:
                    self.stderr.write(str(issue))
                raise CommandError(f"文件未导入：发现 {len(exc.issues)} 个问题，没有创建任何账号。") from exc
        self.stdout.write(f"导入成功：新建 {result.created} 个账号。初始密码只显示这一次，请逐一转交本人：")
        for account in result.accounts:
            self.stdout.write(f"{account.username}\t{account.name}\t{account.role}\t{account.password}")
