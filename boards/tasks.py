"""Work that follows publication: the jobs of the outbox in boards.followups (registered there by
each app that has work to do after a publication)."""

from __future__ import annotations

from django.db import OperationalError

from baiyin_eval.celery import app


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
