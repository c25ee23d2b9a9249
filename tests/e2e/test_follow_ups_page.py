"""Headless Chromium: 党建部 sees each publication follow-up's state on the quarter's page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_quarter_page_shows_each_follow_up_in_chinese(page, live_server, board_with_people, dept_user):
    from boards.models import FollowUp
    from boards.services import quarter_publish

    quarter, _ = board_with_people
    quarter_publish(quarter=quarter, user=dept_user)  # follow-ups queued on commit: run in-process here
    FollowUp.objects.filter(quarter=quarter, name="boards.star_services.star_ratings_store").update(
        status=FollowUp.Status.FAILED, attempts=2, error="OperationalError: 数据库连接中断", finished_at=None
    )
    FollowUp.objects.filter(quarter=quarter, name="boards.fairness_services.severity_report_store").update(
        status=FollowUp.Status.PENDING, attempts=0, finished_at=None, queued_at=timezone.now()
    )
    browser_login(page, live_server, dept_user.username, "pass-123456")
    page.goto(f"{live_server.url}/scoring/q/{quarter.code}/")
    table = page.locator("#follow-ups + p + div table")
    rows = {
        r.locator("td").nth(0).inner_text(): r.locator("td").nth(1).inner_text()
        for r in table.locator("tbody tr").all()
    }
    assert rows == {
        "通知各党组织书记": "已完成",
        "建立蓝榜约谈和整改清单": "已完成",
        "星级党支部评定": "出错，将重试",
        "评分宽严情况报告": "待执行",
    }
    assert page.get_by_text("OperationalError: 数据库连接中断").is_visible()
    screenshot(page, "quarter_follow_ups")
