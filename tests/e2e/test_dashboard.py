"""Headless Chromium: the secretary's points dashboard and the leadership overview, with their
charts drawn (each canvas has non-blank pixels) — on the demo's published 2018Q3 and 2018Q4."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# How many pixels of the canvas are not transparent/white: a drawn chart has thousands.
INKED_PIXELS = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) { inked++; }
  }
  return inked;
}"""


def seed():
    from django.core.management import call_command

    call_command("seed_demo", "--company-only", verbosity=0)


def drawn(page, canvas_id: str) -> int:
    page.wait_for_selector(f"#{canvas_id}")
    return page.locator(f"#{canvas_id}").evaluate(INKED_PIXELS)


def test_the_secretary_sees_the_trend_stars_and_member_ranking(page, live_server):
    seed()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, live_server, "shuji", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/dashboard/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#dashboard-branch-title").inner_text().startswith("平川区供电公司党总支")
    for canvas in ("dashboard-trend-chart", "dashboard-ranks-chart", "dashboard-losses-chart", "dashboard-means-chart"):
        assert drawn(page, canvas) > 500, canvas
    assert page.locator("#dashboard-stars .dashboard-stars").first.inner_text() == "★☆☆☆☆"
    assert page.locator("#dashboard-member-ranking tbody tr").count() == 8
    assert page.locator("#dashboard-trend-table tbody tr").count() == 2
    assert page.locator("#dashboard-table tbody tr").count() == 32
    path = screenshot(page, "dashboard_shuji")
    assert path.stat().st_size > 50_000
    assert errors == []

    page.click("text=党员积分台账")
    page.wait_for_load_state("networkidle")
    assert page.locator("#member-ranking tbody tr").count() == 8
    screenshot(page, "member_points_shuji")


def test_leadership_sees_the_overview_with_its_charts(page, live_server):
    from boards.services import quarter_publish
    from branches.models import User
    from scoring.models import Quarter

    seed()
    quarter_publish(quarter=Quarter.objects.get(code="2019Q1"), user=User.objects.get(username="dangjian"))
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/dashboard/overview/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "2019年第1季度党委总览"
    assert drawn(page, "overview-distribution-chart") > 500
    assert drawn(page, "overview-losses-chart") > 500
    streaks = page.locator("#overview-streaks tr").evaluate_all("els => els.map(e => e.dataset.branch)")
    assert streaks == ["营销部党支部", "鸿运物业分公司党支部"]
    screenshot(page, "dashboard_overview_lingdao")


def test_a_branch_is_chosen_by_name_with_the_keyboard(page, live_server):
    seed()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/dashboard/")
    page.wait_for_load_state("networkidle")
    box = page.get_by_label("查看走势的党组织（输入名称查找）")
    box.focus()
    page.keyboard.type("营销")
    page.wait_for_selector("#dashboard-branch-options [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "dashboard-branch-options-0"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#dashboard-branch-title").inner_text().startswith("营销部党支部")
    assert "branch_q" not in page.url and "branch=" in page.url
    assert errors == []


def test_without_script_the_search_lists_the_matches(browser, live_server):
    seed()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/dashboard/")
    page.fill("#dashboard-branch-q", "党支部")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_load_state("load")
    links = page.locator("#dashboard-branch-matches a")
    assert links.count() > 1
    links.first.click()
    page.wait_for_load_state("load")
    assert page.locator("#dashboard-branch-title").count() == 1
    context.close()
