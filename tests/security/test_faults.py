"""Faults: Redis gone, a worker killed mid-export, the database failing mid-import or mid-publish.

A quarter published twice at once is published once: tests/boards/test_publish_concurrency.py
(`test_two_simultaneous_publishes_publish_once`, PostgreSQL) covers it; not repeated here.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError
from openpyxl import load_workbook

from audit.models import AuditEvent
from baiyin_eval.celery import app
from boards.models import BoardEntry
from boards.services import quarter_publish
from reports.models import ExportJob
from reports.services import export_job_run
from scoring.models import Quarter, Score, ScoreChange, ScoreSheet
from tests.boards.helpers import score_quarter
from tests.helpers import forget_producer_pool
from tests.reports.helpers import publish, workbook_bytes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


# --- Redis unreachable -----------------------------------------------------------------------------


@pytest.fixture
def redis_down():
    """A broker nobody listens on (port 1), tasks really queued (not eager)."""
    old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    forget_producer_pool()
    yield
    app.conf.update(old)
    forget_producer_pool()


def test_scoring_and_board_pages_keep_working_without_redis(client, demo, redis_down):
    dangjian, jiancha1 = demo.users["dangjian"], demo.users["jiancha1"]
    code = demo.quarter.code
    client.force_login(dangjian)
    for url in [
        "/",
        f"/scoring/q/{code}/",
        f"/scoring/q/{code}/groups/",
        "/boards/",
        f"/boards/{code}/",
        "/boards/history/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(jiancha1)
    assert client.get("/scoring/my/").status_code == 200
    sheet = ScoreSheet.objects.filter(group__members=jiancha1, quarter=demo.quarter).first()
    assert client.get(f"/scoring/sheets/{sheet.pk}/").status_code == 200


def test_publishing_without_redis_is_refused_before_anything_changes(client, demo, redis_down):
    # Publication queues its follow-ups (notices, checklists) on commit: with the broker gone they
    # would be lost after the board was already published, so the page refuses and says why.
    client.force_login(demo.users["dangjian"])
    response = client.post(f"/boards/{demo.quarter.code}/publish/", {"confirm": "1"}, follow=True)
    assert "后台任务队列暂不可用" in response.content.decode()
    demo.quarter.refresh_from_db()
    assert demo.quarter.status == Quarter.Status.SCORING
    assert not BoardEntry.objects.filter(quarter=demo.quarter).exists()


def test_the_export_page_says_the_queue_is_unavailable(client, demo, redis_down):
    client.force_login(demo.users["admin"])
    html = client.get("/reports/").content.decode()
    assert "队列" in html and "不可用" in html


def test_asking_for_an_export_without_redis_queues_nothing_and_says_why(client, demo, redis_down):
    client.force_login(demo.users["admin"])
    response = client.post("/reports/exports/", {"kind": "board", "quarter": "2018Q4"}, follow=True)
    assert response.status_code == 200 and "报表队列暂不可用" in response.content.decode()
    assert not ExportJob.objects.exists()


# --- a worker killed mid-export --------------------------------------------------------------------


def test_tasks_are_acknowledged_late_and_requeued_when_the_worker_is_lost():
    from reports.tasks import export_job_run_task

    # The message stays on the queue until the task finishes; a worker killed mid-way (SIGKILL, OOM)
    # makes the broker hand it to another worker, which rebuilds the file from scratch.
    assert export_job_run_task.acks_late is True
    assert export_job_run_task.reject_on_worker_lost is True
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


KILLED_MID_WRITE = """
import os, signal, sys
import django
django.setup()
from openpyxl import Workbook
from baiyin_eval import xlsx

def half_then_killed(self, filename):
    with open(filename, "wb") as f:
        f.write(b"PK\\x03\\x04 half a workbook")
        f.flush()
    os.kill(os.getpid(), signal.SIGKILL)

Workbook.save = half_then_killed
wb = Workbook()
wb.active.append(["红榜"])
xlsx.save_atomically(wb, sys.argv[1])
"""


def test_a_worker_killed_while_writing_leaves_no_file_under_the_reports_name(tmp_path):
    destination = tmp_path / "2019Q1-board-1-abc.xlsx"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baiyin_eval.settings.test"}
    out = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(destination)], cwd=ROOT, env=env, timeout=120)
    assert out.returncode == -9  # SIGKILL: no cleanup ran
    assert not destination.exists()
    # What is left is a hidden temporary file, never a name a job points at.
    assert all(p.name.startswith(".part-") for p in tmp_path.iterdir())


# The interrupted write-only workbook is collected later with its XML writer still open: openpyxl
# complains then, harmlessly — that is the crash being simulated.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_export_interrupted_mid_write_is_never_offered_and_the_redelivered_task_completes(
    client, demo, reports_root
):
    publish(demo.quarter)
    admin = demo.users["admin"]
    job = ExportJob.objects.create(kind="board", quarter=demo.quarter, requested_by=admin)

    def interrupted(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise SystemExit("worker lost")  # not an Exception: the job is left as the killed worker left it

    with mock.patch("openpyxl.Workbook.save", interrupted), pytest.raises(SystemExit):
        export_job_run(job_id=job.pk)
    gc.collect()  # let openpyxl's complaint about the abandoned writer land here, where it is expected
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and not job.file_name
    assert not any(p.suffix == ".xlsx" and not p.name.startswith(".part-") for p in reports_root.glob("*"))
    client.force_login(admin)
    assert client.get(f"/reports/exports/{job.pk}/download/").status_code == 404

    # acks_late: the broker hands the task to another worker, which rebuilds the file from scratch.
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    response = client.get(f"/reports/exports/{job.pk}/download/")
    assert response.status_code == 200
    load_workbook(workbook_bytes_of(response))


def workbook_bytes_of(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


# --- the database failing mid-import / mid-publish -------------------------------------------------


def snapshot():
    return (
        sorted(Score.objects.values_list("sheet_id", "indicator_id", "value")),
        sorted(ScoreSheet.objects.values_list("id", "status", "version")),
        ScoreChange.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
    )


def test_the_database_failing_mid_import_leaves_nothing_of_the_file(demo):
    from reports.exports import score_template
    from reports.imports import scores_import
    from scoring.services import quarter_create, quarter_transition, sheet_core

    quarter = quarter_transition(quarter=quarter_create(code="2019Q2"), to=Quarter.Status.SCORING)
    wb = load_workbook(workbook_bytes(score_template(quarter)))
    for ws in wb.worksheets:
        maxima = [c.value for c in ws[2]][1:]
        for row in ws.iter_rows(min_row=3):
            for index, maximum in enumerate(maxima, start=1):
                row[index].value = float(Decimal(str(maximum)) * Decimal("0.8"))
    before = snapshot()
    real_record = sheet_core.audit_record  # the sheet-save core both save paths (and the import) share
    calls = {"n": 0}

    def fails_on_the_fifth_sheet(**kwargs):
        # The last write of each sheet (its audit row): scores and history of four sheets are
        # already written inside the import's transaction when the database goes away.
        calls["n"] += 1
        if calls["n"] == 5:
            raise DatabaseError("connection lost")
        return real_record(**kwargs)

    with mock.patch.object(sheet_core, "audit_record", fails_on_the_fifth_sheet), pytest.raises(DatabaseError):
        scores_import(quarter=quarter, group=None, source=workbook_bytes(wb))
    assert calls["n"] == 5
    assert snapshot() == before


def test_the_database_failing_mid_publish_leaves_the_quarter_unpublished(dept_user, scoring_quarter):
    score_quarter(scoring_quarter, {"1": ["0.9", "0.8", "0.7"], "2": ["0.9", "0.5"]})
    with (
        mock.patch("boards.services.quarter_transition", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        quarter_publish(quarter=scoring_quarter, user=dept_user)
    scoring_quarter.refresh_from_db()
    assert scoring_quarter.status == Quarter.Status.SCORING and scoring_quarter.published_at is None
    assert not BoardEntry.objects.filter(quarter=scoring_quarter).exists()
    assert not AuditEvent.objects.filter(action="board_publish").exists()
    # And the quarter publishes normally afterwards.
    quarter_publish(quarter=scoring_quarter, user=dept_user)
    assert BoardEntry.objects.filter(quarter=scoring_quarter).count() == 5


@pytest.fixture
def scoring_quarter(db):
    from tests.factories import QuarterFactory

    return QuarterFactory(code="2031Q1", status=Quarter.Status.SCORING)
