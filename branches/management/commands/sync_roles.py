from __future__ import annotations

from django.core.management.base import BaseCommand

from branches.services import roles_sync_permissions


class Command(BaseCommand):
    help = "创建五个角色并同步其后台权限（部署后运行一次即可，可重复运行）。"

    def handle(self, *args, **options):
        roles_sync_permissions()
        self.stdout.write(self.style.SUCCESS("角色与权限已同步。"))
