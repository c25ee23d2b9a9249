"""The severity report is computed in the worker (issue 20): its page shows the stored result or the
progress of a run, never computing it; 党建部 starts a run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fairness import selectors, services
from fairness.models import SeverityRun
from tests.fairness.helpers import severity_computed

pytestmark = pytest.mark.django_db


def page(client, code="2019Q1") -> str:
    response = client.get(reverse("fairness:severity", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_never_computes_the_report(client, demo, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page computed the report")

    monkeypatch.setattr(selectors, "severity_report", refuse)
    monkeypatch.setattr(services, "severity_compute", refuse)
    client.force_login(demo.users["dangjian"])
    html = page(client)
    assert "开始计算宽严度分析" in html and "比较了什么：" not in html
    client.force_login(demo.users["lingdao"])
    html = page(client)
    assert "党建部尚未发起本季度的宽严度分析" in html and "开始计算宽严度分析" not in html


def test_the_dept_starts_a_run_and_the_page_shows_its_result(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo.users["dangjian"])
    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly here, in the worker otherwise
        response = client.post(reverse("fairness:severity_run", args=["2019Q1"]))
    assert response.status_code == 302
    run = SeverityRun.objects.get()
    assert run.status == SeverityRun.Status.DONE and run.data["figures"] and run.sheets == 32
    assert run.requested_by == demo.users["dangjian"]
    html = page(client)
    assert "第二检查组" in html and "评分明显偏严" in html and "在后台根据当时已提交的评分表计算" in html
    assert "按当前已提交的评分重新计算" in html


def test_the_page_shows_the_progress_of_a_run_and_refreshes(client, demo):
    SeverityRun.objects.create(
        quarter=demo.quarter, status=SeverityRun.Status.RUNNING, stage="between", started_at=timezone.now()
    )
    client.force_login(demo.users["dangjian"])
    html = page(client)
    assert "正在后台计算宽严度分析：比较各检查组" in html
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "开始计算宽严度分析" not in html  # no second run while one is under way


def test_the_last_result_stays_shown_while_a_new_run_is_under_way(client, demo):
    severity_computed(demo.quarter, demo.users["dangjian"])
    SeverityRun.objects.create(quarter=demo.quarter, status=SeverityRun.Status.PENDING)
    client.force_login(demo.users["lingdao"])
    html = page(client)
    assert "评分明显偏严" in html and "正在后台计算宽严度分析：排队中" in html


def test_a_second_start_while_one_runs_returns_the_same_run(demo):
    dept = demo.users["dangjian"]
    first = services.severity_run_start(quarter=demo.quarter, user=dept)
    assert services.severity_run_start(quarter=demo.quarter, user=dept) == first
    assert SeverityRun.objects.count() == 1


def test_a_run_lost_by_its_worker_may_be_started_again(demo):
    dept = demo.users["dangjian"]
    lost = services.severity_run_start(quarter=demo.quarter, user=dept)
    SeverityRun.objects.filter(pk=lost.pk).update(
        status=SeverityRun.Status.RUNNING, started_at=timezone.now() - services.RUN_STALE_AFTER - timedelta(seconds=1)
    )
    again = services.severity_run_start(quarter=demo.quarter, user=dept)
    assert again != lost
    lost.refresh_from_db()
    assert lost.status == SeverityRun.Status.FAILED


def test_a_broker_that_cannot_be_reached_fails_the_run_in_plain_words(client, demo, monkeypatch):
    from fairness import tasks

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.severity_run_task, "apply_async", down)
    run = services.severity_run_start(quarter=demo.quarter, user=demo.users["dangjian"])
    assert services.severity_run_queue(run_id=run.pk) is False
    run.refresh_from_db()
    assert run.status == SeverityRun.Status.FAILED
    client.force_login(demo.users["dangjian"])
    html = page(client)
    assert "后台任务队列暂不可用" in html and "开始计算宽严度分析" in html


def test_a_failing_computation_is_recorded(demo, monkeypatch):
    def broken(quarter, progress=None):
        raise ValueError("坏数据")

    monkeypatch.setattr(services, "severity_compute", broken)
    run = severity_computed(demo.quarter, demo.users["dangjian"])
    assert run.status == SeverityRun.Status.FAILED and "坏数据" in run.error


def test_only_the_dept_starts_a_run_and_not_once_published(client, demo, leader_user):
    client.force_login(leader_user)
    assert client.post(reverse("fairness:severity_run", args=["2019Q1"])).status_code == 403
    assert client.get(reverse("fairness:severity_run", args=["2019Q1"])).status_code == 405
    assert not SeverityRun.objects.exists()
    from boards.services import quarter_publish

    quarter_publish(quarter=demo.quarter, user=demo.users["dangjian"])
    client.force_login(demo.users["dangjian"])
    response = client.post(reverse("fairness:severity_run", args=["2019Q1"]), follow=True)
    assert "本季度已发布" in response.content.decode()
    assert not SeverityRun.objects.exists()


def test_the_calibration_list_is_bounded_and_searched_by_name(client, demo, settings, monkeypatch):
    monkeypatch.setattr(selectors, "CALIBRATION_CHOICES_SHOWN", 5)
    client.force_login(demo.users["dangjian"])
    html = page(client)
    assert "下拉列表只列出前 5 个，请按名称查找" in html and 'name="q"' in html
    found = client.get(reverse("fairness:severity", args=["2019Q1"]), {"q": "物资部"}).content.decode()
    assert "物资部党支部（Ⅲ类）" in found and "办公室党支部（Ⅲ类）" not in found


@pytest.mark.django_db(transaction=True)
def test_the_run_goes_through_a_real_worker(demo, client, celery_worker_redis):
    """Queued through Redis to a worker, as in production (skipped without Redis). The worker comes
    after the database among the fixtures, so it stops before the database is flushed."""
    import time

    run = services.severity_run_start(quarter=demo.quarter, user=demo.users["dangjian"])
    services.severity_run_queue(run_id=run.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not SeverityRun.objects.get(pk=run.pk).is_finished:
        time.sleep(0.2)
    run.refresh_from_db()
    assert run.status == SeverityRun.Status.DONE, run.error
    client.force_login(demo.users["dangjian"])
    assert "评分明显偏严" in page(client)
