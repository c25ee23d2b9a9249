"""The export task through a real Redis-backed Celery worker (CI sets CELERY_TEST_BROKER_URL)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from reports.models import ExportJob
from reports.services import export_job_create
from scoring.models import Quarter, ScoreSheet
from tests.reports.helpers import reopen

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker(celery_worker_redis):
    """The shared worker fixture with the app's producer pool dropped once the worker runs and again
    when the test ends: see tests.helpers.forget_producer_pool."""
    from tests.helpers import forget_producer_pool

    forget_producer_pool()
    yield celery_worker_redis
    forget_producer_pool()


def wait_for(job: ExportJob, seconds: float = 60) -> ExportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds}s")


@pytest.fixture
def scored_quarter(db):
    """A small scored quarter built with factories: no demo seed, whose publications would queue
    follow-up tasks on the same worker and outlive the test."""
    from branches import roles
    from tests import factories
    from tests.helpers import make_user

    quarter = factories.QuarterFactory(code="2019Q1", status=Quarter.Status.SCORING)
    for name in ("白银变电运检中心党支部", "平川区供电公司党总支"):
        sheet = factories.ScoreSheetFactory(
            quarter=quarter, branch=factories.BranchFactory(name=name), status=ScoreSheet.Status.SUBMITTED
        )
        factories.fill_sheet(sheet, Decimal("0.9") if name.startswith("白银") else Decimal("0.8"))
    return quarter, make_user(roles.ADMIN, username="sysadmin", is_staff=True)


def test_the_worker_builds_the_export_and_records_the_file(redis_worker, settings, tmp_path, scored_quarter):
    settings.REPORTS_ROOT = str(tmp_path)
    quarter, admin = scored_quarter
    job = export_job_create(kind="scores", quarter=quarter, user=admin)
    job = wait_for(job)
    assert job.status == ExportJob.Status.DONE, job.error
    assert job.progress == 100 and job.started_at and job.finished_at
    assert (tmp_path / job.file_name).is_file()  # in the reports storage (REPORTS_ROOT here)
    assert [p.name for p in tmp_path.iterdir()] == [job.file_name]  # no temporary file left
    wb = reopen(tmp_path / job.file_name)
    assert wb.sheetnames == ["Ⅰ类", "Ⅱ类", "Ⅲ类"]
    assert wb["Ⅰ类"]["B3"].value == "白银变电运检中心党支部"


def test_the_worker_records_why_a_report_cannot_be_built(redis_worker, settings, tmp_path, scored_quarter):
    settings.REPORTS_ROOT = str(tmp_path)
    quarter, admin = scored_quarter
    job = export_job_create(kind="board", quarter=quarter, user=admin)
    job = wait_for(job)
    assert job.status == ExportJob.Status.FAILED
    assert "尚未发布" in job.error
    assert list(tmp_path.iterdir()) == []
