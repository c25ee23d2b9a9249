"""Work that follows publication: the jobs of the outbox in boards.followups."""

from __future__ import annotations

from django.db import OperationalError

from baiyin_eval.celery import app

# Each follow-up is called as `function(quarter=quarter)` in its own job (a FollowUp row written
# with the publication), so one failing (and retrying) does not hold up or repeat the others.
# Each must be idempotent. Other apps add theirs here (and a label in boards.followups.LABELS).
FOLLOW_UPS: tuple[str, ...] = (
    "boards.services.secretaries_notify",
    "interviews.services.interviews_create_for_quarter",
    "boards.star_services.star_ratings_store",
    "boards.fairness_services.severity_report_store",
)


# Bound to the project's app rather than shared_task's current_app proxy: queued from request
# threads (see reports.tasks).
@app.task(name="boards.follow_up_run", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def follow_up_run_task(follow_up_id: int) -> str:
    """Run one publication follow-up (idempotent) and record its state."""
    from boards.followups import follow_up_run

    return follow_up_run(follow_up_id=follow_up_id).status


@app.task(name="boards.follow_ups_requeue")
def follow_ups_requeue_task() -> int:
    """The periodic sweep (CELERY_BEAT_SCHEDULE): queue again every follow-up not done in time."""
    from boards.followups import follow_ups_requeue

    return follow_ups_requeue()
