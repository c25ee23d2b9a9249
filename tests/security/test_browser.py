"""Headless Chromium with the real Content-Security-Policy: the main pages raise no CSP violation
(charts drawn from script files), a locked-out login reads in Chinese, and leadership reads the
audit log of it."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def seed():
    from django.core.management import call_command

    call_command("seed_demo", "--company-only", verbosity=0)


def test_the_main_pages_raise_no_csp_violation_in_the_browser(page, live_server):
    from branches.models import User

    seed()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    branch = User.objects.get(username="shuji").branch_id
    pages = ["/", "/boards/2018Q4/", "/boards/history/", "/scoring/q/2019Q1/", "/interviews/", "/boards/dashboard/"]
    for url in [*pages, f"/boards/branch/{branch}/"]:
        response = page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.locator("canvas").count() >= 1  # the branch page's chart, drawn by its script file
    assert not violations, violations


def test_a_locked_out_login_reads_in_chinese_and_leadership_sees_it_in_the_audit_log(page, live_server, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    seed()
    for attempt in range(3):
        browser_login(page, live_server, "jiancha2", f"wrong-{attempt}")
    assert "暂时锁定" in page.locator("main").inner_text()
    screenshot(page, "security_locked_out")
    browser_login(page, live_server, "jiancha2", DEMO_PASSWORD)
    assert "暂时锁定" in page.locator("main").inner_text()  # the right password does not help now

    browser_login(page, live_server, "lingdao", DEMO_PASSWORD)
    page.click("text=审计日志")
    page.select_option("select[name=action]", "login_failed")
    page.click("button:has-text('筛选')")
    page.wait_for_load_state("networkidle")
    rows = page.locator("tbody tr")
    assert rows.count() == 4  # three wrong passwords and the right one while locked
    assert "jiancha2" in rows.first.inner_text() and "127.0.0.1" in rows.first.inner_text()
    screenshot(page, "security_audit_log")
