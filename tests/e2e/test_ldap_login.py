"""Headless Chromium on the login page with the directory on: a 党建部 member of the directory signs in
with the directory password; with the directory down the page says so in plain Chinese."""

from __future__ import annotations

import pytest

from tests import factories
from tests.accounts.slapd import PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_directory_member_signs_in_and_the_directory_down_is_said_plainly(page, live_server, ldap_on):
    factories.QuarterFactory(code="2019Q1")
    browser_login(page, live_server, "zhangsan", PASSWORD)
    assert page.locator("h1").inner_text() == "您好，张三"
    assert page.get_by_role("link", name="检查组与分配").is_visible()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/login/")

    ldap_on.stop()
    browser_login(page, live_server, "zhangsan", PASSWORD)
    message = page.get_by_text("暂时无法连接统一身份认证目录，请稍后再试。")
    assert message.is_visible()
    screenshot(page, "login_directory_down")
