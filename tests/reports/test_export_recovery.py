"""Export jobs that recover: time limits, a visibility timeout under an hour, stale jobs.

The worker killed for real (SIGKILL to its process group) is the last test."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command
from django.utils import timezone

from reports import services
from reports.models import ExportJob
from reports.services import export_job_create, export_job_run, export_jobs_prune
from scoring.models import Quarter
from tests.processes import CeleryProcess, RedisServer, process_env, require_real_processes, wait_until

LOST = "生成报表的后台任务中断了（服务重启或被终止），本任务已作废。请重新生成。"


@pytest.fixture
def scored_quarter(db):
    """A scored quarter of a few branches, built with factories (no demo seed and its publications)."""
    from branches import roles
    from tests import factories
    from tests.helpers import make_user

    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    for n in range(12):
        sheet = factories.ScoreSheetFactory(quarter=quarter, branch=factories.BranchFactory(name=f"第{n + 1}党支部"))
        factories.fill_sheet(sheet, Decimal("0.8") + Decimal(n) / 100)
    return quarter, make_user(roles.ADMIN, username="sysadmin", is_staff=True)


def running_job(quarter, user, *, heartbeat_ago: int) -> ExportJob:
    started = timezone.now() - timedelta(seconds=heartbeat_ago + 5)
    return ExportJob.objects.create(
        kind="scores",
        quarter=quarter,
        requested_by=user,
        status=ExportJob.Status.RUNNING,
        progress=28,
        started_at=started,
        heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_ago),
    )


def test_the_visibility_timeout_is_longer_than_any_task_and_shorter_than_an_hour(settings):
    from baiyin_eval.celery import app

    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.BROKER_VISIBILITY_TIMEOUT == 900
    assert app.conf.task_soft_time_limit == 600 and app.conf.task_time_limit == 660
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < timeout < 3600
    assert app.conf.result_backend_transport_options["visibility_timeout"] == timeout
    assert settings.EXPORT_STALE_AFTER < timeout  # a lost job is given up on before its redelivery


def test_the_production_settings_keep_them(monkeypatch):
    import importlib

    for name, value in {
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "honglanbang.example.cn",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }.items():
        monkeypatch.setenv(name, value)
    production = importlib.import_module("baiyin_eval.settings.production")
    production = importlib.reload(production)
    assert production.CELERY_BROKER_TRANSPORT_OPTIONS == {"visibility_timeout": 900}
    assert (production.CELERY_TASK_SOFT_TIME_LIMIT, production.CELERY_TASK_TIME_LIMIT) == (600, 660)


@pytest.mark.django_db
def test_an_export_past_its_time_limit_is_marked_failed_with_a_plain_message(scored_quarter, reports_root, monkeypatch):
    quarter, admin = scored_quarter

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "report_write", too_slow)
    job = ExportJob.objects.create(kind="scores", quarter=quarter, requested_by=admin)
    job = export_job_run(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "生成报表超过了 10 分钟的时限，已停止。请稍后重试，或联系系统管理员。"
    assert job.file_name == "" and job.finished_at is not None
    assert not reports_root.exists() or list(reports_root.iterdir()) == []


@pytest.mark.django_db
def test_a_stale_running_job_never_blocks_a_new_request_for_the_same_report(
    scored_quarter, reports_root, settings, django_capture_on_commit_callbacks
):
    quarter, admin = scored_quarter
    settings.EXPORT_STALE_AFTER = 120
    stuck = running_job(quarter, admin, heartbeat_ago=121)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(kind="scores", quarter=quarter, user=admin)
    assert job.pk != stuck.pk
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file_exists()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (ExportJob.Status.FAILED, LOST)
    assert stuck.finished_at is not None


@pytest.mark.django_db
def test_a_job_still_reporting_is_returned_again_as_before(scored_quarter, django_capture_on_commit_callbacks):
    """A double click still gets the same job while its worker is alive."""
    quarter, admin = scored_quarter
    alive = running_job(quarter, admin, heartbeat_ago=30)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert export_job_create(kind="scores", quarter=quarter, user=admin) == alive
    assert callbacks == []
    alive.refresh_from_db()
    assert alive.status == ExportJob.Status.RUNNING


@pytest.mark.django_db
def test_a_job_waiting_longer_than_a_redelivery_is_given_up_on(scored_quarter, settings):
    quarter, admin = scored_quarter
    waiting = ExportJob.objects.create(kind="scores", quarter=quarter, requested_by=admin)
    age = settings.BROKER_VISIBILITY_TIMEOUT + settings.EXPORT_STALE_AFTER + 1
    ExportJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(seconds=age))
    assert export_job_create(kind="scores", quarter=quarter, user=admin).pk != waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == ExportJob.Status.FAILED


@pytest.mark.django_db
def test_a_lost_run_delivered_again_does_not_overwrite_the_verdict(scored_quarter, reports_root):
    quarter, admin = scored_quarter
    stuck = running_job(quarter, admin, heartbeat_ago=500)
    export_jobs_prune(older_than_days=7)
    assert export_job_run(job_id=stuck.pk).status == ExportJob.Status.FAILED
    assert not reports_root.exists() or list(reports_root.iterdir()) == []


@pytest.mark.django_db
def test_prune_exports_marks_stale_running_jobs_failed_and_deletes_the_old_ones(scored_quarter, reports_root):
    quarter, admin = scored_quarter
    stale_recent = running_job(quarter, admin, heartbeat_ago=300)
    stale_old = running_job(quarter, admin, heartbeat_ago=300)
    ExportJob.objects.filter(pk=stale_old.pk).update(created_at=timezone.now() - timedelta(days=8))
    live_old = running_job(quarter, admin, heartbeat_ago=10)  # a real long job: left alone
    ExportJob.objects.filter(pk=live_old.pk).update(created_at=timezone.now() - timedelta(days=8))
    out = StringIO()
    call_command("prune_exports", "--days", "7", stdout=out)
    assert "已删除 1 个导出任务" in out.getvalue()
    left = {j.pk: j for j in ExportJob.objects.all()}
    assert set(left) == {stale_recent.pk, live_old.pk}
    assert (left[stale_recent.pk].status, left[stale_recent.pk].error) == (ExportJob.Status.FAILED, LOST)
    assert left[live_old.pk].status == ExportJob.Status.RUNNING


@pytest.mark.django_db
def test_a_running_export_reports_at_least_every_few_seconds(scored_quarter, reports_root, monkeypatch):
    """The heartbeat does not wait for PROGRESS_STEP rows: a slow report still shows it is alive."""
    quarter, admin = scored_quarter
    clock = iter(range(0, 10_000, 3))  # every row "takes" 3 s
    monkeypatch.setattr(services.time, "monotonic", lambda: next(clock))
    beats = []
    real_set = services._set
    monkeypatch.setattr(
        services, "_set", lambda pk, **f: (beats.append(f) if "heartbeat_at" in f else None, real_set(pk, **f))
    )
    job = ExportJob.objects.create(kind="scores", quarter=quarter, requested_by=admin)
    assert export_job_run(job_id=job.pk).status == ExportJob.Status.DONE
    assert len(beats) >= 6  # the start, then every other row of 12 (far fewer than PROGRESS_STEP = 50)


# --- the whole worker killed ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_an_export_does_not_block_the_next_request(scored_quarter, tmp_path, settings):
    require_real_processes()
    from baiyin_eval.celery import app
    from tests.helpers import forget_producer_pool

    quarter, admin = scored_quarter
    reports_root = tmp_path / "reports"
    settings.REPORTS_ROOT = str(reports_root)
    settings.EXPORT_STALE_AFTER = 3
    redis = RedisServer()
    redis.start()
    old = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis.url, task_always_eager=False)
    forget_producer_pool()
    env = process_env(
        redis.url,
        DJANGO_REPORTS_ROOT=str(reports_root),
        SLOW_EXPORT_ROW_SECONDS="1",
        BROKER_VISIBILITY_TIMEOUT="5",
    )
    slow = CeleryProcess.worker(env, tmp_path / "slow-worker.log", module="tests.reports.slow_worker")
    fresh = None
    try:
        first = export_job_create(kind="scores", quarter=quarter, user=admin)
        wait_until(
            lambda: ExportJob.objects.get(pk=first.pk).status == ExportJob.Status.RUNNING,
            90,
            "the export running",
            slow,
        )
        time.sleep(2)
        slow.kill_group(signal.SIGKILL)  # the whole worker: main process and pool child
        assert ExportJob.objects.get(pk=first.pk).status == ExportJob.Status.RUNNING  # stuck, as before

        time.sleep(settings.EXPORT_STALE_AFTER + 1)
        second = export_job_create(kind="scores", quarter=quarter, user=admin)
        assert second.pk != first.pk  # not the stuck job again
        first.refresh_from_db()
        assert (first.status, first.error) == (ExportJob.Status.FAILED, LOST)

        fresh = CeleryProcess.worker(env | {"SLOW_EXPORT_ROW_SECONDS": "0"}, tmp_path / "worker.log")
        wait_until(lambda: ExportJob.objects.get(pk=second.pk).is_finished, 90, "the new export", fresh)
        second.refresh_from_db()
        assert second.status == ExportJob.Status.DONE, second.error
        # The killed run comes back after the visibility timeout (5 s here, 900 s by default, not
        # kombu's hour) and leaves the verdict alone.
        wait_until(lambda: fresh.output().count("succeeded in") >= 2, 60, "the lost task redelivered", fresh)
        first.refresh_from_db()
        assert first.status == ExportJob.Status.FAILED and first.file_name == ""
        assert [p.name for p in reports_root.iterdir()] == [second.file_name]
    finally:
        for process in (slow, fresh):
            if process is not None:
                process.stop()
        redis.kill()
        app.conf.update(old)
        forget_producer_pool()
