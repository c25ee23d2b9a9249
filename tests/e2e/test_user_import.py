"""Headless Chromium: the system administrator uploads a user list with problems (every one listed,
nobody created), then a clean one, and reads the initial passwords off the page."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from branches.models import User
from tests.helpers import browser_login, make_user, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-2019"


def user_list(path, *rows):
    wb = Workbook()
    wb.active.title = "用户名单"
    wb.active.append(["账号", "姓名", "所属党组织", "角色", "邮箱"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return str(path)


def test_the_admin_imports_the_user_list_in_the_browser(page, live_server, tmp_path):
    from branches import roles

    admin = make_user(roles.ADMIN, username="admin", name="系统管理员", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    browser_login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.click("text=导入用户名单")
    page.wait_for_load_state("networkidle")
    bad = user_list(
        tmp_path / "bad.xlsx", ["zhangmin", "张\u202e敏", "", "党建部", ""], ["wanglei", "王磊", "", "组长", ""]
    )
    page.set_input_files("input[type=file]", bad)
    page.click("form.reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    issues = page.locator(".reports-issues")
    assert "发现 2 个问题" in issues.inner_text() and "U+202E" in issues.inner_text()
    screenshot(page, "user_import_problems")
    assert not User.objects.filter(username__in=["zhangmin", "wanglei"]).exists()

    good = user_list(
        tmp_path / "good.xlsx", ["zhangmin", "张敏", "", "党建部", ""], ["wanglei", "王磊", "", "检查组成员", ""]
    )
    page.set_input_files("input[type=file]", good)
    page.click("form.reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    screenshot(page, "user_import_done")
    assert "zhangmin" in rows.nth(0).inner_text() and rows.nth(0).locator("code").inner_text()
