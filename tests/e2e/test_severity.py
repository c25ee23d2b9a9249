"""Headless Chromium: 党建部 reads the severity report before publishing and sets a calibration branch."""

from __future__ import annotations

import pytest

from demo.organisation import DEMO_PASSWORD
from tests.helpers import browser_login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_dept_sees_the_stricter_group_and_sets_a_calibration_branch(page, live_server):
    from django.core.management import call_command

    from scoring.models import CalibrationBranch, ScoreSheet

    call_command("seed_demo", "--company-only", verbosity=0)
    browser_login(page, live_server, "dangjian", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/boards/2019Q1/preview/")
    page.get_by_role("link", name="检查组评分宽严度分析").click()
    page.wait_for_load_state("networkidle")
    # the page shows a stored report only: 党建部 has it computed (here in-process; a worker in production)
    page.get_by_role("button", name="开始计算宽严度分析").click()
    page.wait_for_load_state("networkidle")
    # the headline in plain Chinese first; the statistics folded below it
    assert page.get_by_text("比较了什么：").is_visible()
    assert "分不清这是评分偏严" in page.locator(".fair-meaning").inner_text()
    page.get_by_text("统计依据").click()
    flag = page.locator(".fair-flag")
    assert flag.count() == 1
    assert "第二检查组" in flag.inner_text() and "评分明显偏严" in flag.inner_text()
    assert page.locator("tr[data-group='第二检查组'] .badge", has_text="差异明显").count() == 6  # S1–S5 and overall

    page.select_option("#id_branch", label="物资部党支部（Ⅲ类）")
    page.get_by_role("button", name="设为校准党组织").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("已将“物资部党支部”设为校准党组织").is_visible()
    assert page.locator(".fair-calibration-list").get_by_text("第一检查组、第二检查组、第三检查组").is_visible()
    assert CalibrationBranch.objects.filter(branch__name="物资部党支部").exists()
    assert ScoreSheet.objects.filter(quarter__code="2019Q1", branch__name="物资部党支部").count() == 3

    # A branch with a group member's people cannot be scored by that group: refused in plain words.
    page.select_option("#id_branch", label="办公室党支部（Ⅲ类）")
    page.get_by_role("button", name="设为校准党组织").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("按交叉互查规则").is_visible()
    assert not CalibrationBranch.objects.filter(branch__name="办公室党支部").exists()
    screenshot(page, "severity_report")
