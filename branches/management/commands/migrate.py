"""Django's `migrate`, which then says what to do next on a portal that has no account yet."""

from __future__ import annotations

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.models import Q

from branches import roles


class Command(MigrateCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options["verbosity"] >= 1 and not options.get("plan") and not options.get("check_unapplied"):
            self.next_step(options["database"])

    def next_step(self, database: str) -> None:
        from branches.models import User

        if User._meta.db_table not in connections[database].introspection.table_names():
            return
        administrators = (
            User.objects.using(database)
            .filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=roles.ADMIN))
        )
        if administrators.exists():
            return
        lines = [
            "",
            "数据库已就绪，但还没有系统管理员账号。下一步 / Next step:",
            "  1. 创建系统管理员（密码从标准输入读入）：",
            "     python manage.py createuser admin --name 系统管理员 --role 系统管理员 --password-stdin",
            "  2. 以该账号登录，在“报表 → 导入用户名单”上传用户名单（账号、姓名、所属党组织、角色、邮箱），",
            "     或运行 python manage.py import_users 用户名单.xlsx（先用 import_branches 导入党组织名单）。",
        ]
        if getattr(settings, "DEMO_DATA_ALLOWED", False):
            lines.append("  试用：python manage.py seed_demo 载入演示数据（生产环境不可用）。")
        self.stdout.write(self.style.WARNING("\n".join(lines)))
