"""Writes of the reports app: export jobs and report files. Imports live in reports.imports."""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baiyin_eval.xlsx import build_workbook, save_atomically
from reports.exports import ReportUnavailable, build_report
from reports.models import DASHBOARD_KINDS, ExportJob, ReportKind
from reports.storage import reports_storage
from scoring.models import Quarter

logger = logging.getLogger(__name__)

PROGRESS_STEP = 50  # rows between progress writes: often enough for the bar, rarely enough for the database
PROGRESS_SECONDS = 5  # and at least this often, which is the job's heartbeat (see _stale_running)


def report_write(
    *, kind: str, quarter: Quarter, destination: Path, on_progress=None, params: dict | None = None
) -> int:
    """Build one report and save it atomically at `destination`. Returns the number of data rows.

    Raises ReportUnavailable when the quarter cannot have that report (e.g. board not published).
    The dashboards' downloads are built by dashboards.exports from the page's filters (`params`).
    """
    if kind in DASHBOARD_KINDS:
        from dashboards.exports import export_report

        spec, label = export_report(kind, quarter, params or {})
    elif kind == ReportKind.ROLLUP:
        from reports.rollup import rollup_report

        spec, label = rollup_report(quarter, params or {})
    else:
        spec, label = build_report(kind, quarter), quarter.label
    done = 0
    reported = time.monotonic()

    def tick() -> None:
        nonlocal done, reported
        done += 1
        if on_progress and (done % PROGRESS_STEP == 0 or time.monotonic() - reported >= PROGRESS_SECONDS):
            reported = time.monotonic()
            on_progress(done, spec.row_count)

    wb = build_workbook(spec, label, tick)
    save_atomically(wb, destination)
    return done


def _lost_message() -> str:
    return _("生成报表的后台任务中断了（服务重启或被终止），本任务已作废。请重新生成。")


def _stale_running(now=None):
    """Jobs that will never finish: running, with no report from their worker for EXPORT_STALE_AFTER
    seconds (the worker was killed or restarted; a live job reports at least every PROGRESS_SECONDS),
    or still waiting longer than the broker would take to deliver its task again."""
    now = now or timezone.now()
    stale = timedelta(seconds=settings.EXPORT_STALE_AFTER)
    return ExportJob.objects.filter(
        Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - stale)
        | Q(
            status=ExportJob.Status.PENDING,
            created_at__lt=now - stale - timedelta(seconds=settings.BROKER_VISIBILITY_TIMEOUT),
        )
    )


@transaction.atomic
def export_job_create(*, kind: str, quarter: Quarter, user, params: dict | None = None) -> ExportJob:
    """Queue an export, or return the same user's identical job still waiting or running
    (a double click must not build the report twice). A running job whose worker is gone (see
    _stale_running) is marked failed and never returned: the request gets a new job."""
    ReportKind(kind)  # ValueError for an unknown kind
    params = params or {}
    same = ExportJob.objects.select_for_update().filter(
        kind=kind,
        quarter=quarter,
        params=params,
        requested_by=user,
        status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING],
    )
    _stale_running().filter(pk__in=same.values("pk")).update(
        status=ExportJob.Status.FAILED, error=_lost_message(), finished_at=timezone.now()
    )
    existing = same.first()
    if existing is not None:
        return existing
    job = ExportJob.objects.create(kind=kind, quarter=quarter, requested_by=user, params=params)
    from reports.tasks import export_job_run_task

    export_job_run_task.delay_on_commit(job.pk)
    return job


def _set(job_id: int, **fields) -> None:
    # Plain UPDATEs outside any transaction: the progress must be visible to the polling page at once.
    ExportJob.objects.filter(pk=job_id).update(**fields)


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's report under REPORTS_ROOT. Called by the Celery task; safe to re-run
    (a worker lost mid-way re-delivers the task: the file is rebuilt from scratch)."""
    job = ExportJob.objects.select_related("quarter").get(pk=job_id)
    if job.is_finished:  # done, or given up on (a lost run redelivered after a new job took over)
        return job
    now = timezone.now()
    _set(job.pk, status=ExportJob.Status.RUNNING, progress=0, started_at=now, heartbeat_at=now, error="")
    file_name = f"{job.quarter.code}-{job.kind}-{job.pk}-{secrets.token_hex(8)}.xlsx"

    def on_progress(done: int, total: int) -> None:
        _set(job.pk, progress=min(99, done * 100 // max(total, 1)), heartbeat_at=timezone.now())

    try:
        _report_build_and_store(
            kind=job.kind, quarter=job.quarter, file_name=file_name, on_progress=on_progress, params=job.params
        )
    except ReportUnavailable as exc:
        _set(job.pk, status=ExportJob.Status.FAILED, error=str(exc), finished_at=timezone.now())
    except SoftTimeLimitExceeded:
        logger.warning("export job %s stopped at the time limit", job.pk)
        _set(
            job.pk,
            status=ExportJob.Status.FAILED,
            error=_("生成报表超过了 %(minutes)s 分钟的时限，已停止。请稍后重试，或联系系统管理员。")
            % {"minutes": max(1, round(settings.CELERY_TASK_SOFT_TIME_LIMIT / 60))},
            finished_at=timezone.now(),
        )
        reports_storage().delete(file_name)  # stopped while storing: no half of it stays
    except Exception:
        logger.exception("export job %s failed", job.pk)
        _set(
            job.pk,
            status=ExportJob.Status.FAILED,
            error=_("生成报表时出现错误，请稍后重试或联系系统管理员。"),
            finished_at=timezone.now(),
        )
    else:
        _set(job.pk, status=ExportJob.Status.DONE, progress=100, file_name=file_name, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _report_build_and_store(
    *, kind: str, quarter: Quarter, file_name: str, on_progress, params: dict | None = None
) -> None:
    """Build the workbook in a private temporary directory, then hand it to the reports storage
    (local disk or the shared bucket): the stored name appears only once the file is whole."""
    with tempfile.TemporaryDirectory(prefix="report-") as folder:
        built = Path(folder) / file_name
        report_write(kind=kind, quarter=quarter, destination=built, on_progress=on_progress, params=params)
        with built.open("rb") as handle:
            stored = reports_storage().save(file_name, File(handle, name=file_name))
    if stored != file_name:  # the storage never renames a fresh random name; say so if it did
        raise RuntimeError(f"reports storage stored {file_name} as {stored}")


def export_jobs_prune(*, older_than_days: int = 7) -> int:
    """Delete export jobs older than the given number of days, and their files. Returns how many.

    Generated reports are copies of data that stays in the database: nothing is lost, and
    REPORTS_ROOT does not grow without bound. The file goes first, so no job points at nothing.
    A running job whose worker is gone is marked failed first (then pruned like any other); a job
    really running is never touched.
    """
    _stale_running().update(status=ExportJob.Status.FAILED, error=_lost_message(), finished_at=timezone.now())
    cutoff = timezone.now() - timedelta(days=older_than_days)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).exclude(status=ExportJob.Status.RUNNING))
    storage = reports_storage()
    for job in old:
        if job.file_name:
            storage.delete(job.file_name)
    ExportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)
