"""Publication's follow-up jobs (发布后续工作) as an outbox.

quarter_publish writes one FollowUp row per registered job in its own transaction,
then, once committed, tries to queue each job. Nothing is lost if the broker fails at that moment:

- the worker runs a job and marks it done in ONE transaction, holding the job's row lock, so a job
  queued twice (a re-queue, a redelivery, `followups --run` beside a worker) runs once — the second
  run waits for the lock, sees "done" and does nothing;
- a job that fails rolls back whatever it wrote, is marked "出错，将重试" with the error, and
- the periodic sweep (follow_ups_requeue, in CELERY_BEAT_SCHEDULE) queues again every job not done
  FOLLOW_UP_REQUEUE_AFTER seconds after it was last queued;
- `manage.py followups --run` runs the jobs not done in the operator's own process.

The jobs are registered, not named here: boards sits below the apps whose work follows publication
(interviews, star ratings, the severity report), so each registers its job in its own
`AppConfig.ready()`:

    followups.register("interviews.services.interviews_create_for_quarter",
                       label=_("建立蓝榜约谈和整改清单"), run=interviews_create_for_quarter)

`run` is called as `run(quarter=quarter)` in its own job, so one failing (and retrying) neither
holds up nor repeats the others; it must be idempotent. The name is the FollowUp row's key: once
rows carry it, it stays (a job moved to another module keeps its name).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import FollowUp
from scoring.models import Quarter

logger = logging.getLogger(__name__)

# A job failing this many times stays "出错" for an operator (`followups --run`) instead of being
# re-queued for ever.
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class FollowUpJob:
    """One kind of work that follows every publication."""

    name: str  # the FollowUp rows' key
    label: str  # what 党建部 reads (a lazy translation)
    run: Callable[..., object]  # run(quarter=quarter), idempotent


# name → job, in registration order (the order publication writes the rows in).
_jobs: dict[str, FollowUpJob] = {}


def register(name: str, *, label, run: Callable[..., object]) -> None:
    """Run `run(quarter=quarter)` as a job after each publication. Registering a name again replaces it."""
    _jobs[name] = FollowUpJob(name=name, label=label, run=run)


def registered() -> list[FollowUpJob]:
    """Every registered job, in the order publication writes them."""
    return list(_jobs.values())


class UnknownFollowUp(LookupError):
    """A FollowUp row whose name no app registers (any more)."""


def queue_down_message() -> str:
    """What the publish button and `board --publish` say when the task queue cannot be reached."""
    return _("后台任务队列暂不可用，发布后的通知和约谈清单无法生成。请稍后再发布，或联系系统管理员。")


def follow_up_label(name: str) -> str:
    job = _jobs.get(name)
    return str(job.label) if job else name


# --- writes ---------------------------------------------------------------------------------------


def follow_ups_create(*, quarter: Quarter) -> list[FollowUp]:
    """Write the quarter's follow-up jobs. Called inside quarter_publish's transaction: the rows
    commit (or roll back) with the publication; the jobs are queued only after the commit."""
    now = timezone.now()
    jobs = FollowUp.objects.bulk_create(FollowUp(quarter=quarter, name=job.name, queued_at=now) for job in registered())
    ids = [job.pk for job in jobs]
    transaction.on_commit(lambda: follow_ups_queue(ids=ids))
    return jobs


def follow_ups_queue(*, ids: list[int]) -> int:
    """Queue each job. A broker that cannot be reached is logged, not raised: publication has
    already committed, and the sweep (or `followups --run`) picks the jobs up. Returns how many
    were queued."""
    from boards.tasks import follow_up_run_task

    queued = 0
    for pk in ids:
        try:
            follow_up_run_task.apply_async((pk,), retry=True, retry_policy={"max_retries": 1, "interval_start": 0})
        except Exception:  # kombu raises the transport's own errors (OperationalError, socket errors…)
            logger.warning("Follow-up %s could not be queued; the sweep will queue it again.", pk, exc_info=True)
        else:
            queued += 1
    return queued


def follow_up_run(*, follow_up_id: int) -> FollowUp:
    """Run one job once: its work and its "done" commit together, under the job's row lock.
    A job already done is left alone. A failure rolls the work back and is recorded."""
    try:
        with transaction.atomic():
            job = FollowUp.objects.select_for_update().select_related("quarter").get(pk=follow_up_id)
            if job.status == FollowUp.Status.DONE:
                return job
            registered_job = _jobs.get(job.name)
            if registered_job is None:
                raise UnknownFollowUp(_("没有登记名为 %(name)s 的后续工作。") % {"name": job.name})
            outcome = registered_job.run(quarter=job.quarter)
            FollowUp.objects.filter(pk=job.pk).update(
                status=FollowUp.Status.DONE,
                attempts=F("attempts") + 1,
                result=_outcome_text(outcome),
                error="",
                finished_at=timezone.now(),
            )
    except FollowUp.DoesNotExist:
        raise
    except Exception as exc:
        logger.exception("Follow-up %s failed.", follow_up_id)
        FollowUp.objects.filter(pk=follow_up_id).update(
            status=FollowUp.Status.FAILED, attempts=F("attempts") + 1, error=f"{type(exc).__name__}: {exc}"[:1000]
        )
    return FollowUp.objects.get(pk=follow_up_id)


def follow_ups_requeue(*, now=None) -> int:
    """The sweep: queue again every job not done FOLLOW_UP_REQUEUE_AFTER seconds after it was last
    queued (and not given up on). Returns how many were queued."""
    from boards.tasks import follow_up_run_task

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.FOLLOW_UP_REQUEUE_AFTER)
    stale = list(
        FollowUp.objects.exclude(status=FollowUp.Status.DONE)
        .filter(Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True), attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for pk in stale:
        follow_up_run_task.delay(pk)  # the broker answered the beat that sent us here; if not, raise
        FollowUp.objects.filter(pk=pk).update(queued_at=now)
    if stale:
        logger.warning("Re-queued %s publication follow-up(s) not done in time: %s", len(stale), stale)
    return len(stale)


def follow_ups_run_pending(*, quarter: Quarter | None = None) -> list[FollowUp]:
    """Run, in this process, every job not done (of one quarter, or all): for an operator whose
    broker was down. Returns the jobs as they ended."""
    jobs = FollowUp.objects.exclude(status=FollowUp.Status.DONE)
    if quarter is not None:
        jobs = jobs.filter(quarter=quarter)
    return [follow_up_run(follow_up_id=pk) for pk in jobs.order_by("id").values_list("pk", flat=True)]


def _outcome_text(outcome) -> str:
    if isinstance(outcome, bool) or outcome is None:
        return ""
    if isinstance(outcome, int):
        return str(outcome)
    if isinstance(outcome, list | tuple):
        return str(len(outcome))
    return ""


# --- reads ----------------------------------------------------------------------------------------


def follow_ups_for_quarter(quarter: Quarter) -> list[FollowUp]:
    """The quarter's jobs in the order they were written, each with `.label`. One query."""
    jobs = list(FollowUp.objects.filter(quarter=quarter).order_by("id"))
    for job in jobs:
        job.label = follow_up_label(job.name)
    return jobs


def quarter_page_part(quarter: Quarter) -> dict[str, list[FollowUp]]:
    """scoring's quarter page shows publication's follow-ups (registered in BoardsConfig.ready())."""
    return {"follow_ups": follow_ups_for_quarter(quarter) if quarter.is_published else []}
