"""Headless Chromium: the 党建部 demo user logs in and the home page renders in Chinese."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dept_user_logs_in_and_sees_the_home_page(page, live_server):
    from django.core.management import call_command

    call_command("seed_demo", "--company-only", verbosity=0)
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == "您好，张敏"
    assert page.get_by_text("当前季度：2019Q1").is_visible()
    path = screenshot(page, "home_dangjian")
    assert path.stat().st_size > 10_000
    # Chinese glyphs render with real widths (a missing CJK font draws narrow boxes or nothing).
    width = page.evaluate("() => document.querySelector('h1').getBoundingClientRect().width")
    assert width > 60
