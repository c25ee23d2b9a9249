"""Writes for the severity report: runs in the worker before publication, and the report kept with
the published quarter (a publication follow-up)."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import roles
from branches.models import User
from fairness.models import SeverityReportRecord, SeverityRun
from fairness.selectors import severity_compute
from scoring.models import Quarter

logger = logging.getLogger(__name__)

# A run not finished this long after it was started (or queued) is taken for lost — its worker was
# killed or the broker dropped it — and 党建部 may start another.
RUN_STALE_AFTER = timedelta(minutes=10)


@transaction.atomic
def severity_report_store(*, quarter: Quarter) -> SeverityReportRecord:
    """Keep the report as it stands at publication (scores are frozen then, and the seed is fixed,
    so running it twice stores the same thing). A publication follow-up (boards.followups), run in
    the worker."""
    record, _created = SeverityReportRecord.objects.update_or_create(
        quarter=quarter, defaults={"data": severity_compute(quarter).as_dict()}
    )
    return record


@transaction.atomic
def severity_run_start(*, quarter: Quarter, user: User) -> SeverityRun:
    """Queue a computation of the report (党建部, before publication). A run still under way is
    returned instead of a second one, unless it is stale (RUN_STALE_AFTER)."""
    if not roles.is_dept(user):
        raise PermissionDenied(_("只有党建部可以发起宽严度分析。"))
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if quarter.is_published:
        raise ValidationError(_("本季度已发布，宽严度分析已随发布保存。"))
    now = timezone.now()
    for run in SeverityRun.objects.filter(
        quarter=quarter, status__in=[SeverityRun.Status.PENDING, SeverityRun.Status.RUNNING]
    ):
        if (run.started_at or run.created_at) > now - RUN_STALE_AFTER:
            return run
        run.status, run.error, run.finished_at = SeverityRun.Status.FAILED, _("计算超时，已重新发起。"), now
        run.save(update_fields=["status", "error", "finished_at"])
    run = SeverityRun.objects.create(quarter=quarter, requested_by=user)
    transaction.on_commit(lambda: severity_run_queue(run_id=run.pk))
    return run


def severity_run_queue(*, run_id: int) -> bool:
    """Hand the run to the worker. A broker that cannot be reached marks the run failed with a
    message for 党建部 (who may start again), rather than leaving it waiting for ever."""
    from fairness.tasks import severity_run_task

    try:
        severity_run_task.apply_async((run_id,), retry=True, retry_policy={"max_retries": 1, "interval_start": 0})
    except Exception:  # kombu raises the transport's own errors
        logger.warning("Severity run %s could not be queued.", run_id, exc_info=True)
        SeverityRun.objects.filter(pk=run_id, status=SeverityRun.Status.PENDING).update(
            status=SeverityRun.Status.FAILED,
            error=_("后台任务队列暂不可用，请稍后再试，或联系系统管理员。"),
            finished_at=timezone.now(),
        )
        return False
    return True


def severity_run(*, run_id: int) -> SeverityRun:
    """The worker's part: compute the report, telling the page each stage as it starts. Plain
    UPDATEs outside any transaction, so the page sees the progress at once. A run already finished
    (a redelivered task) is left alone."""
    run = SeverityRun.objects.select_related("quarter").get(pk=run_id)
    if run.is_finished:
        return run
    started = time.perf_counter()
    SeverityRun.objects.filter(pk=run_id).update(status=SeverityRun.Status.RUNNING, started_at=timezone.now())

    def progress(stage: str) -> None:
        SeverityRun.objects.filter(pk=run_id).update(stage=stage)

    try:
        report = severity_compute(run.quarter, progress=progress)
    except Exception as exc:
        logger.exception("Severity run %s failed.", run_id)
        SeverityRun.objects.filter(pk=run_id).update(
            status=SeverityRun.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:1000], finished_at=timezone.now()
        )
    else:
        SeverityRun.objects.filter(pk=run_id).update(
            status=SeverityRun.Status.DONE,
            data=report.as_dict(),
            sheets=sum(f.n for f in report.figures if f.indicator == "__overall__"),
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
    return SeverityRun.objects.get(pk=run_id)
