"""Headless Chromium: the province's roll-up page and the meeting-room screen (大屏) at 1920 × 1080 —
every city side by side, nothing to scroll on the screen, large type, the page refreshing itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from branches import roles
from scoring.models import Quarter
from tests.helpers import SCREENSHOT_DIR, browser_login, make_user
from tests.rollup.helpers import (
    BAIYIN,
    DINGXI,
    PROVINCE,
    TIANSHUI,
    Line,
    add_quarter,
    add_unit,
    province_tree,
    publish_rows,
    standard_board,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Rollup@2026-e2e"
SHOTS = Path(os.environ.get("ROLLUP_SHOTS", SCREENSHOT_DIR))  # ROLLUP_SHOTS=/tmp/rollup-shots to look at them


def seed():
    units = province_tree()
    publish_rows(add_quarter(units[BAIYIN], "2018Q4"), [Line("营销部党支部", "3", "84.00", 3, "blue")])
    publish_rows(add_quarter(units[BAIYIN], "2019Q1"), standard_board())
    publish_rows(
        add_quarter(units[DINGXI], "2019Q1"),
        [
            Line("财务部党支部", "3", "92.00", 1, "red"),
            Line("营销部党支部", "3", "90.00", 2, "blue"),
            Line("办公室党支部", "2", "93.50", 1, "red"),
            Line("安监部党支部", "2", "89.00", 2, "blue"),
        ],
    )
    add_quarter(units[TIANSHUI], "2019Q1", Quarter.Status.SCORING)
    for n, name in enumerate(
        ["国网兰州供电公司", "国网武威供电公司", "国网张掖供电公司", "国网酒泉供电公司", "国网庆阳供电公司"]
    ):
        publish_rows(
            add_quarter(add_unit(name, units[PROVINCE]), "2019Q1"),
            [
                Line("白银变电运检中心党支部" if n == 0 else "运维检修部党支部", "1", "95.00", 1, "red"),
                Line("物资供应中心党支部", "1", "86.00", 2, "blue"),
                Line("财务部党支部", "3", "94.00", 1, "red"),
                Line("营销部党支部", "3", "85.00", 2, "blue"),
            ],
        )
    user = make_user(roles.DEPT, username="gs_dangjian", name="省公司党建部", unit=units[PROVINCE])
    user.set_password(PASSWORD)
    user.save()
    return units


def shot(page, name: str, *, full_page: bool = True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def test_the_province_reads_every_city_side_by_side(page, live_server):
    units = seed()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, live_server, "gs_dangjian", PASSWORD)
    page.click("text=单位汇总")
    page.wait_for_load_state("networkidle")
    assert page.locator("#rollup-title").inner_text() == f"{PROVINCE} 2019Q1 红蓝榜汇总"
    rows = page.locator("#rollup-units tbody tr")
    assert rows.count() == 8
    baiyin = page.locator(f'#rollup-units tr[data-unit="{BAIYIN}"]')
    assert "白银变电运检中心党支部、电力调度中心党总支部、财务部党支部" in baiyin.inner_text()
    assert "营销部党支部" in baiyin.locator("td").nth(6).inner_text()  # blue twice running
    tianshui = page.locator(f'#rollup-units tr[data-unit="{TIANSHUI}"]')
    assert "未发布（评分中）" in tianshui.inner_text() and "发布后可见" in tianshui.inner_text()
    assert page.locator('[data-figure="published"]').inner_text() == "7 / 8"
    assert page.locator('[data-figure="repeat-blue"]').inner_text() == "1"
    assert page.locator("#rollup-trend-table tbody tr").count() == 2
    # The name filter's button stays one line beside its field (it wrapped to 查/找 once).
    button = page.locator(".rollup-search button").bounding_box()
    field = page.locator("#rollup-search").bounding_box()
    assert button["height"] <= field["height"] + 2 and abs(button["y"] - field["y"]) <= 4, (button, field)
    path = shot(page, "rollup_province")
    assert path.stat().st_size > 50_000
    # Drill-down: a city's row leads to its board.
    href = baiyin.locator("a").first.get_attribute("href")
    assert href.endswith(f"?unit={units[BAIYIN].pk}")
    assert errors == []


def test_the_big_screen_fits_1920_by_1080_in_large_type_and_refreshes_itself(browser, live_server):
    seed()
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    browser_login(page, live_server, "gs_dangjian", PASSWORD)
    page.goto(f"{live_server.url}/rollup/")
    page.click("#rollup-screen-link")
    page.wait_for_load_state("networkidle")
    shot(page, "rollup_screen_1920x1080", full_page=False)
    assert page.locator("#screen-title").inner_text() == f"{PROVINCE} 2019Q1 红蓝榜汇总"
    size = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight, innerWidth, innerHeight]"
    )
    assert size[0] <= size[2] and size[1] <= size[3], size  # nothing to scroll
    cards = page.locator(".screen-card")
    assert cards.count() == 8
    for card in range(cards.count()):  # every card's content inside the card: nothing cut off at the bottom
        fits = cards.nth(card).evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        assert fits, cards.nth(card).get_attribute("data-unit")
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.screen-board li, .screen-label, .screen-state')]
                 .map(el => parseFloat(getComputedStyle(el).fontSize)))"""
    )
    assert smallest >= 24, smallest  # readable from across the room
    refresh = page.locator('meta[http-equiv="refresh"]').get_attribute("content")
    assert refresh.startswith("30; url=") and refresh.endswith("?page=1")  # one screenful: back to itself
    context.close()
