"""manage.py restore FILE — load a `backup` into a new, migrated, still empty database. It lives in
reports (the imports and exports of everything, at the top of the layering) because it reads every
app's tables; the audit app only lends it the way past its TRUNCATE trigger (audit.db).

All or nothing: the rows the migrations seeded (roles, the default adjustment table) are replaced by
the backup's, in one transaction; a database that already holds portal data is refused.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.db import audit_truncate_allowed
from audit.models import AuditEvent
from branches.models import Branch, User
from scoring.models import Quarter


class Command(BaseCommand):
    help = "从 backup 生成的文件恢复到新建且已迁移的空数据库。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        if User.objects.exists() or Branch.objects.exists() or Quarter.objects.exists() or AuditEvent.objects.exists():
            raise CommandError("目标数据库已有数据：只能恢复到新建、已迁移且没有业务数据的数据库。")
        # The audit table is empty (checked above): emptying the seeded tables may pass its TRUNCATE
        # trigger, inside this transaction only. Run as the owner role, like migrate.
        with transaction.atomic(), audit_truncate_allowed(connection):
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", file, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"已从 {file} 恢复"))
