"""backup / restore: dump the demo, restore it into a new empty database (another process, as an
operator would), and the boards — published and previewed — come back identical."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.services import audit_record
from boards.selectors import board_as_dict, board_categories
from boards.services import quarter_publish
from scoring.models import Quarter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

BOARDS = (
    "from boards.selectors import board_as_dict, board_categories; from scoring.models import Quarter;"
    "from branches.models import User; from audit.models import AuditEvent;"
    "print(json.dumps({'boards': [board_as_dict(q, board_categories(q)) for q in Quarter.objects.order_by('code')],"
    "'users': sorted(User.objects.values_list('username', flat=True)), 'audit': AuditEvent.objects.count()}))"
)


def boards_here() -> dict:
    from audit.models import AuditEvent
    from branches.models import User

    return json.loads(
        json.dumps(
            {
                "boards": [board_as_dict(q, board_categories(q)) for q in Quarter.objects.order_by("code")],
                "users": sorted(User.objects.values_list("username", flat=True)),
                "audit": AuditEvent.objects.count(),
            }
        )
    )


def manage(args: list[str], database: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE="baiyin_eval.settings.test", DATABASE_URL=f"sqlite:///{database}")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_demo_restored_into_an_empty_database_gives_identical_boards(demo, tmp_path):
    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    audit_record(user=demo.users["admin"], action="export_download", detail={"文件": "红蓝榜.xlsx"})
    backup = tmp_path / "backup.json.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    expected = boards_here()
    assert any(b["published"] for b in expected["boards"]) and expected["audit"] > 0

    database = tmp_path / "restored.sqlite3"
    for step in (["manage.py", "migrate", "--noinput"], ["manage.py", "restore", str(backup)]):
        out = manage(step, database)
        assert out.returncode == 0, out.stdout + out.stderr
    out = manage(["-c", "import django, json; django.setup();" + BOARDS], database)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == expected

    # Restoring twice would mix two copies: a database holding data is refused.
    again = manage(["manage.py", "restore", str(backup)], database)
    assert again.returncode != 0 and "已有数据" in again.stderr


def test_restore_refuses_a_database_with_data(demo, tmp_path):
    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(tmp_path / "whatever.json"))
