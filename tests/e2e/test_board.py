"""Headless Chromium: the board page as everyone sees it, and 党建部 previewing and publishing."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED = ["白银变电运检中心党支部", "电力调度中心党总支部", "财务部党支部"]
BLUE = ["平川区供电公司党总支", "鸿运物业分公司党支部", "营销部党支部"]


def seed():
    from django.core.management import call_command

    call_command("seed_demo", "--company-only", verbosity=0)


def test_the_published_board_shows_red_and_blue_side_by_side(page, live_server):
    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    seed()
    quarter_publish(quarter=Quarter.objects.get(code="2019Q1"), user=User.objects.get(username="dangjian"))
    browser_login(page, live_server, "shuji", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/")
    assert page.locator("h1").inner_text() == "2019年第1季度红蓝榜"
    assert page.locator(".board-red [data-branch]").evaluate_all("els => els.map(e => e.dataset.branch)") == RED
    assert page.locator(".board-blue [data-branch]").evaluate_all("els => els.map(e => e.dataset.branch)") == BLUE
    # Side by side: each category's red and blue cards share a row on a desktop screen.
    red_box = page.locator(".board-red").first.bounding_box()
    blue_box = page.locator(".board-blue").first.bounding_box()
    assert abs(red_box["y"] - blue_box["y"]) < 2 and blue_box["x"] > red_box["x"] + red_box["width"] - 1
    assert page.locator(".board-ranking tbody tr").count() == 32
    path = screenshot(page, "board_2019Q1")
    assert path.stat().st_size > 50_000
    width = page.evaluate("() => document.querySelector('h1').getBoundingClientRect().width")
    assert width > 150  # CJK glyphs render with real widths

    page.click("text=平川区供电公司党总支 >> nth=0")
    page.wait_for_load_state("networkidle")
    assert page.locator("#branch-total").inner_text() == "84.30"
    assert page.get_by_text("下设支部补选委员流程不规范").is_visible()
    screenshot(page, "board_branch_pingchuan")


def test_the_dept_previews_and_publishes_2019q1_in_the_browser(page, live_server):
    from boards.models import BoardEntry
    from scoring.models import Quarter

    seed()
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.click("text=预览与发布")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/boards/2019Q1/preview/")
    assert page.get_by_text("所有参加考评的党组织均已完成评分").is_visible()
    screenshot(page, "board_preview_2019Q1")

    page.click("text=查看完整预览")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("预览 · 尚未发布").is_visible()
    page.go_back()

    page.check("#confirm-publish")
    page.click("button:has-text('发布红蓝榜')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/boards/2019Q1/")
    assert page.get_by_text("2019年第1季度红蓝榜已发布，评分已冻结。").is_visible()
    assert page.locator(".badge", has_text="已发布").is_visible()
    points = page.locator(".board-boards [data-branch]").evaluate_all(
        "els => els.map(e => [e.dataset.branch, e.dataset.points])"
    )
    assert sorted(points) == sorted(
        [
            ["白银变电运检中心党支部", "1.50"],
            ["电力调度中心党总支部", "1.50"],
            ["财务部党支部", "0.00"],
            ["平川区供电公司党总支", "-1.50"],
            ["鸿运物业分公司党支部", "-1.50"],
            ["营销部党支部", "-0.50"],
        ]
    )
    screenshot(page, "board_published_by_dept")
    quarter = Quarter.objects.get(code="2019Q1")
    assert quarter.is_published and quarter.published_by.username == "dangjian"
    assert BoardEntry.objects.filter(quarter=quarter).count() == 32

    page.click("text=通报")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("关于2019年第1季度基层党组织差异化考评结果的通报").is_visible()
    screenshot(page, "board_announcement_2019Q1")
