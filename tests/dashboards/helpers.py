"""Plain helpers for the dashboards' tests."""

from __future__ import annotations

from django.urls import reverse

from reports.models import ExportJob


def download_through_the_queue(client, capture_on_commit, **fields):
    """Ask for a dashboard download as its page's form does, let the export task run (in-process),
    and fetch the file: (the job, the download response)."""
    with capture_on_commit(execute=True):
        response = client.post(reverse("reports:export_create"), fields)
    assert response.status_code == 302, response.status_code
    job = ExportJob.objects.order_by("-pk").first()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job, client.get(reverse("reports:export_download", args=[job.pk]))
