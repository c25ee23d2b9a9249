"""Headless Chromium: a city's 党建部 opens the unit import from the reports page, uploads a unit list
reaching outside its subtree (every such row listed, nothing written), then a clean one."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from branches.models import Unit
from tests.helpers import browser_login, make_user, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-Horse-2019"


def unit_list(path, *rows):
    wb = Workbook()
    wb.active.title = "单位名单"
    wb.active.append(["单位名称", "上级单位", "考评单位"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return str(path)


def upload(page, path):
    page.set_input_files("input[type=file]", path)
    page.click("form.reports-upload button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_citys_dept_imports_its_counties_in_the_browser(page, live_server, tmp_path):
    from branches import roles, units

    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    baiyin = units.unit_create(name="国网白银供电公司", parent=province, is_evaluating=True)
    units.unit_create(name="国网天水供电公司", parent=province, is_evaluating=True)
    dept = make_user(roles.DEPT, username="by_dept", name="白银党建部", unit=baiyin)
    dept.set_password(PASSWORD)
    dept.save()
    browser_login(page, live_server, "by_dept", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    page.click("text=导入单位名单")
    page.wait_for_load_state("networkidle")
    assert "您只能导入本单位“国网白银供电公司”及其下级单位" in page.locator("main").inner_text()

    bad = unit_list(
        tmp_path / "bad.xlsx",
        ("靖远县供电公司", "国网白银供电公司", "否"),
        ("秦州区供电公司", "国网天水供电公司", "否"),
        ("新的省公司", "", "是"),
    )
    upload(page, bad)
    issues = page.locator(".reports-issues").inner_text()
    assert "发现 2 个问题" in issues and "上级单位“国网天水供电公司”不在本单位之下" in issues
    screenshot(page, "unit_import_problems")
    assert not Unit.objects.filter(name__in=["靖远县供电公司", "秦州区供电公司", "新的省公司"]).exists()

    good = unit_list(
        tmp_path / "good.xlsx",
        ("靖远县供电公司", "国网白银供电公司", "否"),
        ("会宁县供电公司", "国网白银供电公司", "否"),
    )
    upload(page, good)
    assert "导入成功：新建 2 个单位" in page.locator(".alert-success").inner_text()
    screenshot(page, "unit_import_done")
    assert {u.name for u in units.subtree(baiyin)} == {"国网白银供电公司", "靖远县供电公司", "会宁县供电公司"}


def test_the_provinces_reports_page_lists_the_published_quarters_below(page, live_server, reports_root):
    from branches import roles, units
    from scoring.models import Quarter
    from scoring.services import quarter_create

    province = units.unit_create(name="国网甘肃省电力公司", is_evaluating=True)
    for name, status in (("国网白银供电公司", Quarter.Status.PUBLISHED), ("国网天水供电公司", Quarter.Status.SCORING)):
        unit = units.unit_create(name=name, parent=province, is_evaluating=True)
        quarter = quarter_create(code="2019Q1", unit=unit)
        Quarter.objects.filter(pk=quarter.pk).update(status=status)
    dept = make_user(roles.DEPT, username="gs_dept", name="省公司党建部", unit=province)
    dept.set_password(PASSWORD)
    dept.save()
    browser_login(page, live_server, "gs_dept", PASSWORD)
    page.goto(f"{live_server.url}/reports/")
    table = page.locator("table.reports-below")
    assert table.locator("tbody tr").count() == 1 and "国网白银供电公司" in table.inner_text()
    table.locator("a", has_text="2019Q1").click()
    page.wait_for_load_state("networkidle")
    assert "国网白银供电公司 2019Q1" in page.locator("h1").inner_text()
    assert page.locator("button", has_text="生成 Excel").count() == 2
    screenshot(page, "reports_below")
