from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from branches import roles
from branches.accounts import user_create

FIELD_LABELS = {
    "username": "账号",
    "name": "姓名",
    "role": "角色",
    "branch": "所属党组织",
    "unit": "所属单位",
    "email": "邮箱",
    "password": "密码",
}


class Command(BaseCommand):
    help = (
        "创建一个用户并授予角色，例如：createuser zhangmin --name 张敏 --role 党建部 --branch 党委党建部党支部 "
        "--password-stdin（密码从标准输入读入一行，不出现在命令行和历史记录中）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录账号")
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--role", required=True, help="角色：" + "、".join(roles.ALL_ROLES))
        parser.add_argument("--branch", default="", help="所属党组织（组织名称）；支部书记必填")
        parser.add_argument(
            "--unit", default="", help="角色所在的单位（单位名称，其下级单位一并可见）；不填则取所属党组织的单位"
        )
        parser.add_argument("--email", default="", help="邮箱")
        parser.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读入密码；不加则账号暂无密码，须由管理员设置"
        )

    def handle(self, *args, username, name, role, branch, email, password_stdin, unit="", **options):
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("标准输入中没有密码。")
        try:
            user = user_create(
                username=username,
                name=name,
                role=role,
                branch_name=branch,
                email=email,
                password=password,
                unit_name=unit,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.stderr.write(f"{FIELD_LABELS.get(field, field)}：{' '.join(messages)}")
            raise CommandError("用户未创建。") from exc
        note = "" if password else "（尚无密码，须由系统管理员在后台设置后才能登录）"
        self.stdout.write(self.style.SUCCESS(f"已创建用户 {user.username}（{user.name}，{role}）{note}。"))
