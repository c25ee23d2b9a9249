from __future__ import annotations

from celery import shared_task


@shared_task(name="reports.export_job_run")
def export_job_run_task(job_id: int) -> str:
    """Build an export job's workbook (write-only openpyxl) and record where it is."""
    from reports.services import export_job_run

    return export_job_run(job_id=job_id).status
