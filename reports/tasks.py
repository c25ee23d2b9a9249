from __future__ import annotations

from baiyin_eval.celery import app


# Bound to the project's app rather than shared_task's current_app proxy: the task is queued from
# request threads (and test live-server threads), where "current app" is a thread-local guess.
@app.task(name="reports.export_job_run")
def export_job_run_task(job_id: int) -> str:
    """Build an export job's workbook (write-only openpyxl) and record where it is."""
    from reports.services import export_job_run

    return export_job_run(job_id=job_id).status
