"""manage.py backup FILE — every table of the portal as JSON with natural keys (FILE.gz compresses).

Uploaded evidence and generated reports are files, not rows: back up DJANGO_MEDIA_ROOT beside it.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate` (content types, permissions) or worthless in a restore (sessions, lockouts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "备份全部业务数据为 JSON 文件（以 .gz 结尾则压缩）。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            output=file,
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"已备份到 {file}"))
